"""Optimizer races: racers share their start, data and mini-batches, and step exactly as lone networks."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.optimizers import OPTIMIZERS
from app.nn.race import default_racers, racers, train_race


def spec(optimizer: OptimizerSettings | None = None, seeded: bool = True) -> Settings:
    return Settings(layer_sizes=[2, 5, 3, 1], batch_size=7,
                    init=InitSettings(seed=4 if seeded else None),
                    dataset=DatasetSettings("circle", 60, 0.1, 0.5, seed=5 if seeded else None),
                    optimizer=optimizer or OptimizerSettings())


def test_default_racers_are_every_optimizer_with_its_own_defaults():
    optimizers = default_racers()

    assert [o.name for o in optimizers] == list(OPTIMIZERS)
    for o in optimizers:
        assert o.learning_rate == OPTIMIZERS[o.name].learning_rate
        assert o.resolved() == OPTIMIZERS[o.name].hyperparameters


def test_racers_share_initial_weights_data_and_batches_and_differ_in_the_optimizer():
    optimizers = default_racers()
    first = Trainer(spec(optimizers[0], seeded=False))  # seeds drawn once, for every racer

    race = racers(first, optimizers)

    assert [r.settings.optimizer.name for r in race] == list(OPTIMIZERS)
    for r in race[1:]:
        assert r.settings.init.seed == first.settings.init.seed
        assert r.settings.dataset == first.settings.dataset
        assert all(np.array_equal(a, b) for a, b in zip(r.network.weights, first.network.weights))
        assert np.array_equal(r.data.train_inputs, first.data.train_inputs)
        assert np.array_equal(r.batches.peek(7)[2], first.batches.peek(7)[2])
        assert r.settings is not first.settings and r.settings.optimizer is optimizers[race.index(r)]


@pytest.mark.parametrize("steps", [[1], [5, 3], [40]])
def test_each_racer_equals_a_lone_network_with_its_optimizer_bit_for_bit(steps):
    optimizers = default_racers()
    race = racers(Trainer(spec(optimizers[0])), optimizers)

    for n in steps:
        train_race(race, n)

    for racer, optimizer in zip(race, optimizers):
        lone = Trainer(spec(OptimizerSettings(optimizer.name)))
        for _ in range(sum(steps)):
            lone.step()
        assert np.array_equal(racer.network.params, lone.network.params), optimizer.name
        assert racer.step_count == lone.step_count == sum(steps)


def test_a_racer_on_its_own_data_gets_the_same_data():
    rng = np.random.default_rng(0)
    data = {"inputs": rng.normal(size=(12, 2)), "targets": (rng.random((12, 1)) > 0.5).astype(float)}
    first = Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=1), dataset=None), data=data)

    race = racers(first, [OptimizerSettings("sgd"), OptimizerSettings("adam")])

    assert race[1].custom_data and np.array_equal(race[1].data.train_inputs, data["inputs"])


def test_a_diverging_racer_stops_while_the_others_go_on():
    data = {"inputs": [[1e6]], "targets": [[0.0]]}
    settings = Settings(layer_sizes=[1, 1], activation="linear", output_activation="linear", loss="mse",
                        use_bias=False, init=InitSettings(seed=1), dataset=None, batch_size=1)
    first = Trainer(settings, weights=[[[1.0]]], data=data)
    race = racers(first, [OptimizerSettings("sgd", 1e6), OptimizerSettings("sgd", 1e-13)])

    wild, calm = train_race(race, 30)

    assert wild["diverged"] is not None and wild["steps_run"] < 30
    assert calm["diverged"] is None and calm["steps_run"] == 30 and race[1].step_count == 30


def test_train_with_path_answers_the_parameters_after_each_step():
    t = Trainer(spec())

    result = t.train(4, path=True)

    assert len(result["path"]) == 4
    assert np.array_equal(result["path"][-1], t.network.params)
    assert t.kept.find(4).params is result["path"][2]  # step 4 started where step 3 left it
