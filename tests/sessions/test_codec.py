"""A network written as base + state and read back is the same network, bit for bit."""

from __future__ import annotations

import orjson
import pytest

from app.nn import OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.sessions.codec import dump_base, dump_state, load_base, load_state

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
