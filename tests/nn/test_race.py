"""Optimizer races: racers share their start, data and mini-batches, and step exactly as lone networks."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
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


def relative_error(a, b) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


@pytest.mark.parametrize("steps", [[1], [5, 3], [40]])
def test_each_racer_stepped_one_by_one_equals_a_lone_network_bit_for_bit(steps):
    optimizers = default_racers()
    race = racers(Trainer(spec(optimizers[0])), optimizers)

    for n in steps:
        train_race(race, n, stacked=False)

    for racer, optimizer in zip(race, optimizers):
        lone = Trainer(spec(OptimizerSettings(optimizer.name)))
        for _ in range(sum(steps)):
            lone.step()
        assert np.array_equal(racer.network.params, lone.network.params), optimizer.name
        assert racer.step_count == lone.step_count == sum(steps)


NETWORKS = [  # every activation, every output/loss pair (natural or not), and both penalties
    dict(activation="tanh"),
    dict(activation="relu", regularization=RegularizationSettings("l2", 0.01)),
    dict(activation="leaky_relu", leaky_relu_slope=0.1, regularization=RegularizationSettings("l1", 0.002)),
    dict(activation="sigmoid", output_activation="sigmoid", loss="mse"),
    dict(activation="linear", output_activation="linear", loss="mse", use_bias=False),
    dict(activation="tanh", output_activation="tanh", loss="mse"),
]


@pytest.mark.parametrize("network", NETWORKS)
def test_stacked_racers_equal_lone_networks_to_1e_12(network):
    settings = Settings(layer_sizes=[2, 6, 4, 1], batch_size=9, init=InitSettings(seed=6),
                        dataset=DatasetSettings("xor", 70, 0.1, 0.5, seed=7), **network)
    optimizers = default_racers()
    race = racers(Trainer(settings), optimizers)
    race[0].update(optimizers[0])

    results = train_race(race, 25, eval_every=10)

    for racer, optimizer, result in zip(race, optimizers, results):
        lone = Trainer(Settings(**{**settings.__dict__, "optimizer": OptimizerSettings(optimizer.name)}))
        alone = lone.train(25, eval_every=10)
        assert relative_error(racer.network.params, lone.network.params) < 1e-12, optimizer.name
        assert np.allclose(result["loss"], alone["loss"], rtol=1e-12, atol=0)
        assert np.allclose(result["gradient_norms"], alone["gradient_norms"], rtol=1e-12, atol=0)
        assert [e["step"] for e in result["evaluations"]] == [10, 20, 25]
        assert racer.kept.find(25) is not None and racer.step_count == 25


def test_stacked_racers_with_softmax_and_cross_entropy_equal_lone_networks():
    settings = Settings(layer_sizes=[2, 5, 3], output_activation="softmax", loss="cross_entropy", batch_size=8,
                        init=InitSettings(seed=2), dataset=DatasetSettings("three_class", 60, 0.1, 0.5, seed=3))
    optimizers = [OptimizerSettings("sgd"), OptimizerSettings("adam"), OptimizerSettings("rmsprop")]
    race = racers(Trainer(settings), optimizers)
    race[0].update(optimizers[0])

    train_race(race, 30)

    for racer, optimizer in zip(race, optimizers):
        lone = Trainer(Settings(**{**settings.__dict__, "optimizer": OptimizerSettings(optimizer.name)}))
        lone.train(30)
        assert relative_error(racer.network.params, lone.network.params) < 1e-12


def test_racers_out_of_step_train_one_by_one_as_lone_networks():
    optimizers = default_racers()[:3]
    race = racers(Trainer(spec(optimizers[0])), optimizers)
    race[1].update(batch_size=4)  # no longer the same mini-batches

    train_race(race, 6)

    lone = Trainer(spec(OptimizerSettings("momentum")))
    lone.update(batch_size=4)
    lone.train(6)
    assert np.array_equal(race[1].network.params, lone.network.params)


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

    wild, calm = train_race(race, 30)  # stacked: the calm racer goes on alone after the other stops

    assert wild["diverged"] is not None and wild["steps_run"] < 30
    assert calm["diverged"] is None and calm["steps_run"] == 30 and race[1].step_count == 30


def test_train_with_path_answers_the_parameters_after_each_step():
    t = Trainer(spec())

    result = t.train(4, path=True)

    assert len(result["path"]) == 4
    assert np.array_equal(result["path"][-1], t.network.params)
    assert t.kept.find(4).params is result["path"][2]  # step 4 started where step 3 left it


def test_stacked_racers_norms_whose_squares_overflow_are_still_their_norms():
    # x = 1e102, t = 1e53 at w = 0: ∂E/∂w = x (y − t) = −1e155, finite, but its square overflows
    settings = Settings(layer_sizes=[1, 1], activation="linear", output_activation="linear", loss="mse",
                        use_bias=False, batch_size=1, optimizer=OptimizerSettings("sgd", 1e-160))
    first = Trainer(settings, weights=[[[0.0]]], data={"inputs": [[1e102]], "targets": [[1e53]]})
    race = racers(first, [OptimizerSettings("sgd", 1e-160), OptimizerSettings("momentum", 1e-160)])

    results = train_race(race, 1)

    for result in results:
        assert result["diverged"] is None
        assert result["gradient_norms"][0][0] == pytest.approx(1e155, rel=1e-12)
