"""Kept steps: the last 20 applied steps, re-run bit for bit; cleared by reset, kept across changes."""

from __future__ import annotations

import numpy as np
import pytest
from test_trainer_export import assert_identical

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.nn.history import KEEP, KeptSteps, StepRecord

OPTIMIZERS = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]


def trainer(optimizer: str = "adam", **kw) -> Trainer:
    spec = {"layer_sizes": [2, 5, 3, 1], "batch_size": 7, "init": InitSettings(seed=3),
            "dataset": DatasetSettings("gauss", 40, 0.1, 0.5, seed=5), "optimizer": OptimizerSettings(optimizer, 0.05),
            **kw}
    return Trainer(Settings(**spec))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_kept_step_re_runs_to_the_trace_it_returned_bit_for_bit(optimizer):
    t = trainer(optimizer, regularization=RegularizationSettings("l2", 0.01))
    traces = [t.step() for _ in range(12)]  # across an epoch boundary (20 training samples, batch 7)
    t.update(OptimizerSettings(optimizer, 0.2), RegularizationSettings("l1", 0.003))  # later changes
    traces.append(t.step(inputs=[[0.5, -1.0], [2.0, 0.25]], targets=[[1.0], [0.0]]))  # the caller's batch
    for trace in traces:
        replayed, _ = t.replay(t.kept.find(trace["step"]))
        assert_identical(replayed, trace)


def test_only_the_last_20_applied_steps_are_kept():
    t = trainer()
    for _ in range(KEEP + 5):
        t.step()
    assert [r.step for r in t.kept] == list(range(6, KEEP + 6))
    assert t.kept.find(5) is None and t.kept.find(6) is not None


def test_a_record_holds_the_state_the_step_started_from_without_copies():
    t = trainer()
    t.step()
    params, slots, steps = t.network.params, t.slots, t.optimizer_steps
    trace = t.step()
    record = t.kept.find(2)
    assert record.params is params and record.slots is slots and record.optimizer_steps == steps == 1
    assert record.epoch == trace["epoch"] and record.sample_indices is not None
    np.testing.assert_array_equal(record.inputs, trace["inputs"])
    assert record.optimizer is t.settings.optimizer and record.regularization is t.settings.regularization


def test_reset_clears_the_kept_steps_and_a_change_of_settings_does_not():
    t = trainer()
    t.step(), t.step()
    t.update(OptimizerSettings("sgd", 0.5), RegularizationSettings("l2", 0.1), 3)
    assert [r.step for r in t.kept] == [1, 2]
    assert t.kept.find(2).optimizer == OptimizerSettings("adam", 0.05)  # the settings in force then
    t.reset()
    assert len(t.kept) == 0
    t.step()
    assert [r.step for r in t.kept] == [1]


def test_a_diverged_step_is_not_kept():
    t = Trainer(Settings(layer_sizes=[2, 2, 1], init=InitSettings(seed=0), dataset=None),
                weights=[np.full((2, 2), 1e200), np.ones((2, 1))],
                data={"inputs": [[1e200, 1e200]], "targets": [[1.0]]})
    trace = t.step()
    assert not trace["applied"] and len(t.kept) == 0


def test_train_keeps_its_last_steps_and_they_re_run_to_step_traces():
    t, twin = trainer(), trainer()
    t.train(30)
    expected = [twin.step() for _ in range(30)][-KEEP:]
    assert [r.step for r in t.kept] == list(range(11, 31))
    for trace in expected:
        assert_identical(t.replay(t.kept.find(trace["step"]))[0], trace)


def test_an_imported_or_restored_trainer_keeps_nothing_of_its_own():
    t = trainer()
    t.step()
    assert len(Trainer.from_export(t.export()).kept) == 0
    t.restore(t.snapshot())
    assert len(t.kept) == 0


def test_unsaved_gives_what_was_added_since_the_last_call_and_whether_it_was_cleared():
    kept = KeptSteps()
    records = [StepRecord(n, 0, np.zeros(1), {}, n - 1, OptimizerSettings(), RegularizationSettings(),
                          np.zeros((1, 1)), np.zeros((1, 1)), None) for n in range(1, 30)]
    kept.add(records[0]), kept.add(records[1])
    assert kept.unsaved() == (False, records[:2])
    assert kept.unsaved() == (False, [])
    for r in records[2:]:
        kept.add(r)
    assert kept.unsaved() == (False, records[-KEEP:])  # only the newest KEEP matter
    kept.add(records[0])
    kept.clear()
    assert kept.unsaved() == (True, [])
    kept.add(records[1])
    kept.forget()
    assert kept.unsaved() == (False, []) and len(kept) == 0
    assert [r.slot for r in records[:3]] == [1, 2, 3] and records[KEEP - 1].slot == 0


def test_a_step_kept_before_a_change_of_optimizer_re_runs_with_the_optimizer_it_used():
    t = trainer("adam")
    traces = [t.step(), t.step()]
    t.update(OptimizerSettings("momentum", 0.3, {"momentum": 0.5}))
    traces.append(t.step())
    for trace in traces:
        assert_identical(t.replay(t.kept.find(trace["step"]))[0], trace)
    assert [r.optimizer.name for r in t.kept] == ["adam", "adam", "momentum"]
