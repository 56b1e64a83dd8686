"""An optimizer race: one network spec trained by several optimizers from the same start.

Every racer is an ordinary `Trainer`, built from the first one's settings with its seeds already
drawn, so all racers share the initial weights, the data and the mini-batch order (the order comes
from the init seed); only the optimizer differs. Stepping racers in lockstep is then the same as
stepping each alone: `train_race` runs each racer's own `Trainer.train`, one after the other, so a
racer's numbers are bit for bit those of a lone network with its optimizer, a racer that diverges
stops while the others go on, and a racer changed in between (PATCH) goes on with its new settings.
"""

from __future__ import annotations

import copy
from typing import Any

from .optimizers import OPTIMIZERS
from .settings import OptimizerSettings
from .trainer import Trainer

DEFAULT_RACERS = tuple(OPTIMIZERS)  # every optimizer, in the registry's order


def default_racers() -> list[OptimizerSettings]:
    """Each optimizer with its own default learning rate and hyperparameters (from the registry)."""
    return [OptimizerSettings(name, None, dict(OPTIMIZERS[name].hyperparameters)) for name in DEFAULT_RACERS]


def rival(first: Trainer, optimizer: OptimizerSettings) -> Trainer:
    """A racer like `first` (same settings and seeds, initial weights and data) with another optimizer."""
    settings = copy.deepcopy(first.settings)
    settings.optimizer = optimizer
    data = None
    if first.custom_data:
        data = {"inputs": first.data.train_inputs, "targets": first.data.train_targets}
    return Trainer(settings, weights=first.initial_weights, biases=first.initial_biases, data=data)


def racers(first: Trainer, optimizers: list[OptimizerSettings]) -> list[Trainer]:
    """The race: `first` (already built with optimizers[0]) and one rival per other optimizer."""
    return [first, *(rival(first, optimizer) for optimizer in optimizers[1:])]


def train_race(trainers: list[Trainer], steps: int, eval_every: int | None = None,
               path: bool = False) -> list[dict[str, Any]]:
    """`steps` updates of every racer (each stops at its own diverging step), as Trainer.train answers."""
    return [trainer.train(steps, eval_every, path=path) for trainer in trainers]
