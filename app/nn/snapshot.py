"""Snapshot and restore: a trainer's progress as plain data, and the export document around it.

A `Snapshot` holds everything a request can change in a trainer (parameters, optimizer state and
step count, place in the epoch, live settings); `Trainer.snapshot()` makes one and
`Trainer.restore()` puts one back. An export is the trainer's state plus what it was made from
(spec, initial parameters, the caller's own data) in the REST API's format; reading one back
checks every number and yields the trainer's constructor arguments and a `Snapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import checks
from .errors import EngineError
from .network import Layout
from .optimizers import OPTIMIZERS, Slots
from .settings import OptimizerSettings, RegularizationSettings, Settings

Array = NDArray[np.float64]
# An export of a network with input_features is "/2" (its spec carries them); one without is written as
# "/1", byte for byte as before "/2" existed, so that older servers and stored sessions read it as ever.
EXPORT_FORMAT = "backprop-playground/1"
EXPORT_FORMAT_FEATURES = "backprop-playground/2"
EXPORT_FORMATS = (EXPORT_FORMAT, EXPORT_FORMAT_FEATURES)
# The largest counter (step, epoch, t) an export may hold: exact in every client (a JSON number is a
# double in JavaScript: 2⁵³ − 1 is its MAX_SAFE_INTEGER), and far enough below the stores' signed
# 64-bit integers that no run of steps ever reaches them.
MAX_COUNT = 2**53 - 1


# Made at every save: not frozen (a frozen dataclass's __init__ costs ~15× a plain one's), never written.
@dataclass(slots=True)
class Snapshot:
    """A trainer's progress. The arrays are shared with the trainer, which never writes them again."""

    params: Array  # the flat parameter vector, in the network's Layout
    slots: Slots  # the optimizer's state, one flat array per slot
    optimizer_steps: int  # updates the optimizer has made since it started (Adam's t)
    step: int  # updates applied since the start or the last reset
    epoch: int
    epoch_position: int
    optimizer: OptimizerSettings
    regularization: RegularizationSettings
    batch_size: int


def optimizer_state_document(layout: Layout, optimizer_steps: int, slots: Slots) -> dict[str, Any]:
    """The optimizer's state as the API shows it: `t` and each slot split per layer."""
    return {"t": optimizer_steps, "slots": {
        name: {"weights": layout.weights(flat), "biases": layout.biases(flat)}
        for name, (flat,) in slots.items()}}


def export_document(state: dict[str, Any], initial_weights: list[Array], initial_biases: list[Array] | None,
                    own_data: dict[str, Array] | None) -> dict[str, Any]:
    """Everything needed to continue identically elsewhere (NumPy arrays inside)."""
    return {
        "format": EXPORT_FORMAT if state["spec"].get("input_features") is None else EXPORT_FORMAT_FEATURES, **state,
        "initial_weights": initial_weights, "initial_biases": initial_biases,
        # Generated data is re-made from its spec and seed; only the caller's own data travels.
        "data": own_data,
    }


def export_origin(doc: dict[str, Any]) -> tuple[Settings, Any, Any, Any]:
    """What a trainer was made from: settings, initial weights, initial biases, the caller's data."""
    if doc.get("format") not in EXPORT_FORMATS:
        raise EngineError("this is not an export of this playground (format must be one of: "
                          f"{', '.join(EXPORT_FORMATS)})", "format")
    settings = Settings.from_dict(doc["spec"])
    if doc["format"] == EXPORT_FORMAT and settings.input_features is not None:
        raise EngineError(f"a '{EXPORT_FORMAT}' export feeds the raw inputs: input_features need format "
                          f"'{EXPORT_FORMAT_FEATURES}'", "format")
    if doc.get("data") is None and settings.dataset is None:
        raise EngineError("the export has neither a dataset spec nor data", "data")
    return settings, doc["initial_weights"], doc.get("initial_biases"), doc.get("data")


def export_progress(doc: dict[str, Any], settings: Settings, layout: Layout, n_train: int) -> Snapshot:
    """The progress an export records, checked against the trainer made from its origin."""
    weights, biases = checks.parameters(settings, layout, doc["weights"], doc.get("biases"))  # checked alike
    epoch_position = _count(doc, "epoch_position", "epoch_position", n_train)
    steps, slots = _read_optimizer_state(doc.get("optimizer_state") or {}, settings.optimizer.name, layout)
    return Snapshot(layout.pack(weights, biases), slots, steps, _count(doc, "step", "step"),
                    _count(doc, "epoch", "epoch"), epoch_position, settings.optimizer, settings.regularization,
                    settings.batch_size)


def _count(doc: dict[str, Any], key: str, field: str, most: int = MAX_COUNT) -> int:
    """A counter of the export: a whole number from 0 to `most` (missing: 0)."""
    value = doc.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= most:
        raise EngineError(f"{field} must be a whole number between 0 and {most}", field)
    return int(value)


def _read_optimizer_state(state: dict[str, Any], optimizer: str, layout: Layout) -> tuple[int, Slots]:
    steps = _count(state, "t", "optimizer_state.t")
    shapes: list[tuple[int, ...]] = list(layout.shapes)
    if layout.use_bias:
        shapes += [(n_out,) for _, n_out in layout.shapes]
    slots = state.get("slots") or {}
    kind = OPTIMIZERS[optimizer]
    expected = kind.slots
    if set(slots) != set(expected):
        raise EngineError(f"optimizer_state.slots must hold {list(expected)} for optimizer "
                          f"'{optimizer}'", "optimizer_state")
    loaded: Slots = {}
    n_w = len(layout.shapes)
    for name in expected:
        arrays = list(slots[name].get("weights") or []) + list(slots[name].get("biases") or [])
        if len(arrays) != len(shapes):
            raise EngineError(f"optimizer_state.slots.{name} has the wrong number of arrays",
                              "optimizer_state")
        checked = []
        for arr, shape in zip(arrays, shapes):
            a = checks.float_array(arr, "optimizer_state")
            if a.shape != shape or not np.isfinite(a).all():
                raise EngineError(f"optimizer_state.slots.{name} has an array of the wrong shape or a "
                                  "non-finite value", "optimizer_state")
            if name in kind.second_moments and (a < 0).any():
                raise EngineError(f"optimizer_state.slots.{name} holds a negative number: it is a sum of "
                                  "squared gradients, never below 0", f"optimizer_state.slots.{name}")
            checked.append(a)
        loaded[name] = [layout.pack(checked[:n_w], checked[n_w:])]
    return steps, loaded
