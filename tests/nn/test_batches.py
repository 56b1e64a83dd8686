"""Mini-batch order: one seeded permutation per epoch, walked in slices, with a short last batch."""

from __future__ import annotations

import numpy as np

from app.nn.batches import Batches


def batches(n: int = 7, seed: int = 3) -> Batches:
    inputs = np.arange(2.0 * n).reshape(n, 2)  # (n, 2): row i is (2i, 2i + 1)
    return Batches(inputs, inputs[:, :1] * 10.0, seed)


def walk(b: Batches, batch_size: int, n_batches: int) -> list[tuple[list[int], int, int]]:
    """Take `n_batches` batches: each one's sample indices and the place after it."""
    out = []
    for _ in range(n_batches):
        _, _, idx, epoch, position = b.peek(batch_size)
        b.seek(epoch, position)
        out.append((idx.tolist(), epoch, position))
    return out


def test_each_epoch_is_a_permutation_in_slices_with_a_short_last_batch():
    taken = walk(batches(7), 3, 6)
    assert [(len(idx), epoch, pos) for idx, epoch, pos in taken] == [
        (3, 0, 3), (3, 0, 6), (1, 0, 7), (3, 1, 3), (3, 1, 6), (1, 1, 7)]
    first = sum((idx for idx, _, _ in taken[:3]), [])
    second = sum((idx for idx, _, _ in taken[3:]), [])
    assert sorted(first) == sorted(second) == list(range(7))
    assert first != second


def test_a_batch_is_the_rows_of_its_sample_indices():
    b = batches(7)
    b.seek(0, 2)
    x, t, idx, _, _ = b.peek(4)
    np.testing.assert_array_equal(x, b.inputs[idx])
    np.testing.assert_array_equal(t, b.targets[idx])


def test_peek_takes_nothing_and_the_order_comes_from_the_seed():
    b = batches(seed=3)
    assert b.peek(2)[2].tolist() == b.peek(2)[2].tolist()
    assert (b.epoch, b.position) == (0, 0)
    assert walk(batches(seed=3), 2, 8) == walk(batches(seed=3), 2, 8)
    assert walk(batches(seed=3), 2, 8) != walk(batches(seed=4), 2, 8)


def test_seek_and_rewind_move_the_place_only():
    b, reference = batches(), batches()
    expected = walk(reference, 3, 5)
    b.seek(1, 6)  # where five batches of 3 end: 3 + 3 + 1, then 3 + 3
    assert walk(b, 3, 1) == walk(reference, 3, 1)
    b.rewind()
    assert walk(b, 3, 5) == expected
