"""Weight penalties (biases are never penalized): value and gradient pairs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Regularizer:
    name: str
    formula: str
    penalty: Callable[[Array], float]  # without the rate λ
    gradient: Callable[[Array], Array]  # without the rate λ


REGULARIZERS: dict[str, Regularizer] = {
    r.name: r
    for r in (
        Regularizer("none", "0", lambda w: 0.0, np.zeros_like),
        Regularizer("l1", "λ Σ|w|", lambda w: float(np.abs(w).sum()), np.sign),
        Regularizer("l2", "λ ½ Σ w²", lambda w: 0.5 * float((w * w).sum()), lambda w: w),
    )
}
