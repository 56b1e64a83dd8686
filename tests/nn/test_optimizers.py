"""Each optimizer's update, recomputed in the test from the gradients the trace reports.

The gradients themselves are checked against finite differences in test_network_gradients.py;
here they are inputs, and the test keeps its own copy of the weights and optimizer state.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.optimizers import ALL_HYPERPARAMETERS, DEFAULT_OPTIMIZER, HYPERPARAMETERS, OPTIMIZERS, zero_slots

LR = 0.05
HYPER = {
    "sgd": {},
    "momentum": {"momentum": 0.8},
    "adagrad": {"epsilon": 1e-6},
    "rmsprop": {"rho": 0.85, "epsilon": 1e-7},
    "adam": {"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-7},
}


def make_trainer(name: str, hyper: dict[str, float] | None = None, lr: float = LR) -> Trainer:
    return Trainer(Settings(
        layer_sizes=[2, 3, 1], activation="tanh", output_activation="sigmoid", loss="binary_cross_entropy",
        init=InitSettings(seed=11, bias_value=0.1),
        optimizer=OptimizerSettings(name, lr, dict(HYPER[name] if hyper is None else hyper)),
        dataset=DatasetSettings("gauss", n_samples=60, noise=0.2, train_fraction=0.5, seed=5), batch_size=8))


class Reference:
    """The update rules as written in the issue, one parameter array at a time."""

    def __init__(self, name: str, h: dict[str, float], params: list[np.ndarray]):
        self.name, self.h = name, h
        self.params = [p.copy() for p in params]
        self.state = {slot: [np.zeros_like(p) for p in params] for slot in OPTIMIZERS[name].slots}
        self.t = 0

    def step(self, grads: list[np.ndarray], lr: float) -> None:
        self.t += 1
        h, s = self.h, self.state
        for i, (w, g) in enumerate(zip(self.params, grads, strict=True)):
            if self.name == "sgd":
                w -= lr * g
            elif self.name == "momentum":
                s["v"][i] = h["momentum"] * s["v"][i] + g
                w -= lr * s["v"][i]
            elif self.name == "adagrad":
                s["G"][i] = s["G"][i] + g * g
                w -= lr * g / (np.sqrt(s["G"][i]) + h["epsilon"])
            elif self.name == "rmsprop":
                s["S"][i] = h["rho"] * s["S"][i] + (1 - h["rho"]) * g * g
                w -= lr * g / (np.sqrt(s["S"][i]) + h["epsilon"])
            else:
                s["m"][i] = h["beta1"] * s["m"][i] + (1 - h["beta1"]) * g
                s["v"][i] = h["beta2"] * s["v"][i] + (1 - h["beta2"]) * g * g
                m_hat = s["m"][i] / (1 - h["beta1"] ** self.t)
                v_hat = s["v"][i] / (1 - h["beta2"] ** self.t)
                w -= lr * m_hat / (np.sqrt(v_hat) + h["epsilon"])


def params_of(trainer: Trainer) -> list[np.ndarray]:
    return [*trainer.network.weights, *trainer.network.biases]


def grads_of(trace: dict) -> list[np.ndarray]:
    return [b["grad_weights"] for b in trace["backward"]] + [b["grad_biases"] for b in trace["backward"]]


def assert_arrays_close(actual: list[np.ndarray], expected: list[np.ndarray]) -> None:
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_update_follows_its_formula_over_several_steps(name):
    trainer = make_trainer(name)
    ref = Reference(name, {**OPTIMIZERS[name].hyperparameters, **HYPER[name]}, params_of(trainer))
    for step in range(1, 6):
        before = params_of(trainer)
        trace = trainer.step()
        assert trace["applied"] and trace["step"] == step
        ref.step(grads_of(trace), LR)
        n = len(trace["update"])
        reported = [u["weights"] for u in trace["update"]] + [u["biases"] for u in trace["update"]]
        deltas = [u["weight_deltas"] for u in trace["update"]] + [u["bias_deltas"] for u in trace["update"]]
        assert_arrays_close(reported, ref.params)
        assert_arrays_close(params_of(trainer), ref.params)
        assert_arrays_close(deltas, [p - b for p, b in zip(ref.params, before, strict=True)])
        assert len(reported) == 2 * n


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_exported_optimizer_state_matches_the_formula_state(name):
    trainer = make_trainer(name)
    ref = Reference(name, {**OPTIMIZERS[name].hyperparameters, **HYPER[name]}, params_of(trainer))
    for _ in range(3):
        ref.step(grads_of(trainer.step()), LR)
    state = trainer.optimizer_state()
    assert state["t"] == 3
    assert set(state["slots"]) == set(OPTIMIZERS[name].slots)
    for slot, arrays in ref.state.items():
        assert_arrays_close(state["slots"][slot]["weights"] + state["slots"][slot]["biases"], arrays)


def test_sgd_with_a_first_step_is_learning_rate_times_gradient():
    trainer = make_trainer("sgd")
    before = params_of(trainer)
    trace = trainer.step()
    for w, g, after in zip(before, grads_of(trace), params_of(trainer), strict=True):
        np.testing.assert_allclose(after, w - LR * g, rtol=1e-15, atol=1e-17)
    assert trainer.optimizer_state() == {"t": 1, "slots": {}}


def test_adam_first_step_moves_each_weight_by_about_the_learning_rate():
    # With bias correction m̂ = g and v̂ = g², so Δw = −η g/(|g| + ε) ≈ −η sign(g).
    trainer = make_trainer("adam")
    trace = trainer.step()
    for u, b in zip(trace["update"], trace["backward"], strict=True):
        np.testing.assert_allclose(u["weight_deltas"], -LR * np.sign(b["grad_weights"]), rtol=1e-4)


def test_optimizers_never_mutate_the_state_they_are_given():
    grads = [np.array([[0.5, -1.0]])]
    for name, kind in OPTIMIZERS.items():
        state = zero_slots(name, [(1, 2)])
        snapshot = {k: [a.copy() for a in v] for k, v in state.items()}
        kind.deltas(grads, state, 1, 0.1, **kind.hyperparameters)
        for slot in state:
            np.testing.assert_array_equal(state[slot][0], snapshot[slot][0])


# ---- changing the optimizer of a running session (PATCH) ----------------------------------------

def test_update_with_new_hyperparameters_keeps_weights_and_state():
    trainer = make_trainer("adam")
    ref = Reference("adam", {**OPTIMIZERS["adam"].hyperparameters, **HYPER["adam"]}, params_of(trainer))
    for _ in range(3):
        ref.step(grads_of(trainer.step()), LR)
    weights = params_of(trainer)
    trainer.update(optimizer=OptimizerSettings("adam", 0.01, {"beta1": 0.7}))
    assert_arrays_close(params_of(trainer), weights)
    assert trainer.optimizer_state()["t"] == 3
    ref.h = {**OPTIMIZERS["adam"].hyperparameters, "beta1": 0.7}  # unnamed ones take their defaults
    for _ in range(2):  # the running moments continue with t = 4, 5 and the new η and β
        ref.step(grads_of(trainer.step()), 0.01)
    assert_arrays_close(params_of(trainer), ref.params)


def test_update_to_another_optimizer_keeps_weights_and_starts_a_fresh_state():
    trainer = make_trainer("adam")
    for _ in range(3):
        trainer.step()
    weights = params_of(trainer)
    trainer.update(optimizer=OptimizerSettings("momentum", 0.02, {"momentum": 0.5}))
    assert_arrays_close(params_of(trainer), weights)
    state = trainer.optimizer_state()
    assert state["t"] == 0
    assert set(state["slots"]) == {"v"}
    assert all(not a.any() for a in state["slots"]["v"]["weights"] + state["slots"]["v"]["biases"])
    ref = Reference("momentum", {"momentum": 0.5}, weights)
    for _ in range(3):
        ref.step(grads_of(trainer.step()), 0.02)
    assert_arrays_close(params_of(trainer), ref.params)
    assert trainer.settings.to_dict()["optimizer"] == {"name": "momentum", "learning_rate": 0.02, "momentum": 0.5}


def test_update_with_an_unknown_hyperparameter_is_refused_and_changes_nothing():
    trainer = make_trainer("adam")
    trainer.step()
    with pytest.raises(EngineError, match="no hyperparameter 'momentum'") as err:
        trainer.update(optimizer=OptimizerSettings("sgd", 0.1, {"momentum": 0.9}))
    assert err.value.field == "optimizer.momentum"
    assert trainer.settings.optimizer.name == "adam"
    assert set(trainer.optimizer_state()["slots"]) == {"m", "v"}
    assert trainer.optimizer_state()["t"] == 1


# ---- the registries: each optimizer's own defaults, every hyperparameter's bounds ------------------
def test_every_hyperparameter_of_an_optimizer_is_in_the_registry_with_a_default_inside_its_bounds():
    for kind in OPTIMIZERS.values():
        for name, default in kind.hyperparameters.items():
            assert HYPERPARAMETERS[name].admits(default), (kind.name, name)
    assert ALL_HYPERPARAMETERS == tuple(HYPERPARAMETERS)
    assert {k for o in OPTIMIZERS.values() for k in o.hyperparameters} == set(HYPERPARAMETERS)


def test_each_optimizer_has_its_own_default_learning_rate_and_hyperparameters():
    assert {o.name: o.learning_rate for o in OPTIMIZERS.values()} == dict.fromkeys(OPTIMIZERS, 0.03)
    assert OPTIMIZERS["adam"].hyperparameters["epsilon"] == 1e-8
    assert OPTIMIZERS["adagrad"].hyperparameters["epsilon"] == 1e-10
    assert DEFAULT_OPTIMIZER == "sgd"


@pytest.mark.parametrize("name, inside, outside", [
    ("momentum", [0.0, 0.999], [-0.1, 1.0]), ("rho", [0.0, 0.5], [1.0, 2.0]), ("beta1", [0.0], [1.0]),
    ("beta2", [0.999], [1.0, -1e-9]), ("epsilon", [1e-20, 1.0], [0.0, -1e-8, 1.0001]),
])
def test_hyperparameter_bounds_admit_their_interval_only(name, inside, outside):
    h = HYPERPARAMETERS[name]
    assert all(h.admits(v) for v in inside)
    assert not any(h.admits(v) for v in outside)


def test_optimizer_settings_take_the_optimizers_own_learning_rate_when_none_is_given():
    assert OptimizerSettings().learning_rate == OPTIMIZERS[DEFAULT_OPTIMIZER].learning_rate
    assert OptimizerSettings("adam").learning_rate == OPTIMIZERS["adam"].learning_rate
    assert OptimizerSettings.from_dict({"name": "rmsprop"}).to_dict() == {
        "name": "rmsprop", "learning_rate": OPTIMIZERS["rmsprop"].learning_rate, "rho": 0.9, "epsilon": 1e-8}


def test_an_optimizer_without_epsilon_uses_its_own_default():
    assert OptimizerSettings("adam").resolved()["epsilon"] == 1e-8
    assert OptimizerSettings("adagrad").resolved()["epsilon"] == 1e-10
