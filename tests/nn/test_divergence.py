"""Divergence detection: the first non-finite number of a step, in the order the step made it."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn.divergence import Divergence, find_divergence
from app.nn.network import Architecture, Network


def step_parts(weights: list[np.ndarray], x: list[list[float]], t: list[list[float]]):
    """Forward, loss, backward and SGD's new parameters of one step of a linear mse network."""
    net = Network(Architecture((2, 2, 1), "linear", "linear", "mse", use_bias=False), weights, None)
    x_, t_ = np.array(x), np.array(t)
    with np.errstate(all="ignore"):
        fwd = net.forward(x_)
        loss = float(net.loss_per_sample(fwd, t_).mean())
        bwd = net.backward(x_, t_, fwd)
        new_params = net.params - 0.1 * bwd.grad_flat
    return fwd, loss, bwd, new_params, net.layout


def test_a_finite_step_is_no_divergence():
    fwd, loss, bwd, new, layout = step_parts([np.ones((2, 2)), np.ones((2, 1))], [[1.0, 2.0]], [[0.5]])
    assert find_divergence(fwd, loss, bwd, new, {}, layout, 0.1) is None


def test_finite_numbers_whose_sum_overflows_are_no_divergence():
    fwd, loss, bwd, new, layout = step_parts([np.ones((2, 2)), np.ones((2, 1))], [[1.0, 2.0]], [[0.5]])
    big = [np.full(new.shape, 1.5e308)]  # every entry finite, their sum is not
    with np.errstate(over="ignore"):  # as in the step, which finds divergences under its errstate
        assert find_divergence(fwd, loss, bwd, new, {"v": big}, layout, 0.1) is None


def test_an_overflowing_forward_pass_is_reported_at_its_layer():
    fwd, loss, bwd, new, layout = step_parts([np.full((2, 2), 1e200), np.ones((2, 1))], [[1e200, 1e200]],
                                             [[0.5]])
    d = find_divergence(fwd, loss, bwd, new, {}, layout, 0.25)
    assert isinstance(d, Divergence)
    assert (d.phase, d.layer, d.quantity) == ("forward", 0, "z")
    assert d.message.startswith("The step was not applied") and "η = 0.25" in d.message
    assert d.to_dict() == {"phase": "forward", "layer": 0, "quantity": "z", "message": d.message}


@pytest.mark.parametrize("slot_value, expected", [
    (np.inf, ("update", None, "optimizer_state")),
    (1.0, None),
])
def test_an_overflowing_optimizer_slot_is_a_divergence(slot_value, expected):
    fwd, loss, bwd, new, layout = step_parts([np.ones((2, 2)), np.ones((2, 1))], [[1.0, 2.0]], [[0.5]])
    slots = {"G": [np.full(new.shape, slot_value)]}
    d = find_divergence(fwd, loss, bwd, new, slots, layout, 0.1)
    assert (None if d is None else (d.phase, d.layer, d.quantity)) == expected
