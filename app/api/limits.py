"""Size, value and work limits, checked against the app's own settings before any work is done.

The request models (app.schemas) check shapes, names and the engine's ranges; every limit a server
may set otherwise (AppSettings) is checked here, so `create_app(AppSettings(...))` is obeyed whatever
the defaults. A refusal is a LimitExceeded: 422 with code `limit_exceeded` (the bounds in bytes of
byte_limits.py have codes of their own), the limit's name, its value and what was asked in `params`,
besides `detail` and `field`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel

from ..config import AppSettings
from ..nn import Trainer
from ..schemas import BatchIn, DataIn, ExportIn, NetworkCreate, NetworkPatch, PredictIn


class LimitExceeded(Exception):
    """A request over one of this server's limits: an API rule, not an engine error (answered 422 with
    the limit named). `field` names the input at fault, dotted as in the API body; `limit` the setting,
    `maximum` its value, `value` what was asked (params: {limit, max, value, ...more})."""

    def __init__(self, message: str, field: str, limit: str, maximum: float, value: float, *,
                 code: str = "limit_exceeded", **more: Any):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code  # limit_exceeded, or for a bound in bytes network_too_large / answer_too_large
        self.params: dict[str, Any] = {"limit": limit, "max": maximum, "value": value, **more}


def n_parameters(layer_sizes: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def check_architecture(layer_sizes: list[int], s: AppSettings) -> None:
    if len(layer_sizes) - 2 > s.max_hidden_layers:
        raise LimitExceeded(f"layer_sizes has {len(layer_sizes) - 2} hidden layers; at most "
                            f"{s.max_hidden_layers} are allowed", "layer_sizes",
                            "max_hidden_layers", s.max_hidden_layers, len(layer_sizes) - 2)
    if layer_sizes[0] > s.max_inputs:
        raise LimitExceeded(f"layer_sizes asks for {layer_sizes[0]} inputs; at most {s.max_inputs} are "
                            "allowed", "layer_sizes", "max_inputs", s.max_inputs, layer_sizes[0])
    for n in layer_sizes[1:]:
        if n > s.max_units:
            raise LimitExceeded(f"layer_sizes has a layer of {n} units; at most {s.max_units} units per "
                                "layer are allowed", "layer_sizes", "max_units", s.max_units, n)


def check_batch_size(batch_size: int | None, s: AppSettings) -> None:
    if batch_size is not None and batch_size > s.max_batch_size:
        raise LimitExceeded(f"batch_size is {batch_size}; at most {s.max_batch_size} is allowed", "batch_size",
                            "max_batch_size", s.max_batch_size, batch_size)


def check_resolution(resolution: int, hidden_resolution: int | None, s: AppSettings) -> None:
    for field, n in (("resolution", resolution), ("hidden_resolution", hidden_resolution)):
        if n is not None and n > s.max_boundary_resolution:
            raise LimitExceeded(f"{field} is {n}; at most {s.max_boundary_resolution} is allowed", field,
                                "max_boundary_resolution", s.max_boundary_resolution, n)


def _number(x: float) -> str:
    return str(int(x)) if x.is_integer() and abs(x) < 1e16 else repr(x)


def _beyond(where: str, value: float, bound: float) -> LimitExceeded:
    return LimitExceeded(f"{where} is {_number(value)}: every number in a request must lie within "
                         f"±{_number(bound)} (the server's max_abs_value).", where, "max_abs_value", bound, value)


def _first_leaf(items: list[Any]) -> Any:
    x: Any = items
    while isinstance(x, list):
        if not x:
            return None
        x = x[0]
    return x


def _check_list(items: list[Any], where: str, bound: float) -> None:
    leaf = _first_leaf(items)
    if isinstance(leaf, int):  # e.g. layer_sizes: integers have bounds of their own
        return
    if leaf is None or isinstance(leaf, float):
        try:
            array = np.asarray(items, dtype=float)  # a rectangular matrix: checked at NumPy speed
        except ValueError:  # ragged (the engine refuses its shape later): one row at a time
            pass
        else:
            over = np.argwhere(np.abs(array) > bound)
            if len(over):
                index = tuple(int(i) for i in over[0])
                raise _beyond(where + "".join(f"[{i}]" for i in index), float(array[index]), bound)
            return
    for i, item in enumerate(items):
        _check_value(item, f"{where}[{i}]", bound)


def _check_value(value: Any, where: str, bound: float) -> None:
    if isinstance(value, float):
        if abs(value) > bound:
            raise _beyond(where, value, bound)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _check_value(getattr(value, name), f"{where}.{name}" if where else name, bound)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(item, f"{where}.{key}" if where else str(key), bound)
    elif isinstance(value, list) and value:
        _check_list(value, where, bound)


def check_numbers(body: BaseModel, s: AppSettings) -> None:
    """Every real number of a request body within ±max_abs_value (integers have bounds of their own)."""
    _check_value(body, "", s.max_abs_value)


def check_data_size(data: DataIn, s: AppSettings) -> None:
    """Own data (its training and test samples together) within max_samples."""
    n = len(data.inputs) + len(data.test_inputs or [])
    if n > s.max_samples:
        raise LimitExceeded(f"data has {n} samples; at most {s.max_samples} are allowed", "data.inputs",
                            "max_samples", s.max_samples, n)


def _check_sizes(body: NetworkCreate, s: AppSettings) -> None:
    check_architecture(body.layer_sizes, s)
    check_batch_size(body.batch_size, s)
    if body.data is not None:
        check_data_size(body.data, s)
    elif body.dataset is not None and body.dataset.n_samples > s.max_samples:
        raise LimitExceeded(f"dataset.n_samples is {body.dataset.n_samples}; at most {s.max_samples} are "
                            "allowed", "dataset.n_samples", "max_samples", s.max_samples, body.dataset.n_samples)


def check_create(body: NetworkCreate, s: AppSettings) -> None:
    _check_sizes(body, s)
    check_numbers(body, s)


def check_rows(rows: int, field: str, s: AppSettings) -> None:
    if rows > s.max_samples:
        raise LimitExceeded(f"{field} has {rows} rows; at most {s.max_samples} are allowed", field,
                            "max_samples", s.max_samples, rows)


def check_import(body: ExportIn, s: AppSettings) -> None:
    """Sizes, and ±max_abs_value for what a person typed (the spec, the data); the state (weights,
    optimizer state) may hold any finite float64, as the server itself may have exported it."""
    _check_sizes(body.spec, s)
    if body.data is not None:  # the export's own data, which its spec does not carry
        check_data_size(body.data, s)
    _check_value(body.spec, "spec", s.max_abs_value)
    _check_value(body.data, "data", s.max_abs_value)


def check_patch(body: NetworkPatch, s: AppSettings) -> None:
    check_batch_size(body.batch_size, s)
    if body.data is not None:
        check_data_size(body.data, s)
    check_numbers(body, s)


def check_inputs(body: BatchIn | PredictIn, s: AppSettings) -> None:
    """The inputs (and targets) given to a forward pass, a step or a prediction."""
    if body.inputs is None and getattr(body, "targets", None) is None:
        return  # the next mini-batch (the usual /step): nothing to check
    if body.inputs is not None:
        check_rows(len(body.inputs), "inputs", s)
    check_numbers(body, s)


def train_work(trainer: Trainer, steps: int, eval_every: int | None) -> int:
    """The work units of `steps` /train steps of this network (steps × batch, plus evaluated samples, × parameters)."""
    params = n_parameters(list(trainer.arch.layer_sizes))
    batch = min(trainer.settings.batch_size, trainer.n_train)
    n_eval = trainer.n_train + len(trainer.data.test_inputs)
    evaluations = steps // (eval_every or steps) + 1
    return (steps * batch + evaluations * n_eval) * params


def check_train(trainer: Trainer, steps: int, eval_every: int | None, s: AppSettings,
                racers: list[Trainer] | None = None) -> None:
    """/train's work within max_train_work; for a race, every racer's work together (`racers`)."""
    if steps > s.max_train_steps:
        raise LimitExceeded(f"steps is {steps}; at most {s.max_train_steps} are allowed per call", "steps",
                            "max_train_steps", s.max_train_steps, steps)
    if eval_every is not None and eval_every > s.max_train_steps:
        raise LimitExceeded(f"eval_every is {eval_every}; at most {s.max_train_steps} is allowed", "eval_every",
                            "max_train_steps", s.max_train_steps, eval_every)
    trainers = racers or [trainer]

    def cost(n: int) -> int:
        return sum(train_work(t, n, eval_every) for t in trainers)

    work = cost(steps)
    if work > s.max_train_work:
        lo, hi = 1, steps  # the most steps that fit (cost grows with n), so the advice is admitted
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if cost(mid) <= s.max_train_work else (lo, mid - 1)
        max_steps = lo
        call = f"this race of {len(trainers)}" if racers else "this /train call"
        raise LimitExceeded(f"{call} would cost {work:,} work units (steps × batch × parameters, "
                            f"plus evaluations); the limit is {s.max_train_work:,}. Ask for at most about "
                            f"{max_steps} steps at a time, or evaluate less often", "steps",
                            "max_train_work", s.max_train_work, work, max_steps=max_steps)


def check_boundary(trainer: Trainer, resolution: int, hidden_resolution: int | None, s: AppSettings,
                   copies: int = 1) -> None:
    """One boundary's work (`copies` of it, for a race's racers) within max_boundary_work."""
    params = n_parameters(list(trainer.arch.layer_sizes))
    hidden_points = 0 if hidden_resolution is None or hidden_resolution == resolution else hidden_resolution**2
    points = resolution**2 + hidden_points
    work = copies * points * params
    if work > s.max_boundary_work:
        raise LimitExceeded(f"this boundary would cost {work:,} work units (grid points × parameters); the "
                            f"limit is {s.max_boundary_work:,}: ask for a lower resolution", "resolution",
                            "max_boundary_work", s.max_boundary_work, work)


def check_forward_passes(trainer: Trainer, passes: int, rows: int, what: str, field: str, s: AppSettings) -> None:
    """Work of `passes` forward passes over `rows` samples (passes × rows × parameters, /train's unit)
    within max_train_work: the gradient check (2 × parameters passes) and the loss curve (a pass per point)."""
    work = passes * rows * n_parameters(list(trainer.arch.layer_sizes))
    if work > s.max_train_work:
        raise LimitExceeded(f"{what} would cost {work:,} work units (forward passes × batch × parameters); the "
                            f"limit is {s.max_train_work:,}", field, "max_train_work", s.max_train_work, work)
