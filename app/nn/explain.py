"""The chain rule, term by term: why one unit's δ and one weight's ∂E/∂w are what they are.

Pure functions of a step's forward and backward pass (`Forward`, `Backward` from `network.py`).
Layers are counted as `layer_sizes` counts them (0 = the inputs), so unit j of layer L has the
error signal `bwd.grad_z[L - 1][:, j]`, and `weights[L][i][j]` joins unit i of layer L to unit j
of layer L + 1. Per-sample values are arrays of shape (batch,); the caller takes batch means.

Backpropagation's one idea, as these functions lay it out:
- a hidden unit's δ_j = f′(z_j) · Σ_k w_jk δ_k  (multiply along each link, add the links);
- expanded all the way to the outputs, δ_j is the sum over every path to an output unit of the
  product of the factors on that path (f′ at each unit, w on each link, the output's δ at the end);
- ∂E/∂w_ij = mean over the batch of a_i · δ_j, plus the penalty's derivative.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS
from .errors import EngineError
from .losses import LOSSES
from .network import Architecture, Backward, Forward
from .regularization import REGULARIZERS

Array = NDArray[np.float64]


@dataclass(frozen=True)
class StepPass:
    """One step's forward and backward pass with what produced them."""

    arch: Architecture
    weights: list[Array]  # the weights the step used (before its update)
    inputs: Array  # (batch, n_0)
    targets: Array  # (batch, n_L)
    fwd: Forward
    bwd: Backward
    regularization: str = "none"
    rate: float = 0.0

    def activations(self, layer: int) -> Array:
        """a of `layer` (layer 0 = the inputs): (batch, n_layer)."""
        return self.inputs if layer == 0 else self.fwd.a[layer - 1]

    def derivative(self, layer: int) -> Array | None:
        """f′(z) of a non-input `layer`, (batch, n_layer); None where f′ is not elementwise (softmax)."""
        act = ACTIVATIONS[self.arch.activation_of(layer - 1)]
        if act.derivative is None:
            return None
        z, a = self.fwd.z[layer - 1], self.fwd.a[layer - 1]
        return np.asarray(act.derivative(z, a, self.arch.leaky_relu_slope), dtype=np.float64)

    def delta(self, layer: int) -> Array:
        """δ of a non-input `layer`, as the trace has it: (batch, n_layer)."""
        return self.bwd.grad_z[layer - 1]


def column(m: Array, j: int) -> Array:
    """Column j of a (batch, n) matrix as a contiguous (batch,) array (it is sent as it is)."""
    return np.ascontiguousarray(m[:, j])


def _check_unit(p: StepPass, layer: int, unit: int) -> None:
    sizes = p.arch.layer_sizes
    if layer == 0:
        raise EngineError("the inputs have no error signal δ: choose a layer from 1 (the first hidden layer) "
                          f"to {len(sizes) - 1} (the output)", "layer")
    if not 1 <= layer < len(sizes):
        raise EngineError(f"layer must be between 1 and {len(sizes) - 1}", "layer")
    if not 0 <= unit < sizes[layer]:
        raise EngineError(f"layer {layer} has {sizes[layer]} unit(s): unit must be between 0 and {sizes[layer] - 1}",
                          "unit")


def explain_unit(p: StepPass, layer: int, unit: int) -> dict[str, Any]:
    """δ of one unit: f′(z) and the terms w_jk·δ_k for a hidden unit; the loss derivative for an output."""
    _check_unit(p, layer, unit)
    j = unit
    z = column(p.fwd.z[layer - 1], j)
    a = column(p.fwd.a[layer - 1], j)
    full = p.derivative(layer)
    derivative = None if full is None else column(full, j)
    out: dict[str, Any] = {"layer": layer, "unit": unit, "z": z, "a": a, "derivative": derivative}
    if layer == len(p.arch.layer_sizes) - 1:
        out.update(terms=None, sum=None, output=_output_rule(p, j))
        out["delta"] = out["output"].pop("delta")
        return _with_unit_means(out)
    w_out = p.weights[layer][j]  # (n_next,): w_jk for every unit k of the next layer
    deltas_next = p.delta(layer + 1)  # (batch, n_next)
    products = deltas_next * w_out  # (batch, n_next)
    total = products.sum(axis=1)  # (batch,)
    assert derivative is not None  # hidden activations are elementwise
    out.update(terms=[{"unit": k, "weight": float(w_out[k]), "delta": column(deltas_next, k),
                       "product": column(products, k)} for k in range(len(w_out))],
               sum=total, delta=derivative * total, output=None)
    return _with_unit_means(out)


def batch_mean(values: Array | None) -> float | None:
    """The batch mean of per-sample values, as sum / batch (the engine's mean)."""
    return None if values is None else float(np.add.reduce(values)) / len(values)


def _with_unit_means(out: dict[str, Any]) -> dict[str, Any]:
    """`means`: the batch mean of every per-sample value, under the same names."""
    means: dict[str, Any] = {name: batch_mean(out[name]) for name in ("z", "a", "derivative", "sum", "delta")}
    means["terms"] = None if out["terms"] is None else [
        {"unit": term["unit"], "weight": term["weight"], "delta": batch_mean(term["delta"]),
         "product": batch_mean(term["product"])} for term in out["terms"]]
    rule = out["output"]
    means["output"] = None if rule is None else {
        name: batch_mean(rule[name]) for name in ("y", "t", "grad_a", "weighted_sum")}
    out["means"] = means
    return out


def _output_rule(p: StepPass, j: int) -> dict[str, Any]:
    """How an output unit's δ follows from the loss: its formula and numbers."""
    y, t = p.fwd.a[-1], p.targets
    loss, act = p.arch.loss, p.arch.output_activation
    grad_a = LOSSES[loss].grad_a(y, t)  # (batch, n_out): ∂E_b/∂y; ±inf where a cross-entropy saturates
    natural = LOSSES[loss].natural_output == act
    rule: dict[str, Any] = {"loss": loss, "output_activation": act, "y": column(y, j), "t": column(t, j),
                            "grad_a": column(grad_a, j), "weighted_sum": None}
    if natural:
        rule.update(rule="natural", formula="δ = ∂E/∂z = y − t",
                    why=f"for {loss} with a {act} output, ∂E/∂y · f′(z) simplifies to y − t")
        rule["delta"] = column(p.delta(len(p.arch.layer_sizes) - 1), j)  # y − t, as the engine computes it
    elif act == "softmax":
        s = (grad_a * y).sum(axis=1)  # (batch,): Σ_k ∂E/∂y_k · y_k
        rule.update(rule="softmax_jacobian", formula="δ_j = y_j · (∂E/∂y_j − Σ_k ∂E/∂y_k · y_k)",
                    why="softmax couples the outputs: each δ_j takes every output's ∂E/∂y", weighted_sum=s)
        rule["delta"] = y[:, j] * (grad_a[:, j] - s)
    else:
        deriv = p.derivative(len(p.arch.layer_sizes) - 1)
        assert deriv is not None
        rule.update(rule="chain", formula="δ = ∂E/∂y · f′(z)",
                    why="the loss's derivative times the output activation's slope")
        rule["delta"] = grad_a[:, j] * deriv[:, j]
    return rule


def explain_weight(p: StepPass, layer: int, source: int, target: int, *, sample: int = 0,
                   limit: int = 20) -> dict[str, Any]:
    """∂E/∂w for weights[layer][source][target], and the target's δ expanded over its paths."""
    check_weight(p.arch, layer, source, target)
    batch = len(p.inputs)
    if not 0 <= sample < batch:
        raise EngineError(f"sample must be between 0 and {batch - 1}", "sample")
    if limit < 1:
        raise EngineError("limit must be at least 1", "limit")
    a = column(p.activations(layer), source)
    delta = column(p.delta(layer + 1), target)
    product = a * delta
    reg = 0.0
    if p.regularization != "none" and p.rate != 0.0:
        reg = float(p.rate * REGULARIZERS[p.regularization].gradient(p.weights[layer])[source, target])
    grad = float(product.sum() / batch) + reg  # a sum / batch, as the engine's mean
    out = {"layer": layer, "source": source, "target": target, "a": a, "delta": delta, "product": product,
           "regularization": reg, "grad": grad, **_paths(p, layer + 1, target, sample, limit)}
    out["means"] = {name: batch_mean(out[name]) for name in ("a", "delta", "product", "paths_sum")}
    return out


def check_weight(arch: Architecture, layer: int, source: int, target: int) -> None:
    """Refuse a weight the network does not have (EngineError naming the field)."""
    sizes = arch.layer_sizes
    if not 0 <= layer < len(sizes) - 1:
        raise EngineError(f"layer must be between 0 and {len(sizes) - 2} (weights[layer] joins layer "
                          "to layer + 1)", "layer")
    if not 0 <= source < sizes[layer]:
        raise EngineError(f"source must be between 0 and {sizes[layer] - 1}", "source")
    if not 0 <= target < sizes[layer + 1]:
        raise EngineError(f"target must be between 0 and {sizes[layer + 1] - 1}", "target")


def _paths(p: StepPass, layer: int, unit: int, sample: int, limit: int) -> dict[str, Any]:
    """δ of (layer, unit) as a sum over the paths to the outputs: count, exact sum, largest paths."""
    last = len(p.arch.layer_sizes) - 1
    count = math.prod(p.arch.layer_sizes[layer + 1:])  # one path per choice of unit in each later layer
    # The exact sum, layer by layer: s_L = δ_L; s_l = f′(z_l) · (s_{l+1} · W_lᵀ).
    s = p.delta(last)  # (batch, n_last)
    for l in range(last - 1, layer - 1, -1):
        deriv = p.derivative(l)
        assert deriv is not None  # hidden layers are elementwise
        s = deriv * (s @ p.weights[l].T)  # (batch, n_{l+1}) · (n_{l+1}, n_l) -> (batch, n_l)
    paths = [_path(p, layer, route) for route in _best_routes(p, layer, unit, sample, limit)]
    return {"paths_count": count, "paths_sum": column(s, unit), "sample": sample, "paths": paths}


def _best_routes(p: StepPass, layer: int, unit: int, sample: int, k: int) -> list[tuple[int, ...]]:
    """The k paths from (layer, unit) to an output with the largest |product| for one sample, exactly.

    |product| is a product of |factors|, so log|product| is a sum: for each unit, its k best routes
    to the outputs are built from the k best of each unit in the next layer (k-best dynamic
    programming from the outputs back), which is exact because the score adds along the route."""
    last = len(p.arch.layer_sizes) - 1
    with np.errstate(divide="ignore"):
        # best[j] = [(log|product of the route's factors from unit j on|, route), ...], best first
        best: list[list[tuple[float, tuple[int, ...]]]] = [
            [(float(np.log(abs(d))), (j,))] for j, d in enumerate(p.delta(last)[sample])]
        for l in range(last - 1, layer - 1, -1):
            deriv = p.derivative(l)
            assert deriv is not None
            log_w = np.log(np.abs(p.weights[l]))  # (n_l, n_{l+1})
            log_d = np.log(np.abs(deriv[sample]))  # (n_l,)
            units = [unit] if l == layer else range(p.arch.layer_sizes[l])
            level: list[list[tuple[float, tuple[int, ...]]]] = [[] for _ in range(p.arch.layer_sizes[l])]
            for j in units:
                candidates = ((float(log_d[j] + log_w[j, k]) + score, (j, *route))
                              for k, routes in enumerate(best) for score, route in routes)
                level[j] = heapq.nlargest(k, candidates, key=lambda c: c[0])
            best = level
    return [route for _, route in best[unit]] if layer < last else [(unit,)]


def _path(p: StepPass, layer: int, route: tuple[int, ...]) -> dict[str, Any]:
    """One path's factors (f′ at each hidden unit, w on each link, the output's δ) and product."""
    factors: list[dict[str, Any]] = []
    product = np.ones(len(p.inputs))
    last = len(p.arch.layer_sizes) - 1
    for step, j in enumerate(route):
        l = layer + step
        if l == last:
            d = column(p.delta(l), j)
            factors.append({"kind": "delta", "layer": l, "unit": j, "values": d})
            product = product * d
            break
        deriv = p.derivative(l)
        assert deriv is not None
        factors.append({"kind": "derivative", "layer": l, "unit": j, "values": column(deriv, j)})
        w = float(p.weights[l][j, route[step + 1]])
        factors.append({"kind": "weight", "layer": l, "source": j, "target": route[step + 1], "value": w})
        product = product * deriv[:, j] * w
    return {"units": list(route), "factors": factors, "product": product}
