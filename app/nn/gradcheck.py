"""The gradient check: backprop's ∂E/∂w beside a central finite difference of the batch loss.

For every weight and bias θ: numeric = (E(θ + ε) − E(θ − ε)) / 2ε, where E is the batch-mean data
loss plus the penalty, exactly the loss a step minimizes. A learner's proof that backprop is right:
the two agree to many digits. The network is never changed (a private copy is perturbed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .network import Network
from .stepping import batch_loss

Array = NDArray[np.float64]


def gradient_check(net: Network, x: Array, t: Array, regularization: str = "none", rate: float = 0.0,
                   epsilon: float = 1e-6) -> dict[str, Any]:
    """Every parameter's backprop gradient, its numeric estimate and their relative error.

    `net.backward` gives the gradient checked, so a network whose backward is wrong is caught.
    Costs 2 × (number of parameters) forward passes."""
    with np.errstate(all="ignore"):
        fwd = net.forward(x)
        backprop = np.array(net.backward(x, t, fwd, regularization, rate).grad_flat)  # (n_params,)
        probe = Network(net.arch, net.weights, net.biases)  # a copy: perturbing never touches `net`
        base = probe.params.copy()
        numeric = np.empty_like(base)
        for i in range(base.size):
            shifted = base.copy()
            shifted[i] = base[i] + epsilon
            probe.set_params(shifted)
            plus = batch_loss(probe, x, t, regularization, rate)
            shifted[i] = base[i] - epsilon
            probe.set_params(shifted)
            minus = batch_loss(probe, x, t, regularization, rate)
            numeric[i] = (plus - minus) / (2.0 * epsilon)
        scale = np.maximum(1.0, np.maximum(np.abs(backprop), np.abs(numeric)))
        relative = np.abs(backprop - numeric) / scale
    entries = [{**where, "backprop": float(backprop[i]), "numeric": float(numeric[i]),
                "relative_error": float(relative[i])} for i, where in enumerate(parameter_places(net))]
    worst = float(np.max(relative)) if relative.size else 0.0
    return {"epsilon": epsilon, "parameters": entries,
            "max_relative_error": worst if np.isfinite(worst) else None}


def parameter_places(net: Network) -> list[dict[str, Any]]:
    """Where each entry of the flat parameter vector sits: weights W_0 … then biases b_0 …"""
    places: list[dict[str, Any]] = []
    for l, (n_in, n_out) in enumerate(net.layout.shapes):
        places += [{"layer": l, "kind": "weight", "index": [i, j]} for i in range(n_in) for j in range(n_out)]
    if net.arch.use_bias:
        for l, (_, n_out) in enumerate(net.layout.shapes):
            places += [{"layer": l, "kind": "bias", "index": [j]} for j in range(n_out)]
    return places
