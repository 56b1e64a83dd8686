"""An optimizer's own current step, read from its state: what the loss surface's arrow shows.

Each optimizer moves the weights by what its rule builds up, not by the raw gradient:
- momentum: its velocity v (w ← w − η v), so the step is −η v;
- Adam: its bias-corrected first moment m̂ = m / (1 − β1^t), the direction its momentum pushes,
  before each weight's division by √v̂ + ε: the step it stands for is −η m̂;
- SGD, AdaGrad, RMSProp: no velocity of their own; their step is the last update Δw itself.
`values` is the quantity in its own units (v, m̂ or Δw); `displacement` is where it points in weight
space (−η v, −η m̂, Δw), what a picture of weight space draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .optimizers import Slots
from .settings import OptimizerSettings

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Direction:
    quantity: str  # "velocity", "first_moment" or "update"
    symbol: str
    description: str


DIRECTIONS: dict[str, Direction] = {
    "momentum": Direction("velocity", "v", "momentum's velocity v = μ v + g (its step is −η v)"),
    "adam": Direction("first_moment", "m̂", "Adam's bias-corrected first moment m̂ = m / (1 − β1^t), the mean of "
                      "recent gradients it moves along (−η m̂, before dividing each weight by √v̂ + ε)"),
}
UPDATE = Direction("update", "Δw", "the last update Δw (this optimizer keeps no velocity: its step is the update)")


def step_direction(optimizer: OptimizerSettings, slots: Slots, t: int, last_delta: Array | None
                   ) -> dict[str, Any] | None:
    """The optimizer's current step from its state after t updates (flat parameter layout); for the
    optimizers without a velocity, the last update `last_delta` (None: no update to show)."""
    d = DIRECTIONS.get(optimizer.name, UPDATE)
    lr = optimizer.learning_rate
    if d.quantity == "velocity":
        (values,) = slots["v"]
        displacement = -lr * values
    elif d.quantity == "first_moment":
        (m,) = slots["m"]
        values = m / (1.0 - optimizer.resolved()["beta1"] ** t) if t > 0 else np.zeros_like(m)
        displacement = -lr * values
    elif last_delta is None:
        return None
    else:
        values = displacement = last_delta
    return {"quantity": d.quantity, "symbol": d.symbol, "description": d.description,
            "values": values, "displacement": displacement, "along": None}
