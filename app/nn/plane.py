"""The input plane of a two-input network as its pictures show it: every unit's value over a grid of
the data's extent, the input units' (their features, if any) included. Pure NumPy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .network import Network

F32 = NDArray[np.float32]


def plane_maps(network: Network, features: Callable[[F32], F32], extent: list[list[float]],
               resolution: int) -> dict[str, Any]:
    """The input units' values a₀ (`inputs`, from `features` of the grid's raw points), output and hidden
    activations (`a`) over a resolution² grid. Each has shape (resolution², n_units): row-major, row i is
    x2 = x2s[i] (ascending, so row 0 is the bottom of the plane), column j is x1 = x1s[j]. Computed in
    float32: these are pictures (the API sends them as 8-bit levels), not numbers to check gradients with.
    """
    (x1_lo, x1_hi), (x2_lo, x2_hi) = extent
    x1s = np.linspace(x1_lo, x1_hi, resolution)
    x2s = np.linspace(x2_lo, x2_hi, resolution)
    # float32: the maps are sent as 8-bit levels, and float32 halves the time of the big grid.
    grid = np.stack(np.meshgrid(x1s, x2s), axis=-1).reshape(-1, 2).astype(np.float32)  # (resolution², 2)
    a0 = features(grid)  # (resolution², n_0)
    with np.errstate(all="ignore"):
        fwd = network.forward(a0)
    return {"x1": x1s, "x2": x2s, "inputs": a0, "a": fwd.a}
