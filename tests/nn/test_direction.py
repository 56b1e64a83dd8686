"""The optimizer's own current step: momentum's velocity and Adam's m̂ rebuilt from the step traces'
gradients, and the last update for the optimizers without a velocity."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.direction import step_direction


def trainer(name: str) -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 4, 3, 1], batch_size=5, init=InitSettings(seed=2),
                            dataset=DatasetSettings("xor", 40, seed=3), optimizer=OptimizerSettings(name)))


def flat_gradient(trace) -> np.ndarray:
    """The step's gradient in the flat layout: every W_l row-major, then every b_l."""
    back = trace["backward"]
    return np.concatenate([np.ravel(b["grad_weights"]) for b in back] + [np.ravel(b["grad_biases"]) for b in back])


def test_momentums_direction_is_its_velocity_summed_from_the_gradients():
    tr = trainer("momentum")
    v = 0.0
    for _ in range(6):
        v = 0.9 * v + flat_gradient(tr.step())

    d = step_direction(tr.settings.optimizer, tr.slots, tr.optimizer_steps, None)

    assert d is not None and d["quantity"] == "velocity"
    assert np.allclose(d["values"], v, rtol=1e-12, atol=1e-300)
    assert np.array_equal(d["displacement"], -0.03 * d["values"])


def test_adams_direction_is_its_bias_corrected_first_moment():
    tr = trainer("adam")
    m = 0.0
    for _ in range(4):
        trace = tr.step()
        m = 0.9 * m + 0.1 * flat_gradient(trace)

    d = step_direction(tr.settings.optimizer, tr.slots, tr.optimizer_steps, None)

    assert d is not None and d["quantity"] == "first_moment"
    assert np.allclose(d["values"], m / (1 - 0.9**4), rtol=1e-12, atol=1e-300)
    assert np.array_equal(d["values"][:8], np.ravel(trace["optimizer"]["bias_corrected"]["m"]["weights"][0]))


@pytest.mark.parametrize("name", ["sgd", "adagrad", "rmsprop"])
def test_without_a_velocity_the_direction_is_the_last_update_or_nothing(name):
    tr = trainer(name)
    assert step_direction(tr.settings.optimizer, tr.slots, tr.optimizer_steps, None) is None

    trace = tr.step()
    delta = np.concatenate([np.ravel(u["weight_deltas"]) for u in trace["update"]]
                           + [np.ravel(u["bias_deltas"]) for u in trace["update"]])
    d = step_direction(tr.settings.optimizer, tr.slots, tr.optimizer_steps, delta)

    assert d is not None and d["quantity"] == "update" and d["symbol"] == "Δw"
    assert np.array_equal(d["values"], delta) and np.array_equal(d["displacement"], delta)


def test_adam_before_its_first_step_points_nowhere():
    tr = trainer("adam")
    d = step_direction(tr.settings.optimizer, tr.slots, tr.optimizer_steps, None)
    assert d is not None and not np.any(d["values"])
