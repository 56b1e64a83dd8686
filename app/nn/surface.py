"""The loss over a plane of weight space: contour plots of the loss surface, and paths drawn on them.

A plane is `origin + α d1 + β d2` in the flat parameter layout. Two kinds:
- "axes": d1 and d2 are two weights' own axes and the origin is the current parameters with those
  two weights at 0, so (α, β) are the two weights' values and every other parameter stays as it is.
  For the two-weight model (layer_sizes [2, 1], no bias) this is the whole weight space.
- "random": d1 and d2 are seeded Gaussian directions through the current parameters, each layer's
  part scaled to that layer's weight norm (biases do not move), so α = 1 moves every layer by its
  own size; (α, β) = (0, 0) is the current network.
Each value is the full training set's loss plus the penalty at those parameters (what a full-batch
step reports). Points (kept steps, a path) are projected onto the plane by least squares, with their
distance from it. `SURFACES` are two-weight presets: a round bowl and a long narrow valley.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import EngineError
from .network import Network
from .stepping import at, batch_loss

Array = NDArray[np.float64]
Axis = tuple[int, int, int]  # (layer, source, target) of weights[layer][source][target]

# ---- presets for the two-weight model ---------------------------------------------------------
_POINTS = np.array([[2.0, 1.0], [-2.0, -1.0], [1.0, -2.0], [-1.0, 2.0]])  # uncorrelated, mean x² = 2.5 each
_TARGET_WEIGHTS = np.array([1.0, -0.5])  # the minimum: the targets are exactly x · w*


@dataclass(frozen=True)
class SurfacePreset:
    name: str
    description: str
    scale: tuple[float, float]  # each input column's factor on the shared points
    start: tuple[float, float]  # (w1, w2) where the race starts by default
    window: tuple[tuple[float, float], tuple[float, float]]  # (w1, w2) ranges that show the surface well

    @property
    def inputs(self) -> Array:
        x: Array = _POINTS * np.array(self.scale)  # (4, 2)
        return x

    @property
    def targets(self) -> Array:
        t: Array = self.inputs @ _TARGET_WEIGHTS[:, None]  # (4, 2) · (2, 1) -> (4, 1)
        return t

    @property
    def minimum(self) -> tuple[float, float]:
        """(w1, w2) where the loss is 0: the targets are exactly x · w*."""
        return float(_TARGET_WEIGHTS[0]), float(_TARGET_WEIGHTS[1])

    def spec(self, start: tuple[float, float] | None = None) -> dict[str, Any]:
        """The creation body of the two-weight model on this surface, trained on the full batch."""
        w1, w2 = self.start if start is None else start
        return {"layer_sizes": [2, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
                "use_bias": False, "weights": [[[w1], [w2]]], "init": {"seed": 0}, "dataset": None,
                "data": {"inputs": self.inputs.tolist(), "targets": self.targets.tolist()},
                "batch_size": len(_POINTS)}


SURFACES: dict[str, SurfacePreset] = {
    p.name: p
    for p in (
        SurfacePreset("bowl", "well conditioned: both inputs on the same scale, a round bowl (curvature 2.5 "
                      "along each weight)", (1.0, 1.0), (-2.0, 2.0), ((-3.0, 3.0), (-3.0, 3.0))),
        SurfacePreset("valley", "a long narrow valley: the same model on inputs scaled 1 : 10 (curvature 0.5 "
                      "along w1, 50 along w2: gradient descent at η = 0.03 zig-zags across the floor)",
                      (0.45, 4.5), (-4.0, 0.5), ((-5.0, 3.0), (-2.0, 1.0))),
    )
}


# ---- planes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plane:
    origin: Array  # flat parameters at (α, β) = (0, 0)
    d1: Array
    d2: Array

    def at(self, alpha: float, beta: float) -> Array:
        return self.origin + alpha * self.d1 + beta * self.d2

    def project(self, params: Array) -> tuple[float, float, float]:
        """(α, β) of the point of the plane nearest `params`, and the distance between them."""
        basis = np.stack([self.d1, self.d2], axis=1)  # (size, 2)
        offset = params - self.origin
        (alpha, beta), *_ = np.linalg.lstsq(basis, offset, rcond=None)
        return float(alpha), float(beta), float(np.linalg.norm(offset - basis @ np.array([alpha, beta])))

    def project_all(self, points: Array) -> Array:
        """(n, 3): (α, β, distance) of each row of `points` (n, size), as `project` computes them."""
        basis = np.stack([self.d1, self.d2], axis=1)  # (size, 2)
        offsets = (points - self.origin).T  # (size, n)
        coords, *_ = np.linalg.lstsq(basis, offsets, rcond=None)  # (2, n)
        distance = np.linalg.norm(offsets - basis @ coords, axis=0)  # (n,)
        out: Array = np.ascontiguousarray(np.column_stack([coords.T, distance]))
        return out

    def along(self, vector: Array) -> tuple[float, float]:
        """(dα, dβ) of the change `vector` (a displacement, not a point), projected by least squares."""
        basis = np.stack([self.d1, self.d2], axis=1)  # (size, 2)
        (da, db), *_ = np.linalg.lstsq(basis, vector, rcond=None)
        return float(da), float(db)


def default_axes(net: Network) -> tuple[Axis, Axis]:
    """The first two weights in the layout's order (w1 and w2 of the two-weight model)."""
    n_in, n_out = net.layout.shapes[0]
    if n_in * n_out >= 2:
        return (0, 0, 0), (0, 0, 1) if n_out > 1 else (0, 1, 0)
    if len(net.layout.shapes) < 2:
        raise EngineError("a surface needs at least two weights", "axes")
    return (0, 0, 0), (1, 0, 0)


def _flat_index(net: Network, axis: Axis, name: str) -> int:
    layer, source, target = axis
    shapes = net.layout.shapes
    if not 0 <= layer < len(shapes) or not 0 <= source < shapes[layer][0] or not 0 <= target < shapes[layer][1]:
        raise EngineError(f"{name} {list(axis)} is not a weight of this network: weights[layer][source][target] "
                          f"with layer < {len(shapes)} and the layer's (n_in, n_out) = "
                          f"{list(shapes[min(max(layer, 0), len(shapes) - 1)])}", name)
    return sum(a * b for a, b in shapes[:layer]) + source * shapes[layer][1] + target


def axes_plane(net: Network, axes: tuple[Axis, Axis]) -> Plane:
    i, j = _flat_index(net, axes[0], "axes[0]"), _flat_index(net, axes[1], "axes[1]")
    if i == j:
        raise EngineError("the two axes must be two different weights", "axes")
    origin = net.params.copy()
    origin[[i, j]] = 0.0
    d1, d2 = np.zeros_like(origin), np.zeros_like(origin)
    d1[i] = d2[j] = 1.0
    return Plane(origin, d1, d2)


def random_plane(net: Network, seed: int) -> Plane:
    """Two seeded directions through the current parameters, each layer's part scaled to ‖W_l‖."""
    rng = np.random.default_rng(seed)
    directions = []
    for _ in range(2):
        d = np.zeros(net.layout.size)
        for part, w in zip(net.layout.weights(d), net.weights):  # views of d
            r = rng.standard_normal(w.shape)
            norm = float(np.linalg.norm(r))
            part[...] = r * (float(np.linalg.norm(w)) / norm if norm > 0 else 0.0)
        directions.append(d)
    return Plane(net.params.copy(), directions[0], directions[1])


def make_plane(net: Network, directions: str, seed: int, axes: tuple[Axis, Axis] | None
               ) -> tuple[Plane, tuple[Axis, Axis] | None]:
    """The plane through `net`'s parameters a request names ("axes": `axes`, missing: the first two
    weights; "random": seeded directions), and the axes it used (None for random)."""
    if directions == "random":
        return random_plane(net, seed), None
    chosen = axes if axes is not None else default_axes(net)
    return axes_plane(net, chosen), chosen


def full_loss(net: Network, params: Array, x: Array, t: Array, regularization: str, rate: float) -> float:
    """The loss over (x, t) plus the penalty, at `params` (what a full-batch step reports)."""
    with np.errstate(all="ignore"):
        return batch_loss(at(net, params), x, t, regularization, rate)


def surface(net: Network, plane: Plane, alphas: Array, betas: Array, x: Array, t: Array,
            regularization: str, rate: float) -> Array:
    """(len(betas), len(alphas)): row i is β = betas[i], column j is α = alphas[j]."""
    out = np.empty((len(betas), len(alphas)))
    for i, beta in enumerate(betas):
        for j, alpha in enumerate(alphas):
            out[i, j] = full_loss(net, plane.at(alpha, beta), x, t, regularization, rate)
    return out


def default_range(center: float, random: bool) -> tuple[float, float]:
    """[-1, 1] along a random direction; a weight's own axis: its value ± max(1, 2 |value|)."""
    if random:
        return -1.0, 1.0
    span = max(1.0, 2.0 * abs(center))
    return center - span, center + span


def plane_view(net: Network, plane: Plane, x: Array, t: Array, regularization: str, rate: float,
               ranges: tuple[tuple[float, float] | None, tuple[float, float] | None], resolution: int,
               random: bool, points: list[tuple[int | None, Array]]) -> dict[str, Any]:
    """The loss over a resolution × resolution grid of the plane, where the current parameters lie on
    it, and each of `points` (a step, or None, with its flat parameters) projected onto it."""
    a0, b0, _ = plane.project(net.params)
    (alo, ahi), (blo, bhi) = (r if r is not None else default_range(c, random) for r, c in zip(ranges, (a0, b0)))
    alphas, betas = np.linspace(alo, ahi, resolution), np.linspace(blo, bhi, resolution)
    values = surface(net, plane, alphas, betas, x, t, regularization, rate)
    projected = []
    for step, params in points:
        alpha, beta, distance = plane.project(params)
        projected.append({"step": step, "alpha": alpha, "beta": beta, "distance": distance,
                          "loss": full_loss(net, params, x, t, regularization, rate)})
    return {"alpha": alphas, "beta": betas, "loss": values,
            "d1": net.layout.weights(plane.d1), "d2": net.layout.weights(plane.d2),
            "current": {"alpha": a0, "beta": b0, "loss": full_loss(net, net.params, x, t, regularization, rate)},
            "trajectory": projected}
