"""A network written as base + state and read back is the same network, bit for bit."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.sessions.codec import dump_base, dump_record, dump_state, load_base, load_record, load_state

from .conftest import typical_trainer


def exported(trainer: Trainer) -> bytes:
    return orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY)


def round_trip(base: bytes, trainer: Trainer) -> Trainer:
    copy = load_base(base)
    load_state(copy, dump_state(trainer))
    return copy


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_continues_identically(optimizer: str):
    trainer = typical_trainer(optimizer)
    base = dump_base(trainer)
    for _ in range(7):
        trainer.step()
    copy = round_trip(base, trainer)
    assert exported(copy) == exported(trainer)
    for _ in range(3):
        assert copy.step()["loss"] == trainer.step()["loss"]
    assert exported(copy) == exported(trainer)


def test_changed_settings_travel_in_the_state():
    trainer = typical_trainer()
    base = dump_base(trainer)
    trainer.step()
    trainer.update(OptimizerSettings("rmsprop", 0.002, {"rho": 0.5}), RegularizationSettings("l1", 0.01), 3)
    trainer.step()
    copy = round_trip(base, trainer)
    assert copy.settings.optimizer == OptimizerSettings("rmsprop", 0.002, {"rho": 0.5})
    assert copy.settings.regularization == RegularizationSettings("l1", 0.01)
    assert copy.settings.batch_size == 3
    assert exported(copy) == exported(trainer)


def test_own_data_and_no_biases_round_trip():
    data = {"inputs": [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], "targets": [[1.0], [1.0], [0.0], [0.0]]}
    trainer = Trainer(Settings(layer_sizes=[2, 3, 1], use_bias=False, batch_size=3), data=data)
    base = dump_base(trainer)
    for _ in range(5):
        trainer.step()
    copy = round_trip(base, trainer)
    assert copy.network.biases is None
    assert exported(copy) == exported(trainer)


def test_a_reset_network_round_trips_to_its_start():
    trainer = typical_trainer("adam")
    base = dump_base(trainer)
    trainer.step()
    trainer.reset()
    assert exported(round_trip(base, trainer)) == exported(typical_trainer("adam"))


def test_the_state_of_the_typical_network_is_small():
    trainer = typical_trainer("adam")  # 177 parameters, two optimizer slots
    assert len(dump_state(trainer)) < 3 * 177 * 8 + 400


def test_a_state_of_another_network_is_refused():
    small = Trainer(Settings(layer_sizes=[2, 2, 1]))
    with pytest.raises(ValueError):
        load_state(small, dump_state(typical_trainer()))


# ---- networks stored before the trainer had snapshot()/restore() --------------------------------
# The fixtures were written by the codec of commit 1e8a92b (which read and wrote the trainer's
# fields itself): stores hold blobs like these, and they must keep decoding to the same network.

FIXTURES = Path(__file__).parent / "fixtures"


def stored(name: str) -> tuple[bytes, bytes]:
    return (FIXTURES / f"{name}_base.bin").read_bytes(), (FIXTURES / f"{name}_state.bin").read_bytes()


def test_a_stored_adam_network_decodes_to_the_network_it_was():
    base, state = stored("adam")
    # What was stored: the typical network, 7 Adam steps, then l2 and batch 4, one more step.
    reference = typical_trainer("adam")
    assert dump_base(reference) == base
    for _ in range(7):
        reference.step()
    reference.update(None, RegularizationSettings("l2", 0.001), 4)
    reference.step()
    assert dump_state(reference) == state  # the format is unchanged, byte for byte

    decoded = load_base(base)
    load_state(decoded, state)
    assert (decoded.step_count, decoded.optimizer_steps, decoded.epoch, decoded.epoch_position) == (8, 8, 0, 74)
    assert decoded.settings.regularization == RegularizationSettings("l2", 0.001)
    assert decoded.settings.batch_size == 4
    assert exported(decoded) == exported(reference)
    for _ in range(3):
        assert decoded.step()["loss"] == reference.step()["loss"]


def test_a_stored_network_with_its_own_data_and_no_biases_decodes():
    base, state = stored("own_data")
    # What was stored: a 2-3-1 network without biases on four samples, then momentum (μ 0.5), 5 steps.
    reference = load_base(base)
    reference.update(OptimizerSettings("momentum", 0.1, {"momentum": 0.5}))
    for _ in range(5):
        reference.step()
    assert dump_state(reference) == state

    decoded = load_base(base)
    load_state(decoded, state)
    assert decoded.network.biases is None and decoded.custom_data
    assert (decoded.step_count, decoded.optimizer_steps, decoded.epoch, decoded.epoch_position) == (5, 5, 2, 3)
    assert decoded.settings.optimizer == OptimizerSettings("momentum", 0.1, {"momentum": 0.5})
    assert exported(decoded) == exported(reference)
    assert decoded.step()["loss"] == reference.step()["loss"]


def features_trainer() -> Trainer:
    return Trainer(Settings(layer_sizes=[5, 4, 1], input_features=["x1", "x2", "x1_squared", "x2_squared", "sin_x1"],
                            init=InitSettings(seed=13), optimizer=OptimizerSettings("momentum", 0.05),
                            dataset=DatasetSettings("xor", 60, 0.1, 0.5, seed=17), batch_size=8))


def test_a_stored_network_with_input_features_decodes_to_the_network_it_was():
    # Written by this codec when input_features came (format backprop-playground/2): the network above,
    # then 4 steps. Stores will hold blobs like these from now on: they must keep decoding.
    base, state = stored("features")
    assert base.startswith(b'{"format":"backprop-playground/2"')
    reference = features_trainer()
    assert dump_base(reference) == base
    for _ in range(4):
        reference.step()
    assert dump_state(reference) == state

    decoded = load_base(base)
    load_state(decoded, state)
    assert decoded.settings.input_features == ["x1", "x2", "x1_squared", "x2_squared", "sin_x1"]
    assert (decoded.step_count, decoded.epoch, decoded.epoch_position) == (4, 0, 30)
    assert exported(decoded) == exported(reference)
    a, b = decoded.step(), reference.step()
    assert a["loss"] == b["loss"] and a["inputs"].shape == (8, 5)
    record = load_record(decoded, dump_record(reference.kept.find(b["step"])))
    assert (record.inputs == reference.kept.find(b["step"]).inputs).all()  # the features, as the step fed them


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_kept_step_travels_bit_for_bit_and_re_runs_to_its_trace(optimizer: str):
    trainer = typical_trainer(optimizer, regularization=RegularizationSettings("l1", 0.01))
    traces = [trainer.step(), trainer.step(inputs=[[0.5, 0.25]], targets=[[1.0]])]  # a training batch, a given one
    elsewhere = load_base(dump_base(typical_trainer(optimizer)))
    for trace in traces:
        record = load_record(elsewhere, dump_record(trainer.kept.find(trace["step"])))
        original = trainer.kept.find(trace["step"])
        for field in ("step", "epoch", "optimizer_steps", "optimizer", "regularization"):
            assert getattr(record, field) == getattr(original, field)
        assert record.params.tobytes() == original.params.tobytes()
        assert (record.sample_indices is None) == (original.sample_indices is None)
        replayed = orjson.dumps(elsewhere.replay(record)[0], option=orjson.OPT_SERIALIZE_NUMPY)
        assert replayed == orjson.dumps(trace, option=orjson.OPT_SERIALIZE_NUMPY)


def test_data_replaced_in_place_travels_in_the_state():
    trainer = typical_trainer()
    base = dump_base(trainer)  # made with the generated dataset
    trainer.step()
    trainer.replace_data({"inputs": [[0.0, 1.0], [1.0, 0.0], [3.0, 3.0]], "targets": [[1.0], [0.0], [1.0]],
                          "test_inputs": [[2.0, 2.0]], "test_targets": [[0.0]]})
    trainer.step()
    copy = round_trip(base, trainer)
    assert copy.data_edits == 1 and copy.custom_data
    assert copy.data.test_inputs.tolist() == [[2.0, 2.0]]
    assert exported(copy) == exported(trainer)
    assert copy.step()["loss"] == trainer.step()["loss"]
    load_state(copy, dump_state(trainer))  # the same edit again: the data is not put in twice
    assert copy.data_edits == 1 and exported(copy) == exported(trainer)
