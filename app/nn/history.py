"""The steps a trainer keeps: what is needed to re-run (and so explain) its last applied steps.

A `StepRecord` is one applied step as it started: the parameters, the optimizer's slots and step
count before it, the optimizer and regularization settings in force, and the batch. Every array
is shared, not copied: the trainer makes new parameter and slot arrays at every step and never
writes a batch's arrays, so a record costs a few references. Re-running a record's maths
(`Trainer.replay`) gives the step's trace bit for bit.

`KeptSteps` holds the newest `KEEP` records of one network, newest last. Reset (and import, which
makes a new trainer) clears them; a change of settings does not; a diverged step is never kept.
It also notes what changed since a shared store last saved it (`unsaved`), so a store writes only
the new records (and, after a reset, deletes the old ones).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .optimizers import Slots
from .settings import OptimizerSettings, RegularizationSettings

Array = NDArray[np.float64]
KEEP = 20  # applied steps kept per network


class StepNotKept(LookupError):
    """The step asked for is not (or no longer) among the network's kept steps."""

    def __init__(self, step: int, current: int):
        super().__init__(step)
        self.step, self.current = step, current
        self.message = (f"step {step} is not kept: the server keeps the last {KEEP} applied steps of a network "
                        f"(this one has applied {current}), and forgets them when it is reset or imported")


# Made at every step: not frozen (a frozen dataclass's __init__ costs ~15× a plain one's), never written.
@dataclass(slots=True)
class StepRecord:
    step: int  # the trace's `step`: updates applied after this one
    epoch: int  # the trace's `epoch`
    params: Array  # the flat parameter vector the step started from
    slots: Slots  # the optimizer's slots before the step
    optimizer_steps: int  # the optimizer's step count before the step (Adam's t − 1)
    optimizer: OptimizerSettings  # in force for this step (a later PATCH replaces, never edits, it)
    regularization: RegularizationSettings
    inputs: Array  # (batch, n_0)
    targets: Array  # (batch, n_L)
    sample_indices: NDArray[np.int64] | None  # rows of the training set; None for the caller's batch

    @property
    def slot(self) -> int:
        """Where a store keeps it: a ring of KEEP places, so a newer step replaces the one KEEP before."""
        return self.step % KEEP


class KeptSteps:
    def __init__(self) -> None:
        self._records: deque[StepRecord] = deque(maxlen=KEEP)
        self._unsaved = 0  # the newest records a shared store has not written yet
        self._cleared = False  # cleared since the store's last save: it deletes what it holds

    def add(self, record: StepRecord) -> None:
        self._records.append(record)
        if self._unsaved < KEEP:
            self._unsaved += 1

    def clear(self) -> None:
        """Forget every kept step, here and (at the next save) in the store."""
        self._records.clear()
        self._unsaved, self._cleared = 0, True

    def forget(self) -> None:
        """Forget the records held here, not the store's: after loading a state saved elsewhere,
        the steps made elsewhere are in the store only."""
        self._records.clear()
        self._unsaved, self._cleared = 0, False

    def find(self, step: int) -> StepRecord | None:
        for record in reversed(self._records):
            if record.step == step:
                return record
        return None

    def unsaved(self) -> tuple[bool, list[StepRecord]]:
        """(cleared since the last save, the records added since), oldest first; marks them saved."""
        news = list(self._records)[len(self._records) - self._unsaved:] if self._unsaved else []
        cleared = self._cleared
        self._unsaved, self._cleared = 0, False
        return cleared, news

    def __iter__(self) -> Iterator[StepRecord]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)
