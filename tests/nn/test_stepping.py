"""A step's explanation details: the loss after the update and the optimizer's slots before and after."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.nn.optimizers import OPTIMIZERS
from app.nn.stepping import weight_norms


def trainer(optimizer: str, **kw) -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 4, 1], batch_size=6, init=InitSettings(seed=2),
                            optimizer=OptimizerSettings(optimizer, 0.1),
                            dataset=DatasetSettings("xor", 30, 0.1, 0.5, seed=3), **kw))


@pytest.mark.parametrize("regularization", [RegularizationSettings(), RegularizationSettings("l2", 0.05)])
def test_loss_after_is_the_same_batch_forward_after_the_update(regularization):
    t = trainer("momentum", regularization=regularization)
    for _ in range(3):
        trace = t.step()
        after = t.forward_trace(trace["inputs"], trace["targets"])
        assert trace["loss_after"] == after["loss"]  # the same numbers, computed the same way
        assert trace["loss_after"] != trace["loss"]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_optimizer_block_holds_the_slots_before_and_after_as_the_state_shows_them(name):
    t = trainer(name)
    t.step()
    before = t.optimizer_state()
    trace = t.step()
    after = t.optimizer_state()
    block = trace["optimizer"]
    assert (block["name"], block["learning_rate"]) == (name, 0.1)
    assert block["hyperparameters"] == OPTIMIZERS[name].hyperparameters
    assert (block["t_before"], block["t_after"]) == (before["t"], after["t"]) == (1, 2)
    assert set(block["slots_before"]) == set(block["slots_after"]) == set(OPTIMIZERS[name].slots)
    for slot in OPTIMIZERS[name].slots:
        for part in ("weights", "biases"):
            for got, want in zip(block["slots_before"][slot][part], before["slots"][slot][part], strict=True):
                np.testing.assert_array_equal(got, want)
            for got, want in zip(block["slots_after"][slot][part], after["slots"][slot][part], strict=True):
                np.testing.assert_array_equal(got, want)


def test_momentum_slots_follow_the_rule_from_before_to_after():
    t = trainer("momentum")
    t.step()
    trace = t.step()
    block = trace["optimizer"]
    mu = block["hyperparameters"]["momentum"]
    for l, layer in enumerate(trace["backward"]):
        v_before = block["slots_before"]["v"]["weights"][l]
        v_after = block["slots_after"]["v"]["weights"][l]
        np.testing.assert_allclose(v_after, mu * v_before + layer["grad_weights"], rtol=0, atol=1e-15)
        np.testing.assert_allclose(trace["update"][l]["weight_deltas"], -0.1 * v_after, rtol=0, atol=1e-15)


def test_a_diverged_step_has_no_loss_after_and_train_computes_no_details():
    t = Trainer(Settings(layer_sizes=[2, 2, 1], init=InitSettings(seed=0), dataset=None),
                weights=[np.full((2, 2), 1e200), np.ones((2, 1))],
                data={"inputs": [[1e200, 1e200]], "targets": [[1.0]]})
    trace = t.step()
    assert not trace["applied"] and trace["loss_after"] is None
    assert trace["optimizer"]["t_before"] == 0 and trace["optimizer"]["t_after"] == 1  # the t it tried
    quiet = trainer("sgd").step(details=False)
    assert "loss_after" not in quiet and "optimizer" not in quiet


def test_adam_gives_the_bias_corrected_estimates_its_update_used():
    t = trainer("adam")
    t.step()
    trace = t.step()
    block = trace["optimizer"]
    h = block["hyperparameters"]
    for l, delta in enumerate(trace["update"]):
        m_hat = block["bias_corrected"]["m"]["weights"][l]
        v_hat = block["bias_corrected"]["v"]["weights"][l]
        np.testing.assert_allclose(m_hat, block["slots_after"]["m"]["weights"][l] / (1 - h["beta1"] ** 2), rtol=1e-15)
        np.testing.assert_allclose(v_hat, block["slots_after"]["v"]["weights"][l] / (1 - h["beta2"] ** 2), rtol=1e-15)
        np.testing.assert_allclose(delta["weight_deltas"], -0.1 * m_hat / (np.sqrt(v_hat) + h["epsilon"]),
                                   rtol=1e-14)
    assert trainer("momentum").step()["optimizer"]["bias_corrected"] is None


def test_weight_norms_are_each_layers_frobenius_norm():
    rng = np.random.default_rng(3)
    layers = [rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 1))]
    out = np.empty(3)

    weight_norms(np.concatenate([w.ravel() for w in layers]), np.array([0, 6, 18]), out)

    assert np.allclose(out, [math.sqrt(sum(x * x for x in w.ravel())) for w in layers], rtol=1e-14, atol=0)


def test_weight_norms_of_a_gradient_whose_squares_overflow_are_finite():
    grad = np.array([3e200, 4e200, 1.0, 0.0])
    out = np.empty(2)

    weight_norms(grad, np.array([0, 2]), out)

    assert out[0] == pytest.approx(5e200, rel=1e-15) and out[1] == 1.0
