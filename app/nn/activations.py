"""Activation functions as (value, derivative) pairs.

Each hidden activation is elementwise, so backward only needs f'(z) and multiplies it
into grad_a. Softmax couples the units of a layer, so it carries a vector-Jacobian
product instead of an elementwise derivative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str
    # a = f(z); `slope` is the Leaky ReLU α and is ignored by the others.
    value: Callable[[Array, float], Array]
    # f'(z) given z and the cached a = f(z); None for softmax, which is not elementwise.
    derivative: Callable[[Array, Array, float], Array] | None
    range: tuple[float, float] | None  # [lo, hi] of a = f(z); None when unbounded
    layers: str  # where it may be used: "hidden", "output" or "both"


def sigmoid(z: Array) -> Array:
    """1 / (1 + e^-z). For z < -709, e^-z overflows to inf and the result is the correct 0."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def softmax(z: Array) -> Array:
    shifted = z - z.max(axis=-1, keepdims=True)  # exp cannot overflow
    e = np.exp(shifted)
    a: Array = e / e.sum(axis=-1, keepdims=True)
    return a


def softmax_vjp(a: Array, grad_a: Array) -> Array:
    """grad_z = J^T grad_a for a = softmax(z): dz_k = a_k (grad_a_k - Σ_j grad_a_j a_j)."""
    grad_z: Array = a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))
    return grad_z


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", "f(z) = z", lambda z, s: z.copy(), lambda z, a, s: np.ones_like(z), None, "both"),
        Activation("sigmoid", "f(z) = 1 / (1 + e^-z)", lambda z, s: sigmoid(z),
                   lambda z, a, s: a * (1.0 - a), (0.0, 1.0), "both"),
        Activation("tanh", "f(z) = tanh z", lambda z, s: np.tanh(z), lambda z, a, s: 1.0 - a * a, (-1.0, 1.0),
                   "both"),
        Activation("relu", "f(z) = max(0, z)", lambda z, s: np.maximum(z, 0.0),
                   lambda z, a, s: (z > 0).astype(z.dtype), None, "hidden"),
        Activation("leaky_relu", "f(z) = z if z > 0 else α z",
                   lambda z, s: np.where(z > 0, z, s * z),
                   lambda z, a, s: np.where(z > 0, 1.0, s), None, "hidden"),
        Activation("softmax", "f(z)_k = e^z_k / Σ_j e^z_j", lambda z, s: softmax(z), None, (0.0, 1.0),
                   "output"),
    )
}

HIDDEN_ACTIVATIONS = tuple(n for n, a in ACTIVATIONS.items() if a.layers in ("hidden", "both"))
OUTPUT_ACTIVATIONS = tuple(n for n, a in ACTIVATIONS.items() if a.layers in ("output", "both"))
