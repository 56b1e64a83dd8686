"""The loss along one weight: E(w) of a kept step's batch as that weight alone varies.

For the worked-example lesson: the curve E(w) (batch-mean data loss plus penalty, every other
parameter as the step found it), the weight's value before the step, the slope ∂E/∂w there (the
step's gradient), the change Δw and the value after. With one weight, as in the worked example,
E at the value after is the step's `loss_after`; with more, the step moved the other weights too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import EngineError
from .explain import check_weight
from .network import Network
from .settings import RegularizationSettings
from .stepping import at, batch_loss

Array = NDArray[np.float64]


def default_range(w_before: float, w_after: float) -> tuple[float, float]:
    """Wide enough to show the step with room on both sides: twice the step beyond each end (at least
    5 % of the weight's size, so a step of zero still has a curve around it)."""
    reach = max(2.0 * abs(w_after - w_before), 0.05 * max(1.0, abs(w_before)))
    return min(w_before, w_after) - reach, max(w_before, w_after) + reach


def loss_along(net: Network, x: Array, t: Array, regularization: str, rate: float, layer: int, source: int,
               target: int, values: Array) -> Array:
    """E at each value of weights[layer][source][target], every other parameter as in `net`."""
    losses = np.empty(len(values))
    with np.errstate(all="ignore"):
        for k, value in enumerate(values):
            params = net.params.copy()
            net.layout.weights(params)[layer][source, target] = value  # a view into the copy
            losses[k] = batch_loss(at(net, params), x, t, regularization, rate)
    return losses


def loss_curve(net: Network, trace: dict[str, Any], regularization: RegularizationSettings, layer: int, source: int,
               target: int, points: int, lo: float | None = None, hi: float | None = None) -> dict[str, Any]:
    """The curve for a kept step: `net` at the parameters the step started from, `trace` its re-run
    (with details), `regularization` the step's."""
    check_weight(net.arch, layer, source, target)
    if points < 2:
        raise EngineError("points must be at least 2", "points")
    w_before = float(net.weights[layer][source, target])
    update = trace["update"][layer]
    delta_w = float(update["weight_deltas"][source, target])
    w_after = float(update["weights"][source, target])
    if (lo is None) != (hi is None):
        raise EngineError("give both lo and hi, or neither for a range around the step", "lo" if lo is None else "hi")
    if lo is None or hi is None:
        lo, hi = default_range(w_before, w_after)
    elif not lo < hi:
        raise EngineError("lo must be below hi", "lo")
    x, t = trace["inputs"], trace["targets"]
    opt = trace["optimizer"]
    kind, rate = regularization.kind, regularization.rate
    values = np.linspace(lo, hi, points)
    losses = loss_along(net, x, t, kind, rate, layer, source, target, values)
    ends = loss_along(net, x, t, kind, rate, layer, source, target, np.array([w_before, w_after]))
    return {"step": trace["step"], "layer": layer, "source": source, "target": target, "w": values, "loss": losses,
            "w_before": w_before, "loss_before": float(ends[0]),
            "grad": float(trace["backward"][layer]["grad_weights"][source, target]),
            "learning_rate": opt["learning_rate"], "optimizer": opt["name"], "delta_w": delta_w,
            "w_after": w_after, "loss_at_w_after": float(ends[1]), "loss_after": trace["loss_after"]}
