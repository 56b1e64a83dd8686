"""Shape engine results into the response bodies of the contract (NumPy arrays kept as they are:
the JSON encoder writes them directly)."""

from __future__ import annotations

from typing import Any

from ..nn import Trainer
from .encoding import quantize

AXIS_ORDER = ("row-major: row i is x2 = x2_min + i·(x2_max − x2_min)/(N − 1), so row 0 is the bottom "
              "of the plane; column j is x1 = x1_min + j·(x1_max − x1_min)/(N − 1)")
ENCODING = "base64 of N² uint8 q per map, row-major: value ≈ lo + q/255·(hi − lo)"


def state_view(network_id: str, trainer: Trainer) -> dict[str, Any]:
    return {"id": network_id, "task": trainer.data.task, "extent": trainer.data.extent, **trainer.state()}


def boundary_view(trainer: Trainer, resolution: int, hidden_resolution: int | None) -> dict[str, Any]:
    hidden_resolution = hidden_resolution or resolution
    full = trainer.boundary(resolution)
    small = trainer.boundary(hidden_resolution) if hidden_resolution != resolution else full
    out, hidden = full["a"], small["a"][:-1]
    return {
        "resolution": resolution, "hidden_resolution": hidden_resolution,
        "extent": trainer.data.extent, "axis_order": AXIS_ORDER, "encoding": ENCODING,
        "output": quantize(out[-1], resolution),
        "hidden": [quantize(a, hidden_resolution) for a in hidden],
        "inputs": quantize(small["inputs"], hidden_resolution),
    }
