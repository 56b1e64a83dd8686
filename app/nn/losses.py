"""Loss functions, per sample b; the batch loss E is the mean over the batch.

Each loss gives, for the output layer:
- `per_sample(z, y, t)`: E_b for every sample, shape (batch,);
- `grad_a(y, t)`: ∂E_b/∂y, which may be infinite for cross-entropies when y saturates;
- `natural_output`: the output activation with which δ = ∂E_b/∂z is exactly y − t (linear+MSE,
  sigmoid+BCE, softmax+CE); for the cross-entropies `natural_grad_z` computes it directly, so that
  it stays finite where grad_a is not.
Cross-entropies are computed from z (log-sum-exp, softplus) so they never take log(0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def _softplus(z: Array) -> Array:
    return np.logaddexp(0.0, z)


def _mse(z: Array, y: Array, t: Array) -> Array:
    d = y - t
    e: Array = 0.5 * np.add.reduce(d * d, axis=1)
    return e


def _bce(z: Array, y: Array, t: Array) -> Array:
    # -[t log σ(z) + (1-t) log(1-σ(z))] = softplus(z) - t z
    e: Array = np.add.reduce(_softplus(z) - t * z, axis=1)
    return e


def _ce(z: Array, y: Array, t: Array) -> Array:
    # -Σ t_k log softmax(z)_k = Σ t_k (logsumexp(z) - z_k)
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    e: Array = (t * (lse - z)).sum(axis=1)
    return e


def _mse_grad_a(y: Array, t: Array) -> Array:
    return y - t


def _bce_grad_a(y: Array, t: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (y - t) / (y * (1.0 - y))


def _ce_grad_a(y: Array, t: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = -t / y
    return np.where(t == 0, 0.0, g)  # a zero target contributes nothing, even where y = 0


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str
    per_sample: Callable[[Array, Array, Array], Array]
    grad_a: Callable[[Array, Array], Array]
    # The only output activation this loss accepts, or None for any.
    requires_output: str | None
    target_range: tuple[float, float] | None  # targets must lie in this closed range
    natural_output: str  # the output activation with which δ = ∂E_b/∂z = y − t


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "E_b = ½ Σ_k (y_k − t_k)²", _mse, _mse_grad_a, None, None, "linear"),
        Loss("binary_cross_entropy", "E_b = −Σ_k [t_k log y_k + (1−t_k) log(1−y_k)]",
             _bce, _bce_grad_a, "sigmoid", (0.0, 1.0), "sigmoid"),
        Loss("cross_entropy", "E_b = −Σ_k t_k log y_k", _ce, _ce_grad_a, "softmax", (0.0, 1.0), "softmax"),
    )
}


def natural_grad_z(loss: str, z: Array, y: Array, t: Array) -> Array | None:
    """∂E_b/∂z for a loss with its natural output, stable where grad_a overflows."""
    if loss == "binary_cross_entropy":
        return y - t
    if loss == "cross_entropy":
        grad_z: Array = y * t.sum(axis=1, keepdims=True) - t  # = y - t when targets sum to 1
        return grad_z
    return None
