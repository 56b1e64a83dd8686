"""How many bytes a trainer holds, and how many numbers its traces carry: what a server's bounds in
bytes (a network's memory, an answer's size) are checked against, from shapes, before any work.

`held_nbytes` measures: it walks the objects of the engine reachable from a trainer and sums the
memory of the distinct NumPy buffers it finds (a view counts as the array it views, once).
`footprint` projects, from the trainer's own arrays and shapes, the most it will hold once its ring
of kept steps (history.KEEP) is full: each kept step holds the parameters and optimizer slots it
started from, and its batch, a slice of its epoch's shuffled copy of the training set (so a ring
of batches as large as the training set holds KEEP copies of it). A batch the caller gives a step
is kept too, and is not in the projection: it is bounded by the answer it makes (`step_numbers`).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from .history import KEEP

_ENGINE = __name__.rpartition(".")[0]  # the package whose objects `held_nbytes` walks into
_FLOAT = 8  # bytes of a float64 (and of an int64 sample index)


def _root(array: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _members(x: object) -> list[Any]:
    """The attributes of an engine object (its __dict__ and its __slots__)."""
    members = list(vars(x).values()) if hasattr(x, "__dict__") else []
    for cls in type(x).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(x, name):
                members.append(getattr(x, name))
    return members


def held_nbytes(root: object) -> int:
    """The bytes of every distinct NumPy buffer reachable from `root` through the engine's objects,
    dicts, lists, tuples and deques (measured, not estimated)."""
    seen: set[int] = set()
    buffers: dict[int, int] = {}
    todo: list[Any] = [root]
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, np.ndarray):
            base = _root(x)
            buffers[id(base)] = base.nbytes
        elif isinstance(x, dict):
            todo.extend(x.values())
        elif isinstance(x, list | tuple | deque | set | frozenset):
            todo.extend(x)
        elif type(x).__module__.startswith(_ENGINE) and not isinstance(x, type):
            todo.extend(_members(x))
    return sum(buffers.values())


@dataclass(frozen=True)
class Footprint:
    """The bytes a trainer holds at most, by part."""

    parameters: int  # the parameters now and at the start
    optimizer: int  # the optimizer's slots
    data: int  # the training and test sets
    kept_parameters: int  # a full ring of kept steps: the parameters and slots each started from
    kept_batches: int  # and their batches: the shuffled copies of the training set they are slices of
    batches_floor: int  # what kept_batches would be at a batch size of 1 (lowering it saves no more)

    @property
    def total(self) -> int:
        return self.parameters + self.optimizer + self.data + self.kept_parameters + self.kept_batches

    def largest(self) -> str:
        """What weighs most: "parameters" (with their slots and kept copies), "data" (with the copies
        any batch size keeps) or "batch_size" (the copies a smaller batch would not keep)."""
        parts = {"parameters": self.parameters + self.optimizer + self.kept_parameters,
                 "data": self.data + self.batches_floor, "batch_size": self.kept_batches - self.batches_floor}
        return max(parts, key=lambda k: parts[k])


def epochs_kept(n_train: int, batch_size: int) -> int:
    """How many epochs' shuffled copies of the training set a full ring of kept steps (and a preview of
    the next batch) can hold at once: KEEP consecutive batches span 1 + ⌈(KEEP − 1)/k⌉ epochs of k
    batches each, at most KEEP; the preview may start one more."""
    if n_train == 0:
        return 0
    per_epoch = math.ceil(n_train / max(1, batch_size))
    return min(KEEP, 1 + math.ceil((KEEP - 1) / per_epoch)) + 1


def footprint(trainer: Any) -> Footprint:
    """The most this trainer will hold (see the module's note), from its arrays as they are now."""
    params = trainer.network.params.nbytes
    initial = sum(w.nbytes for w in trainer.initial_weights) + sum(b.nbytes for b in trainer.initial_biases or [])
    slots = sum(a.nbytes for arrays in trainer.slots.values() for a in arrays)
    d = trainer.data
    data = sum(_root(a).nbytes for a in {id(_root(a)): a for a in (d.train_inputs, d.train_targets,
                                                                    d.test_inputs, d.test_targets)}.values())
    n = trainer.n_train
    columns = trainer.arch.layer_sizes[0] + trainer.arch.layer_sizes[-1] + 1  # inputs, targets, its index
    epoch_copy = n * columns * _FLOAT
    return Footprint(params + initial, slots, data, KEEP * (params + slots),
                     epochs_kept(n, trainer.settings.batch_size) * epoch_copy, epochs_kept(n, 1) * epoch_copy)


def step_numbers(layer_sizes: tuple[int, ...] | list[int], rows: int, n_slots: int, adam: bool,
                 details: bool = True, use_bias: bool = True) -> int:
    """The numbers in the arrays of a step's trace over `rows` samples (stepping.step_trace): per row its
    inputs, targets, index, loss and each layer's z, a, ∂E/∂a and δ; once, the gradients, deltas and new
    parameters, and (with `details`, /step's) the optimizer's slots before and after (Adam's m̂, v̂ too)."""
    units = sum(layer_sizes[1:])
    weights = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    params = weights + (units if use_bias else 0)
    per_row = layer_sizes[0] + layer_sizes[-1] + 2 + 4 * units
    once = 3 * params + (2 * n_slots * params + (2 * params if adam else 0) if details else 0)
    return rows * per_row + once


def forward_numbers(layer_sizes: tuple[int, ...] | list[int], rows: int) -> int:
    """The numbers in a forward trace's arrays (Trainer.forward_trace): inputs, targets, index, loss,
    and each layer's z and a, per row."""
    return rows * (layer_sizes[0] + layer_sizes[-1] + 2 + 2 * sum(layer_sizes[1:]))
