"""The gradient check agrees with backprop everywhere, changes nothing, and catches a wrong gradient."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn.gradcheck import gradient_check
from app.nn.network import Architecture, Backward, Forward, Network

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT_LOSS = [("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]


def network_and_batch(hidden, output, loss, regularization="none", seed=0, net_class=Network):
    rng = np.random.default_rng(seed)
    sizes = (2, 4, 3, 2)
    arch = Architecture(sizes, hidden, output, loss, 0.1, True)
    weights = [rng.normal(0, 0.7, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(0, 0.2, n) for n in sizes[1:]]
    net = net_class(arch, weights, biases)
    x = rng.normal(0, 1, (6, 2))
    # Keep every z away from ReLU's kink, where a finite difference is not a derivative.
    fwd = net.forward(x)
    for l, z in enumerate(fwd.z[:-1]):
        net.biases[l] += np.where(np.abs(z).min(axis=0) < 0.05, 0.3, 0.0)
    if output == "softmax" and loss == "cross_entropy":
        t = np.eye(2)[rng.integers(0, 2, 6)]
    elif loss == "binary_cross_entropy":
        t = rng.integers(0, 2, (6, 2)).astype(float)
    else:
        t = rng.normal(0, 1, (6, 2))
    return net, x, t


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,loss", OUTPUT_LOSS)
def test_backprop_agrees_with_finite_differences(hidden, output, loss):
    net, x, t = network_and_batch(hidden, output, loss, seed=len(hidden) + len(loss))
    result = gradient_check(net, x, t, "l2", 0.01)
    assert result["max_relative_error"] < 1e-6
    assert len(result["parameters"]) == net.layout.size
    first, last = result["parameters"][0], result["parameters"][-1]
    assert (first["layer"], first["kind"], first["index"]) == (0, "weight", [0, 0])
    assert (last["layer"], last["kind"], last["index"]) == (2, "bias", [1])


def test_it_changes_nothing():
    net, x, t = network_and_batch("tanh", "sigmoid", "binary_cross_entropy")
    before = net.params.copy()
    gradient_check(net, x, t)
    assert np.array_equal(net.params, before)


class WrongBackward(Network):
    """A test double: backprop with one gradient off by 0.001."""

    def backward(self, x, t, fwd: Forward, regularization="none", rate=0.0) -> Backward:
        bwd = super().backward(x, t, fwd, regularization, rate)
        bwd.grad_flat[3] += 1e-3
        return bwd


def test_a_wrong_gradient_is_caught():
    net, x, t = network_and_batch("tanh", "linear", "mse", net_class=WrongBackward)
    result = gradient_check(net, x, t)
    assert result["max_relative_error"] > 1e-4
    worst = max(result["parameters"], key=lambda p: p["relative_error"])
    assert (worst["layer"], worst["kind"], worst["index"]) == (0, "weight", [0, 3])
