"""Snapshot and restore: a trainer's progress as data, put back into it or into its twin."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import (
    DatasetSettings,
    EngineError,
    InitSettings,
    OptimizerSettings,
    RegularizationSettings,
    Settings,
    Snapshot,
    Trainer,
)
from app.nn.snapshot import EXPORT_FORMAT, MAX_COUNT, export_origin, export_progress


def adam_trainer() -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 4, 1], init=InitSettings(seed=5), batch_size=6,
                            optimizer=OptimizerSettings("adam", 0.05),
                            dataset=DatasetSettings("xor", 40, 0.0, 0.5, seed=6)))


def test_a_snapshot_holds_the_trainers_progress():
    trainer = adam_trainer()
    for _ in range(5):  # 20 training samples in batches of 6: 6 + 6 + 6 + 2, then epoch 1
        trainer.step()
    snap = trainer.snapshot()
    assert (snap.step, snap.optimizer_steps, snap.epoch, snap.epoch_position) == (5, 5, 1, 6)
    assert snap.params is trainer.network.params
    assert set(snap.slots) == {"m", "v"}
    assert (snap.optimizer, snap.regularization, snap.batch_size) == (
        trainer.settings.optimizer, trainer.settings.regularization, 6)


def test_a_twin_restored_from_a_snapshot_continues_bit_identically():
    trainer, twin = adam_trainer(), adam_trainer()
    for _ in range(5):
        trainer.step()
    trainer.update(regularization=RegularizationSettings("l1", 0.01), batch_size=3)
    twin.restore(trainer.snapshot())
    assert twin.settings.regularization == RegularizationSettings("l1", 0.01) and twin.settings.batch_size == 3
    for _ in range(9):
        a, b = trainer.step(), twin.step()
        np.testing.assert_array_equal(a["sample_indices"], b["sample_indices"])
        for u, v in zip(a["update"], b["update"], strict=True):
            np.testing.assert_array_equal(u["weights"], v["weights"])
    assert trainer.optimizer_state()["t"] == twin.optimizer_state()["t"] == 14


def test_restoring_an_earlier_snapshot_goes_back_to_it():
    trainer = adam_trainer()
    trainer.step()
    earlier = trainer.snapshot()
    expected = trainer.step()
    trainer.step()
    trainer.restore(earlier)
    assert trainer.step_count == 1
    again = trainer.step()
    assert again["loss"] == expected["loss"]
    np.testing.assert_array_equal(again["update"][0]["weights"], expected["update"][0]["weights"])


def test_a_snapshot_of_another_network_is_refused():
    small = Trainer(Settings(layer_sizes=[2, 2, 1], dataset=DatasetSettings(seed=1)))
    with pytest.raises(ValueError, match="another network"):
        small.restore(adam_trainer().snapshot())


def test_an_export_yields_its_origin_and_its_progress():
    trainer = adam_trainer()
    for _ in range(3):
        trainer.step()
    doc = trainer.export()
    assert doc["format"] == EXPORT_FORMAT
    settings, weights, biases, data = export_origin(doc)
    assert settings.to_dict() == trainer.settings.to_dict()
    assert weights is doc["initial_weights"] and biases is doc["initial_biases"] and data is None
    twin = Trainer(settings, weights=weights, biases=biases)
    progress = export_progress(doc, twin.settings, twin.network.layout, twin.n_train)
    assert isinstance(progress, Snapshot)
    assert (progress.step, progress.optimizer_steps, progress.epoch, progress.epoch_position) == (3, 3, 0, 18)
    np.testing.assert_array_equal(progress.params, trainer.network.params)
    for name, (flat,) in trainer.slots.items():
        np.testing.assert_array_equal(progress.slots[name][0], flat)


def test_an_export_without_data_or_a_dataset_is_refused():
    doc = adam_trainer().export()
    doc["spec"] = {**doc["spec"], "dataset": None}
    with pytest.raises(EngineError) as err:
        export_origin(doc)
    assert err.value.field == "data"


def progress_of(doc: dict) -> Snapshot:
    settings, weights, biases, _ = export_origin(doc)
    twin = Trainer(settings, weights=weights, biases=biases)
    return export_progress(doc, twin.settings, twin.network.layout, twin.n_train)


@pytest.mark.parametrize(("where", "field"), [
    (("step",), "step"), (("epoch",), "epoch"), (("optimizer_state", "t"), "optimizer_state.t")])
def test_an_exports_counters_must_fit(where, field):
    doc = adam_trainer().export()
    part = doc if len(where) == 1 else doc[where[0]]
    part[where[-1]] = MAX_COUNT
    assert progress_of(doc) is not None  # the largest that fits is taken
    for value in (MAX_COUNT + 1, 2**63, 2**64, 2**70, -1):
        part[where[-1]] = value
        with pytest.raises(EngineError) as err:
            progress_of(doc)
        assert err.value.field == field


def test_a_counter_at_the_limit_is_exact_in_javascript_and_far_from_64_bits():
    assert MAX_COUNT == 2**53 - 1  # Number.MAX_SAFE_INTEGER
    assert MAX_COUNT + 10**18 < np.iinfo(np.int64).max  # room for more steps than anyone runs


@pytest.mark.parametrize(("optimizer", "slot"), [("adagrad", "G"), ("rmsprop", "S"), ("adam", "v")])
def test_a_negative_second_moment_is_refused(optimizer, slot):
    trainer = Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=5),
                               optimizer=OptimizerSettings(optimizer, 0.05),
                               dataset=DatasetSettings("xor", 40, 0.0, 0.5, seed=6)))
    trainer.step()
    doc = trainer.export()
    doc["optimizer_state"]["slots"][slot]["weights"][1][2][0] = -1e-12
    with pytest.raises(EngineError) as err:
        progress_of(doc)
    assert err.value.field == f"optimizer_state.slots.{slot}"


def test_first_moments_and_velocities_may_be_negative():
    for optimizer, slot in (("adam", "m"), ("momentum", "v")):
        trainer = Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=5),
                                   optimizer=OptimizerSettings(optimizer, 0.05),
                                   dataset=DatasetSettings("xor", 40, 0.0, 0.5, seed=6)))
        trainer.step()
        doc = trainer.export()
        doc["optimizer_state"]["slots"][slot]["weights"][1][2][0] = -5.0
        assert progress_of(doc).slots[slot][0].min() == -5.0


def test_extreme_but_finite_state_is_taken_as_it_is():
    doc = adam_trainer().export()
    doc["weights"][0][0][0] = 1e7
    doc["weights"][0][0][1] = -np.finfo(np.float64).max
    doc["optimizer_state"]["slots"]["v"]["weights"][0][0][0] = 1e300
    progress = progress_of(doc)
    assert progress.params[0] == 1e7 and progress.params[1] == -np.finfo(np.float64).max
    assert progress.slots["v"][0][0] == 1e300
