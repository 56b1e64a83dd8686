"""What a run of many steps (/train, or a racer's share of a race) answers, gathered step by step.

A `TrainRun` takes each update as it is applied — its loss, its weight-gradient norm per layer, the
parameters after it (when a path is asked for) — evaluates the network every `eval_every` steps and
after the last, and stops at the first step that diverged. No trace is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .stepping import Update, last_step, weight_norms

if TYPE_CHECKING:
    from .trainer import Trainer

Array = NDArray[np.float64]


class TrainRun:
    def __init__(self, trainer: Trainer, steps: int, eval_every: int | None, path: bool):
        self.trainer, self.steps, self.path = trainer, steps, path
        self.eval_every = eval_every or max(1, steps)
        shapes = trainer.network.layout.shapes
        self.starts = np.cumsum([0] + [a * b for a, b in shapes[:-1]])  # where each W_l starts in grad_flat
        self.n_weights = sum(a * b for a, b in shapes)
        self.norms = np.empty((steps, len(shapes)))  # (steps, L) ‖∂E/∂W_l‖ of each applied step
        self.losses: list[float] = []
        self.evals: list[dict[str, Any]] = []
        self.params: list[Array] = []
        self.diverged: dict[str, Any] | None = None
        self.last: Update | None = None

    def add(self, i: int, u: Update) -> bool:
        """Note step i (0-based) of the run, already applied unless it diverged; False once it has."""
        if u.diverged is not None:
            self.diverged = u.diverged.to_dict()
            return False
        weight_norms(u.bwd.grad_flat[:self.n_weights], self.starts, self.norms[len(self.losses)])
        self.losses.append(u.loss)
        self.last = u
        if self.path:
            self.params.append(u.params)  # a new vector each step: kept without a copy
        if (i + 1) % self.eval_every == 0 or i + 1 == self.steps:
            self.evals.append({"step": self.trainer.step_count, **self.trainer.evaluate()})
        return True

    def result(self) -> dict[str, Any]:
        n = len(self.losses)
        return {"steps_run": n, "diverged": self.diverged, "loss": self.losses, "evaluations": self.evals,
                "gradient_norms": self.norms[:n], "last_step": None if self.last is None else last_step(self.last),
                "path": self.params if self.path else None, "last_update": self.last}
