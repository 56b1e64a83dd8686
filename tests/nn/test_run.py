"""A run of many steps (app.nn.run): where its snapshots are taken."""

from __future__ import annotations

import pytest

from app.nn.run import snapshot_steps


@pytest.mark.parametrize(("steps", "k", "expected"), [
    (12, 3, {3, 6, 9}), (10, 4, {2, 4, 6, 8}), (7, 2, {2, 4}), (100, 1, {50}),
    (3, 16, {1, 2}), (1, 5, set()), (40, 0, set())])
def test_snapshots_are_spread_evenly_and_never_on_the_last_step(steps, k, expected):
    assert snapshot_steps(steps, k) == expected


@pytest.mark.parametrize("steps", range(1, 60))
@pytest.mark.parametrize("k", [1, 2, 3, 7, 16])
def test_snapshots_are_distinct_steps_inside_the_run(steps, k):
    at = sorted(snapshot_steps(steps, k))

    assert len(at) == min(k, steps - 1)
    assert all(1 <= s < steps for s in at)
    gaps = [b - a for a, b in zip([0, *at], [*at, steps])]
    assert max(gaps) - min(gaps) <= 1  # as even as whole steps allow
