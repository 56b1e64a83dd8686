"""sizing: held_nbytes measures the buffers a trainer really holds; footprint projects the most it will
hold (never less than measured, however it is stepped); step_numbers and forward_numbers count a
trace's numbers exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.history import KEEP
from app.nn.sizing import epochs_kept, footprint, forward_numbers, held_nbytes, step_numbers


def trainer(layer_sizes: list[int], n: int, batch: int, optimizer: str = "adam", use_bias: bool = True) -> Trainer:
    return Trainer(Settings(layer_sizes=layer_sizes, batch_size=batch, use_bias=use_bias, init=InitSettings(seed=1),
                            optimizer=OptimizerSettings(optimizer, 0.01),
                            dataset=DatasetSettings("xor", n, 0.1, 0.5, seed=2)))


def count_numbers(x: Any) -> int:
    """Every number in a trace's arrays, counted by walking it (independent of step_numbers)."""
    if isinstance(x, np.ndarray):
        return x.size
    if isinstance(x, dict):
        return sum(count_numbers(v) for v in x.values())
    if isinstance(x, list):
        return sum(count_numbers(v) for v in x)
    return 0


def test_held_nbytes_counts_each_buffer_once_whatever_views_and_containers_share_it():
    a, b = np.zeros(100), np.ones((3, 4), dtype=np.float32)
    assert held_nbytes({"a": a, "view": a[10:20], "again": [a, (a.reshape(10, 10),)], "b": b}) == 800 + 48
    assert held_nbytes([a[::2], b.T]) == 800 + 48  # a view costs its whole base
    assert held_nbytes({"n": 3, "s": "text"}) == 0


def test_a_fresh_trainer_holds_its_parameters_twice_its_slots_and_its_data():
    t = trainer([2, 8, 8, 1], 200, 10, "adam")
    p = (2 * 8 + 8 * 8 + 8 * 1 + 8 + 8 + 1) * 8  # bytes of one parameter vector
    data = 200 * (2 + 1) * 8  # inputs and targets, train and test together
    assert held_nbytes(t) == 2 * p + 2 * p + data  # now and initial; Adam's m and v
    fp = footprint(t)
    assert (fp.parameters, fp.optimizer, fp.data) == (2 * p, 2 * p, data)
    assert fp.kept_parameters == KEEP * 3 * p  # each kept step's parameters, m and v
    assert fp.kept_batches == epochs_kept(t.n_train, 10) * t.n_train * (2 + 1 + 1) * 8  # inputs, target, index
    assert fp.batches_floor == 3 * t.n_train * (2 + 1 + 1) * 8


@pytest.mark.parametrize(("layer_sizes", "n", "batch", "optimizer"), [
    ([2, 8, 8, 8, 1], 200, 10, "adam"),  # many batches an epoch
    ([2, 4, 1], 100, 200, "sgd"),  # a batch of the whole set: every kept step its own epoch's copy
    ([2, 6, 1], 90, 7, "rmsprop"),  # a short last batch an epoch
    ([2, 5, 1], 60, 15, "momentum"),  # two batches an epoch
])
def test_the_footprint_is_never_below_what_the_trainer_holds_and_reached_once_the_ring_is_full(
        layer_sizes, n, batch, optimizer):
    t = trainer(layer_sizes, n, batch, optimizer)
    projected = footprint(t).total
    epoch_copy = t.n_train * (layer_sizes[0] + layer_sizes[-1] + 1) * 8
    most = 0
    for i in range(3 * KEEP + 5):
        t.step()
        if i % 3 == 0:
            t.forward_trace()  # a preview may shuffle the next epoch
        held = held_nbytes(t)
        assert held <= projected, (i, held, projected)
        most = max(most, held)
        assert footprint(t).total == projected  # stepping changes no shape
    assert projected - most <= epoch_copy  # tight: at most the preview's copy is never held


def test_the_footprint_follows_a_change_of_batch_size_and_optimizer():
    t = trainer([2, 8, 1], 300, 10, "sgd")
    before = footprint(t)
    t.update(optimizer=OptimizerSettings("adam", 0.01), batch_size=300)
    after = footprint(t)
    assert after.optimizer == before.parameters  # m and v: two parameter vectors, as the parameters now and initial
    assert after.kept_batches > before.kept_batches  # a batch of the whole set keeps KEEP copies of it
    for _ in range(KEEP + 2):
        t.step()
    assert held_nbytes(t) <= after.total


@pytest.mark.parametrize(("layer_sizes", "optimizer", "use_bias", "rows"), [
    ([2, 8, 8, 1], "adam", True, 10), ([3, 5, 2], "sgd", True, 1), ([1, 1], "momentum", False, 4),
    ([4, 7, 6, 3], "rmsprop", True, 33), ([2, 3, 1], "adagrad", False, 50),
])
def test_step_and_forward_numbers_count_a_trace_exactly(layer_sizes, optimizer, use_bias, rows):
    t = trainer(layer_sizes, 400, rows, optimizer, use_bias) if layer_sizes[0] == 2 and layer_sizes[-1] == 1 else \
        Trainer(Settings(layer_sizes=layer_sizes, batch_size=rows, use_bias=use_bias, loss="mse",
                         output_activation="linear", init=InitSettings(seed=1),
                         optimizer=OptimizerSettings(optimizer, 0.01)),
                data={"inputs": np.random.default_rng(0).normal(size=(80, layer_sizes[0])).tolist(),
                      "targets": np.random.default_rng(1).normal(size=(80, layer_sizes[-1])).tolist()})
    n_slots, adam = len(t.slots), optimizer == "adam"
    assert count_numbers(t.forward_trace()) == forward_numbers(layer_sizes, rows)
    assert count_numbers(t.step()) == step_numbers(layer_sizes, rows, n_slots, adam, True, use_bias)
    assert count_numbers(t.step(details=False)) == step_numbers(layer_sizes, rows, n_slots, adam, False, use_bias)


def test_the_largest_part_names_what_to_lower():
    assert footprint(trainer([2, 32, 32, 32, 1], 40, 5)).largest() == "parameters"
    assert footprint(trainer([2, 2, 1], 4000, 1)).largest() == "data"  # batch 1 keeps as few copies as any
    assert footprint(trainer([2, 2, 1], 4000, 2000)).largest() == "batch_size"


def test_epochs_kept_counts_the_epochs_a_ring_of_steps_can_span():
    assert epochs_kept(100, 100) == KEEP + 1  # a batch an epoch: one epoch per kept step, and the preview's
    assert epochs_kept(100, 1000) == KEEP + 1
    assert epochs_kept(100, 1) == 1 + 1 + 1  # KEEP steps of 100 an epoch: one epoch, or two across a boundary
    assert epochs_kept(100, 50) == 1 + 10 + 1  # two an epoch: 19 more steps span 10 more epochs
    assert epochs_kept(0, 10) == 0
