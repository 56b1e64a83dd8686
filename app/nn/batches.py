"""Mini-batch order: the walk through the training set, one permutation per epoch.

The permutation of epoch e comes from (seed, e), so it need not be stored or exported: the place
in the walk is two integers, `epoch` and `position` (samples of that epoch's order already used).
A batch is never larger than what is left of its epoch (a short last batch is used); the next
batch after a full epoch is the start of the next one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Indices = NDArray[np.int64]


class Batches:
    def __init__(self, inputs: Array, targets: Array, seed: int):
        self.inputs, self.targets, self.seed = inputs, targets, seed
        self.n = len(inputs)
        self._order_epoch = -1  # the epoch whose order is cached below
        self._order: Indices = np.zeros(0, dtype=np.int64)
        self._ordered_inputs, self._ordered_targets = inputs, targets
        self.rewind()

    def rewind(self) -> None:
        """Back to the start of epoch 0."""
        self.epoch = 0
        self.position = 0

    def seek(self, epoch: int, position: int) -> None:
        """Continue from `position` samples into epoch `epoch` (after a batch, or a saved place)."""
        self.epoch, self.position = epoch, position

    def peek(self, batch_size: int) -> tuple[Array, Array, Indices, int, int]:
        """The next mini-batch, taking nothing: inputs, targets, sample indices, and the place
        after it as (epoch, position) for `seek` once the batch is used."""
        epoch, start = self.epoch, self.position
        if start >= self.n:
            epoch, start = epoch + 1, 0
        stop = start + min(batch_size, self.n - start)
        if self._order_epoch != epoch:
            self._shuffle(epoch)
        # Views of arrays that are replaced, never written, when the epoch changes.
        return (self._ordered_inputs[start:stop], self._ordered_targets[start:stop], self._order[start:stop],
                epoch, stop)

    def _shuffle(self, epoch: int) -> None:
        self._order = np.random.default_rng([self.seed, epoch]).permutation(self.n)
        # The epoch's samples in its order, so that every mini-batch is a slice, not a gather.
        self._ordered_inputs = self.inputs[self._order]
        self._ordered_targets = self.targets[self._order]
        self._order_epoch = epoch
