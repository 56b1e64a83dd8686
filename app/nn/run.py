"""What a run of many steps (/train, or a racer's share of a race) answers, gathered step by step.

A `TrainRun` takes each update as it is applied — its loss, its weight-gradient norm per layer, the
parameters after it (when a path is asked for) — evaluates the network every `eval_every` steps and
after the last, and stops at the first step that diverged. No trace is built. With `snapshots` = k,
it also keeps the state and gradients after k steps spread evenly through the run (never its last,
which the answer's own state and `last_step` give): a page draws one per animation frame while the
next call runs, so that every frame shows a newer step.
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
    def __init__(self, trainer: Trainer, steps: int, eval_every: int | None, path: bool, snapshots: int = 0):
        self.trainer, self.steps, self.path = trainer, steps, path
        self.snapshot_at = snapshot_steps(steps, snapshots)  # the run's step counts (1-based) to keep
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
        self.snapshots: list[dict[str, Any]] = []

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
        if i + 1 in self.snapshot_at:  # every array below is new at each step: kept without a copy
            t = self.trainer
            self.snapshots.append({"step": t.step_count, "epoch": t.epoch, "loss": u.loss, "weights": u.weights,
                                   "biases": u.biases, "last_step": last_step(u)})
        if (i + 1) % self.eval_every == 0 or i + 1 == self.steps:
            self.evals.append({"step": self.trainer.step_count, **self.trainer.evaluate()})
        return True

    def result(self) -> dict[str, Any]:
        n = len(self.losses)
        final = self.trainer.step_count  # a run cut short by divergence may end on a kept snapshot
        return {"steps_run": n, "diverged": self.diverged, "loss": self.losses, "evaluations": self.evals,
                "gradient_norms": self.norms[:n], "last_step": None if self.last is None else last_step(self.last),
                "path": self.params if self.path else None, "last_update": self.last,
                "snapshots": [snap for snap in self.snapshots if snap["step"] != final]}


def snapshot_count(steps: int, snapshots: int) -> int:
    """How many snapshots a run of `steps` keeps when `snapshots` are asked for: never the last step."""
    return max(0, min(snapshots, steps - 1))


def snapshot_steps(steps: int, snapshots: int) -> frozenset[int]:
    """The 1-based steps of a run of `steps` after which k = snapshot_count(steps, snapshots) snapshots
    are kept: ⌊j·steps/(k+1)⌋ for j = 1 … k, evenly spread and all before the last step."""
    k = snapshot_count(steps, snapshots)
    return frozenset((j * steps) // (k + 1) for j in range(1, k + 1))
