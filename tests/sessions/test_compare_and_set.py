"""Saves are compare-and-set on a token that never repeats (issue 14, failure 6): after the store
loses data (Redis back from an older snapshot, an old SQLite file copied back), a worker's stale
copy never replaces newer work, even when the other worker has saved exactly as often since."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.nn import OptimizerSettings
from app.sessions import SessionBusy, SessionStore

from .conftest import StoreMaker, same_parameters, typical_trainer


def snapshot(maker: StoreMaker, store: SessionStore, sid: str, tmp_path: Path) -> Callable[[], None]:
    """Take a copy of the stored network now; returns what puts it back (the store's data loss)."""
    if maker.kind == "sqlite":
        path, saved = store.path, tmp_path / "snapshot.sqlite3"  # type: ignore[attr-defined]
        with sqlite3.connect(path) as live, sqlite3.connect(saved) as copy:
            live.backup(copy)

        def restore_file() -> None:  # the old file copied back, as SQLite's backup writes it into a live one
            with sqlite3.connect(saved) as copy, sqlite3.connect(path) as live:
                copy.backup(live)

        return restore_file
    client, key = store.client, f"{maker.prefix}s:{sid}"  # type: ignore[attr-defined]
    blob = client.dump(key)

    def restore_key() -> None:  # Redis back from an older snapshot: the key as it was then
        client.restore(key, 3_600_000, blob, replace=True)

    return restore_key


def step(store: SessionStore, sid: str, times: int = 1) -> None:
    for _ in range(times):
        with store.open(sid) as trainer:
            trainer.step()


def step_or_retry(store: SessionStore, sid: str) -> None:
    """One step as a client makes it: a lost race (409) is tried again, once."""
    try:
        step(store, sid)
    except SessionBusy:
        step(store, sid)


def test_a_stale_copy_never_replaces_newer_work_after_the_store_rolls_back(shared_store: StoreMaker,
                                                                           tmp_path: Path):
    a = shared_store()
    b = shared_store.again()
    sid = a.create(typical_trainer())
    step(a, sid, 5)
    roll_back = snapshot(shared_store, a, sid, tmp_path)
    step(a, sid, 5)  # A holds step 10 in its cache
    roll_back()  # the store is back at step 5
    with b.open(sid) as theirs:  # B's work differs from A's lost steps: another learning rate
        theirs.update(optimizer=OptimizerSettings("sgd", 0.3))
        theirs.step()
    step(b, sid, 4)  # B has saved five times: a counted version would be A's again

    step_or_retry(a, sid)

    expected = typical_trainer()
    for _ in range(5):
        expected.step()
    expected.update(optimizer=OptimizerSettings("sgd", 0.3))
    for _ in range(6):  # B's five steps, then A's on top of them
        expected.step()
    with shared_store.again().open(sid, write=False) as stored:
        assert stored.step_count == 11
        assert same_parameters(stored, expected)


def test_a_copy_older_than_the_store_is_refused_then_reloaded(shared_store: StoreMaker, tmp_path: Path):
    a = shared_store()
    sid = a.create(typical_trainer())
    step(a, sid, 2)
    roll_back = snapshot(shared_store, a, sid, tmp_path)
    step(a, sid, 3)
    roll_back()  # A's copy (step 5) is not what the store holds (step 2)

    step_or_retry(a, sid)

    expected = typical_trainer()
    for _ in range(3):
        expected.step()
    with shared_store.again().open(sid, write=False) as stored:
        assert stored.step_count == 3  # the stored step 2, stepped: nothing of A's lost copy
        assert same_parameters(stored, expected)


@pytest.mark.parametrize("kind", ["sqlite"])
def test_a_refused_save_is_a_busy_network_and_the_next_opening_reloads(make_store: StoreMaker, tmp_path: Path):
    a = make_store()
    sid = a.create(typical_trainer())
    step(a, sid, 2)
    roll_back = snapshot(make_store, a, sid, tmp_path)
    step(a, sid)
    roll_back()
    with pytest.raises(SessionBusy, match="changed in the store"):  # the table vouched for A's copy: the
        step(a, sid)  # save finds another token and writes nothing
    with a.open(sid) as trainer:
        assert trainer.step_count == 2
