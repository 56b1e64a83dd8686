"""Input features: what the input units compute from the raw inputs (TensorFlow Playground's x₁, x₁², …).

A network with `input_features` feeds layer 1 not the data's columns x1, x2 but the chosen features of
them, in the order given: `features(names, x)` maps a raw (batch, n_raw) matrix to a (batch, n_features)
one, which is the input layer's activation a₀. The features are fixed functions of the data, with no
parameters, so the gradients of the weights are those of a network whose data were the features.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from .errors import EngineError

Floats = NDArray[np.float64] | NDArray[np.float32]  # float32 for pictures, as in a forward pass
F = TypeVar("F", NDArray[np.float64], NDArray[np.float32])
MAX_RAW_INPUTS = 2  # the features are written over x1 and x2


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # over two inputs: x₁, x₂, …
    label_one_input: str | None  # over a one-input set (x, x², sin x); None: it needs x2
    formula: str
    uses: int  # the raw inputs it reads: 1 (x1 only) or 2 (x1 and x2)
    value: Callable[[Floats], Floats]  # (batch, n_raw) -> (batch,)


FEATURES: dict[str, Feature] = {f.name: f for f in (
    Feature("x1", "x₁", "x", "x1", 1, lambda x: x[:, 0]),
    Feature("x2", "x₂", None, "x2", 2, lambda x: x[:, 1]),
    Feature("x1_squared", "x₁²", "x²", "x1²", 1, lambda x: x[:, 0] * x[:, 0]),
    Feature("x2_squared", "x₂²", None, "x2²", 2, lambda x: x[:, 1] * x[:, 1]),
    Feature("x1_x2", "x₁x₂", None, "x1 · x2", 2, lambda x: x[:, 0] * x[:, 1]),
    Feature("sin_x1", "sin x₁", "sin x", "sin(x1)", 1, lambda x: np.sin(x[:, 0])),
    Feature("sin_x2", "sin x₂", None, "sin(x2)", 2, lambda x: np.sin(x[:, 1])),
)}


def check_names(names: Sequence[str], n_inputs: int) -> None:
    """Refuse an empty list, an unknown name or a repeat (the layer sizes are checked with the settings)."""
    if not names:
        raise EngineError("input_features needs at least one feature (leave it out for the raw inputs)",
                          "input_features")
    for name in names:
        if name not in FEATURES:
            raise EngineError(f"input_features: '{name}' is not one of: {', '.join(FEATURES)}", "input_features")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise EngineError(f"input_features names {', '.join(repeated)} more than once", "input_features")
    if n_inputs != len(names):
        raise EngineError(f"layer_sizes starts with {n_inputs} input(s), but input_features names {len(names)} "
                          f"feature(s): make the first entry {len(names)}", "layer_sizes")


def check_raw_width(names: Sequence[str], n_raw: int, source: str) -> None:
    """The data must have the inputs the features read: x2 needs two columns; more than two is refused."""
    if n_raw > MAX_RAW_INPUTS:
        raise EngineError(f"input_features are written over x1 and x2, but {source} has {n_raw} inputs: leave "
                          "input_features out to feed them as they are", "input_features")
    lacking = [n for n in names if FEATURES[n].uses > n_raw]
    if lacking:
        raise EngineError(f"{source} has only {n_raw} input(s): input_features {', '.join(lacking)} need(s) x2",
                          "input_features")


def available(n_raw: int) -> list[str]:
    """The features a set with `n_raw` inputs offers, in the registry's order."""
    return [f.name for f in FEATURES.values() if f.uses <= n_raw]


def features(names: Sequence[str], x: F) -> F:
    """The feature matrix of raw inputs x: (batch, n_raw) -> (batch, len(names)), in x's dtype."""
    out = np.empty((x.shape[0], len(names)), dtype=x.dtype)  # (batch, n_features)
    for j, name in enumerate(names):
        out[:, j] = FEATURES[name].value(x)
    return out
