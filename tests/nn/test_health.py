"""Dead and saturated units and a constant output (app.nn.health): on networks built so that a unit
is dead or saturated, and against an independent sample-by-sample computation on trained ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.health import chance_accuracy, network_health

X = np.array([[-1.0, 0.5], [0.3, -0.2], [1.2, 0.9], [-0.4, -1.1]])  # (4, 2)
T = np.array([[1.0], [0.0], [1.0], [0.0]])


def built(activation: str, w0: list[list[float]], b0: list[float], w1: list[list[float]] | None = None,
          b1: float = 0.0, x: np.ndarray = X, t: np.ndarray = T) -> Trainer:
    """A 2-(n)-1 network with the given first layer, on the samples x, t."""
    n = len(b0)
    w1 = w1 if w1 is not None else [[1.0]] * n
    return Trainer(Settings(layer_sizes=[2, n, 1], activation=activation, init=InitSettings(seed=1)),
                   weights=[np.array(w0), np.array(w1)], biases=[np.array(b0), np.array([b1])],
                   data={"inputs": x, "targets": t})


def health_of(trainer: Trainer) -> dict:
    evaluation = trainer.evaluate()
    health = trainer.health(evaluation["train_accuracy"])
    assert health is not None
    return health


def binary_health(trainer: Trainer) -> dict:
    """As if the samples were a binary classification (a caller's own data has no classes)."""
    y = trainer.predict(X)[:, 0]
    accuracy = float(np.mean((y > 0.5) == (T[:, 0] > 0.5)))
    return network_health(trainer.network, X, T, "binary", accuracy)


# ---- constructed networks ----------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_a_unit_whose_bias_keeps_z_below_zero_is_dead(activation):
    # Unit 1: z = x1 + x2 − 10 < 0 on every sample. Unit 0 is alive; unit 2's z = 0 exactly at x = 0 only.
    trainer = built(activation, [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]], [0.0, -10.0, -1.0])
    [layer] = health_of(trainer)["layers"]
    assert layer == {"layer": 0, "activation": activation, "dead": [1, 2], "saturated": []}


def test_a_relu_unit_positive_on_one_sample_only_is_alive():
    # z = x1 − 1.1: positive on sample 2 (x1 = 1.2) alone.
    trainer = built("relu", [[1.0], [0.0]], [-1.1])
    assert health_of(trainer)["layers"][0]["dead"] == []


def test_a_dead_relu_unit_gets_no_gradient_and_stays_dead():
    trainer = built("relu", [[1.0, 1.0], [1.0, 1.0]], [0.0, -10.0])
    w_before = trainer.network.weights[0][:, 1].copy()
    for _ in range(20):
        trace = trainer.step()
        assert np.all(trace["backward"][0]["grad_weights"][:, 1] == 0)
    assert np.array_equal(trainer.network.weights[0][:, 1], w_before)
    assert health_of(trainer)["layers"][0]["dead"] == [1]


@pytest.mark.parametrize(("activation", "big"), [("sigmoid", 30.0), ("tanh", 30.0)])
def test_units_with_huge_weights_are_saturated_and_small_ones_are_not(activation, big):
    # Unit 0: |z| ≥ 30 · 0.4 = 12 on every sample (f′ < 1e-5 of its peak); unit 1: |z| ≤ 0.2.
    x = np.array([[0.4, 0.0], [-0.5, 0.1], [1.0, 1.0], [-2.0, 3.0]])
    trainer = built(activation, [[big, 0.1], [0.0, 0.0]], [0.0, 0.0], x=x)
    [layer] = health_of(trainer)["layers"]
    assert layer["saturated"] == [0] and layer["dead"] == []


def test_saturation_needs_99_percent_of_the_samples():
    # 100 samples; the unit's z = 20 x1 is flat where |x1| ≥ 0.5: on 99 of them, then on 98.
    rng = np.random.default_rng(3)
    for flat, expected in ((99, [0]), (98, [])):
        x1 = np.concatenate([rng.uniform(0.5, 2.0, flat), np.zeros(100 - flat)])
        x = np.column_stack([x1, np.zeros(100)])
        t = (x1 > 1).astype(float)[:, None]
        trainer = built("sigmoid", [[20.0], [0.0]], [0.0], x=x, t=t)
        assert health_of(trainer)["layers"][0]["saturated"] == expected


def test_the_saturation_threshold_is_one_percent_of_the_derivatives_maximum():
    # sigmoid′(z) = 0.01 · ¼ at z ≈ ±5.9869: just past it the unit counts as flat, just before it not.
    r = math.sqrt(1 - 4 * 0.0025)  # s(1 − s) = 0.0025 at s = (1 ± r) / 2
    z_edge = math.log((1 + r) / (1 - r))
    for z, expected in ((z_edge + 1e-6, [0]), (z_edge - 1e-6, [])):
        x = np.array([[1.0, 0.0]] * 4)
        trainer = built("sigmoid", [[z], [0.0]], [0.0], x=x, t=T)
        assert health_of(trainer)["layers"][0]["saturated"] == expected


def test_other_activations_report_neither():
    trainer = built("linear", [[1.0], [1.0]], [-10.0])
    assert health_of(trainer)["layers"][0] == {"layer": 0, "activation": "linear", "dead": [], "saturated": []}


def test_an_output_cut_off_by_dead_units_is_constant_at_chance():
    trainer = built("relu", [[1.0, 1.0], [1.0, 1.0]], [-10.0, -10.0])  # both dead: y = sigmoid(b1) everywhere
    output = binary_health(trainer)["output"]
    assert output == {"spread": [0.0], "constant": True, "chance_accuracy": 0.5, "at_chance": True}


def test_a_working_output_is_not_constant():
    trainer = built("tanh", [[2.0], [0.0]], [0.0], w1=[[3.0]])
    output = binary_health(trainer)["output"]
    assert not output["constant"] and output["at_chance"] is False
    assert output["spread"][0] > 0.5


def test_a_constant_regression_output_has_no_chance_level():
    x = np.linspace(-1, 1, 6)[:, None]
    trainer = Trainer(Settings(layer_sizes=[1, 2, 1], activation="relu", output_activation="linear", loss="mse"),
                      weights=[np.array([[1.0, -1.0]]), np.array([[1.0], [1.0]])],
                      biases=[np.array([-5.0, -5.0]), np.array([0.7])],
                      data={"inputs": x, "targets": x ** 2})
    output = health_of(trainer)["output"]
    assert output == {"spread": [0.0], "constant": True, "chance_accuracy": None, "at_chance": None}


def test_chance_accuracy_is_the_most_common_class_share():
    assert chance_accuracy("binary", np.array([[1.0], [0.0], [0.0], [0.0]])) == 0.75
    assert chance_accuracy("binary", np.array([[1.0], [-1.0], [1.0]])) == pytest.approx(2 / 3)
    one_hot = np.eye(3)[[0, 2, 2, 1, 2]]
    assert chance_accuracy("multiclass", one_hot) == 0.6
    assert chance_accuracy("regression", np.zeros((3, 1))) is None


# ---- against an independent computation ----------------------------------------------------------

def by_hand(trainer: Trainer) -> tuple[list[list[int]], list[list[int]], bool]:
    """Dead and saturated units per hidden layer, and a constant output, one sample at a time in plain
    Python: z_j = Σ_i a_i w_ij + b_j, with f and f′ written out here."""
    f = {"relu": lambda z: max(z, 0.0), "tanh": math.tanh, "sigmoid": lambda z: 1 / (1 + math.exp(-z))
         if z > -700 else 0.0}
    slope = {"tanh": lambda z: 1 - math.tanh(z) ** 2, "sigmoid": lambda z: f["sigmoid"](z) * (1 - f["sigmoid"](z))}
    peak = {"tanh": 1.0, "sigmoid": 0.25}
    weights = [w.tolist() for w in trainer.network.weights]
    biases = [b.tolist() for b in trainer.network.biases]
    act = trainer.arch.activation
    zs: list[list[list[float]]] = [[] for _ in weights]  # layer -> sample -> unit
    outputs = []
    for sample in trainer.data.train_inputs.tolist():
        a = sample
        for l, (w, b) in enumerate(zip(weights, biases)):
            z = [sum(a[i] * w[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
            zs[l].append(z)
            a = [f[act](v) for v in z] if l < len(weights) - 1 else [f["sigmoid"](v) for v in z]
        outputs.append(a[0])
    dead, saturated = [], []
    for l in range(len(weights) - 1):
        units = range(len(biases[l]))
        samples = zs[l]
        dead.append([j for j in units if act == "relu" and all(z[j] <= 0 for z in samples)])
        saturated.append([j for j in units if act != "relu" and sum(
            abs(slope[act](z[j])) < 0.01 * peak[act] for z in samples) >= 0.99 * len(samples)])
    return dead, saturated, max(outputs) - min(outputs) < 1e-3


@pytest.mark.parametrize(("activation", "rate", "seed"), [
    ("relu", 1000.0, 0), ("relu", 1000.0, 1), ("relu", 3.0, 2), ("relu", 0.03, 3),
    ("sigmoid", 300.0, 0), ("tanh", 100.0, 1), ("tanh", 0.03, 2), ("sigmoid", 30.0, 3)])
def test_health_agrees_with_a_sample_by_sample_computation(activation, rate, seed):
    trainer = Trainer(Settings(layer_sizes=[2, 8, 8, 1], activation=activation, init=InitSettings(seed=seed),
                               optimizer=OptimizerSettings(learning_rate=rate),
                               dataset=DatasetSettings("circle", 200, 0.0, 0.5, seed=seed)))
    trainer.train(150)
    health = health_of(trainer)
    dead, saturated, constant = by_hand(trainer)
    assert [layer["dead"] for layer in health["layers"]] == dead
    assert [layer["saturated"] for layer in health["layers"]] == saturated
    assert health["output"]["constant"] == constant


def test_the_worked_case_of_issue_13_kills_a_layer_and_leaves_a_constant_output_at_chance():
    # Circle, ReLU 8,8, η = 1000: after some steps a hidden layer is dead, the output constant, ~50 %.
    trainer = Trainer(Settings(layer_sizes=[2, 8, 8, 1], activation="relu", init=InitSettings(seed=0),
                               optimizer=OptimizerSettings(learning_rate=1000.0),
                               dataset=DatasetSettings("circle", 500, 0.0, 0.5, seed=0)))
    trainer.train(200)
    health = health_of(trainer)
    assert any(len(layer["dead"]) == 8 for layer in health["layers"])
    assert health["output"]["constant"] and health["output"]["at_chance"]
