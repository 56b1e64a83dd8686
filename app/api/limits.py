"""Size and work limits, checked against the settings before any work is done."""

from __future__ import annotations

from ..config import AppSettings
from ..nn import Trainer
from ..schemas import NetworkCreate


class LimitExceeded(Exception):
    """A request over one of this server's limits: an API rule, not an engine error (answered 422 with
    the limit named). `field` names the input at fault, dotted as in the API body."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def n_parameters(layer_sizes: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def check_architecture(layer_sizes: list[int], s: AppSettings) -> None:
    if len(layer_sizes) - 2 > s.max_hidden_layers:
        raise LimitExceeded(f"layer_sizes has {len(layer_sizes) - 2} hidden layers; at most "
                            f"{s.max_hidden_layers} are allowed", "layer_sizes")
    if layer_sizes[0] > s.max_inputs:
        raise LimitExceeded(f"layer_sizes asks for {layer_sizes[0]} inputs; at most {s.max_inputs} are "
                            "allowed", "layer_sizes")
    for n in layer_sizes[1:]:
        if n > s.max_units:
            raise LimitExceeded(f"layer_sizes has a layer of {n} units; at most {s.max_units} units per "
                                "layer are allowed", "layer_sizes")


def check_batch_size(batch_size: int | None, s: AppSettings) -> None:
    if batch_size is not None and batch_size > s.max_batch_size:
        raise LimitExceeded(f"batch_size is {batch_size}; at most {s.max_batch_size} is allowed", "batch_size")


def check_resolution(resolution: int, hidden_resolution: int | None, s: AppSettings) -> None:
    for field, n in (("resolution", resolution), ("hidden_resolution", hidden_resolution)):
        if n is not None and n > s.max_boundary_resolution:
            raise LimitExceeded(f"{field} is {n}; at most {s.max_boundary_resolution} is allowed", field)


def check_create(body: NetworkCreate, s: AppSettings) -> None:
    check_architecture(body.layer_sizes, s)
    check_batch_size(body.batch_size, s)
    if body.data is not None:
        if len(body.data.inputs) > s.max_samples:
            raise LimitExceeded(f"data has {len(body.data.inputs)} samples; at most {s.max_samples} are "
                                "allowed", "data.inputs")
    elif body.dataset is not None and body.dataset.n_samples > s.max_samples:
        raise LimitExceeded(f"dataset.n_samples is {body.dataset.n_samples}; at most {s.max_samples} are "
                            "allowed", "dataset.n_samples")


def check_rows(rows: int, field: str, s: AppSettings) -> None:
    if rows > s.max_samples:
        raise LimitExceeded(f"{field} has {rows} rows; at most {s.max_samples} are allowed", field)


def check_train(trainer: Trainer, steps: int, eval_every: int | None, s: AppSettings) -> None:
    if steps > s.max_train_steps:
        raise LimitExceeded(f"steps is {steps}; at most {s.max_train_steps} are allowed per call", "steps")
    params = n_parameters(list(trainer.arch.layer_sizes))
    batch = min(trainer.settings.batch_size, trainer.n_train)
    n_eval = trainer.n_train + len(trainer.data.test_inputs)

    def cost(n: int) -> int:
        evaluations = n // (eval_every or n) + 1
        return (n * batch + evaluations * n_eval) * params

    work = cost(steps)
    if work > s.max_train_work:
        lo, hi = 1, steps  # the most steps that fit (cost grows with n), so the advice is admitted
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if cost(mid) <= s.max_train_work else (lo, mid - 1)
        max_steps = lo
        raise LimitExceeded(f"this /train call would cost {work:,} work units (steps × batch × parameters, "
                            f"plus evaluations); the limit is {s.max_train_work:,}. Ask for at most about "
                            f"{max_steps} steps at a time, or evaluate less often", "steps")


def check_boundary(trainer: Trainer, resolution: int, hidden_resolution: int | None, s: AppSettings) -> None:
    params = n_parameters(list(trainer.arch.layer_sizes))
    points = resolution**2 + (hidden_resolution**2 if hidden_resolution not in (None, resolution) else 0)
    work = points * params
    if work > s.max_boundary_work:
        raise LimitExceeded(f"this boundary would cost {work:,} work units (grid points × parameters); the "
                            f"limit is {s.max_boundary_work:,}: ask for a lower resolution", "resolution")
