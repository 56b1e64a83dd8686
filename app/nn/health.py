"""When training goes wrong inside the network: dead and saturated hidden units, and an output
that no longer depends on its input, measured over the whole training set.

- A ReLU or leaky ReLU unit is *dead* when its weighted input z ≤ 0 on every training sample: a
  ReLU unit then outputs 0 for every sample and its f′(z) = 0, so no gradient ever reaches its
  weights and it cannot come back (a leaky unit keeps only the small slope α).
- A sigmoid or tanh unit is *saturated* when |f′(z)| is below 1 % of f′'s maximum (f′(0): ¼ for
  the sigmoid, 1 for tanh) on at least 99 % of the training samples: the chain rule multiplies its
  δ by that f′, so its weights (and everything before it) learn very slowly.
- The output is *constant* when, for every output unit, max − min over the training set is below
  0.1 % of its scale (the activation's range; for an unbounded output, the targets' spread), over at
  least two samples. For a
  classification that means a single answer for every sample; `at_chance` says its accuracy is
  no better than always answering the most common class.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS
from .network import Network

Array = NDArray[np.float64]

DEAD_ACTIVATIONS = ("relu", "leaky_relu")
SATURATING_ACTIVATIONS = ("sigmoid", "tanh")
SATURATED_SLOPE = 0.01  # |f′(z)| below this share of f′'s maximum counts as saturated on that sample
SATURATED_SHARE = 0.99  # ... and a unit is saturated when that holds on this share of the samples
CONSTANT_SPREAD = 1e-3  # an output whose max − min is below this share of its scale is constant
CHANCE_MARGIN = 1e-9  # accuracy ≤ the most common class's share (+ this, for rounding) is chance level


def dead_units(z: Array) -> list[int]:
    """Units whose weighted input is ≤ 0 on every sample; z is (n, n_units)."""
    return [int(j) for j in np.flatnonzero((z <= 0).all(axis=0))]


def saturated_units(z: Array, a: Array, activation: str) -> list[int]:
    """Units whose |f′(z)| < SATURATED_SLOPE · max f′ on at least SATURATED_SHARE of the samples."""
    act = ACTIVATIONS[activation]
    assert act.derivative is not None
    zero = np.zeros(1)
    peak = float(act.derivative(zero, act.value(zero, 0.0), 0.0)[0])  # f′ is largest at z = 0
    slope = np.abs(act.derivative(z, a, 0.0))  # (n, n_units)
    flat = (slope < SATURATED_SLOPE * peak).mean(axis=0)  # (n_units,) share of samples
    return [int(j) for j in np.flatnonzero(flat >= SATURATED_SHARE)]


def output_scale(activation: str, targets: Array) -> Array:
    """Per output unit: the width of the activation's range, else of the targets' (1 if they are all equal)."""
    lo_hi = ACTIVATIONS[activation].range
    if lo_hi is not None:
        return np.full(targets.shape[1], lo_hi[1] - lo_hi[0])
    spread = np.ptp(targets, axis=0)  # (n_out,)
    return np.where(spread > 0, spread, 1.0)


def chance_accuracy(task: str, targets: Array) -> float | None:
    """The accuracy of always answering the training set's most common class (None: no classes)."""
    if task == "binary":
        classes = targets[:, 0]  # two values: 0/1 (or −1/1 for a tanh output)
    elif task == "multiclass":
        classes = targets.argmax(axis=1)  # one-hot rows -> class index
    else:
        return None
    _, counts = np.unique(classes, return_counts=True)
    return float(counts.max() / len(classes))


def network_health(network: Network, x: Array, t: Array, task: str, accuracy: float | None) -> dict[str, Any]:
    """Dead and saturated units per hidden layer, and whether the output is constant (and at chance)
    over the training samples x (n, n_in) with targets t (n, n_out); `accuracy` is the training accuracy."""
    arch = network.arch
    with np.errstate(all="ignore"):
        fwd = network.forward(x)
        layers = []
        for l in range(arch.n_layers - 1):
            z, a = fwd.z[l], fwd.a[l]  # (n, n_units)
            name = arch.activation_of(l)
            layers.append({
                "layer": l, "activation": name,
                "dead": dead_units(z) if name in DEAD_ACTIVATIONS else [],
                "saturated": saturated_units(z, a, name) if name in SATURATING_ACTIVATIONS else [],
            })
        y = fwd.a[-1]  # (n, n_out)
        spread = np.ptp(y, axis=0)  # (n_out,); NaN when an output is not finite
        constant = len(x) > 1 and bool(np.all(spread < CONSTANT_SPREAD * output_scale(arch.output_activation, t)))
    chance = chance_accuracy(task, t)
    at_chance = None if chance is None or accuracy is None else constant and accuracy <= chance + CHANCE_MARGIN
    return {"layers": layers,
            "output": {"spread": [float(s) if np.isfinite(s) else None for s in spread], "constant": constant,
                       "chance_accuracy": chance, "at_chance": at_chance}}
