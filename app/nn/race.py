"""An optimizer race: one network spec trained by several optimizers from the same start.

Every racer is an ordinary `Trainer`, built from the first one's settings with its seeds already
drawn, so all racers share the initial weights, the data and the mini-batch order (the order comes
from the init seed); only the optimizer differs. A racer that diverges stops while the others go on;
a racer changed in between (PATCH) goes on with its new settings.

`train_race` steps racers in lockstep. When they are still in step (same architecture, data, place
in the epoch, batch size and regularization) their forward and backward passes run stacked, one
batched product per layer for all of them (stacked.py; about three times faster than five passes),
and each racer's optimizer then runs on its own gradients: its numbers equal a lone network's to
~1e-15 relative. Otherwise (or with stacked=False) each racer runs its own Trainer.train, bit for bit
a lone network. `racer_views` adds what a race shows of a racer on a loss surface: its optimizer's
current step (direction.py) and its path projected on a plane through its initial weights.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .direction import step_direction
from .network import Network
from .optimizers import OPTIMIZERS
from .run import TrainRun
from .settings import OptimizerSettings
from .stacked import stacked_passes
from .stepping import compute_update
from .surface import Axis, Plane, make_plane
from .trainer import Trainer

PlaneSpec = tuple[str, int, "tuple[Axis, Axis] | None"]  # (directions, seed, axes) as make_plane takes them
DEFAULT_RACERS = tuple(OPTIMIZERS)  # every optimizer, in the registry's order


def default_racers() -> list[OptimizerSettings]:
    """Each optimizer with its own default learning rate and hyperparameters (from the registry)."""
    return [OptimizerSettings(name, None, dict(OPTIMIZERS[name].hyperparameters)) for name in DEFAULT_RACERS]


def rival(first: Trainer, optimizer: OptimizerSettings) -> Trainer:
    """A racer like `first` (same settings and seeds, initial weights and data) with another optimizer."""
    settings = copy.deepcopy(first.settings)
    settings.optimizer = optimizer
    return Trainer(settings, weights=first.initial_weights, biases=first.initial_biases, data=first.own_data())


def racers(first: Trainer, optimizers: list[OptimizerSettings]) -> list[Trainer]:
    """The race: `first` (already built with optimizers[0]) and one rival per other optimizer."""
    return [first, *(rival(first, optimizer) for optimizer in optimizers[1:])]


def in_step(trainers: list[Trainer]) -> bool:
    """Whether the racers take the same next mini-batches and share what a stacked pass needs."""
    lead = trainers[0]
    s = lead.settings
    for other in trainers[1:]:
        o = other.settings
        moved = (other.epoch, other.epoch_position) != (lead.epoch, lead.epoch_position)
        if (other.arch != lead.arch or o.input_features != s.input_features or o.batch_size != s.batch_size
                or o.regularization != s.regularization
                or o.init.seed != s.init.seed or moved
                or not np.array_equal(other.data.train_inputs, lead.data.train_inputs)
                or not np.array_equal(other.data.train_targets, lead.data.train_targets)):
            return False
    return True


def train_race(trainers: list[Trainer], steps: int, eval_every: int | None = None, path: bool = False,
               stacked: bool = True) -> list[dict[str, Any]]:
    """`steps` updates of every racer (each stops at its own diverging step), as Trainer.train answers."""
    if not (stacked and len(trainers) > 1 and in_step(trainers)):
        return [trainer.train(steps, eval_every, path=path) for trainer in trainers]
    runs = [TrainRun(trainer, steps, eval_every, path) for trainer in trainers]
    active = list(range(len(trainers)))
    lead = trainers[0].settings
    for i in range(steps):
        x, t, idx, epoch, stop = trainers[active[0]].batches.peek(lead.batch_size)
        done = stacked_passes([trainers[k].network for k in active], x, t, lead.regularization)
        still = []
        for k, p in zip(active, done):
            racer = trainers[k]
            u = compute_update(racer.network, x, t, racer.slots, racer.optimizer_steps, racer.settings.optimizer,
                               racer.settings.regularization, done=p)
            racer.apply(u, x, t, idx, (epoch, stop))
            if runs[k].add(i, u):
                still.append(k)
        active = still
        if not active:
            break
    return [run.result() for run in runs]


def start_plane(trainer: Trainer, plane: PlaneSpec) -> Plane:
    """The plane (directions, seed, axes) through the racer's initial weights (an EngineError if the axes
    are not weights of its network)."""
    start = Network(trainer.arch, trainer.initial_weights, trainer.initial_biases)
    flat, _ = make_plane(start, *plane)
    return flat


def racer_views(trainer: Trainer, result: dict[str, Any], plane: PlaneSpec | None) -> dict[str, Any]:
    """What a race answers of a racer besides its /train result: its optimizer's current step
    (direction.py), and with a `plane` (directions, seed, axes) its path projected on that plane
    through the racer's initial weights (racers of one race share it) as (α, β, distance) per applied
    step, with the step's (dα, dβ) on it. `result` must hold the path (train_race with path=True)."""
    u = result.get("last_update")
    direction = step_direction(trainer.settings.optimizer, trainer.slots, trainer.optimizer_steps,
                               None if u is None else u.delta)
    out: dict[str, Any] = {"step_direction": direction, "projected": None}
    if plane is not None:
        flat = start_plane(trainer, plane)
        path = result["path"]
        out["projected"] = flat.project_all(np.array(path)) if path else np.empty((0, 3))
        if direction is not None:
            direction["along"] = flat.along(direction["displacement"])
    return out
