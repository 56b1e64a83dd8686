"""The SQLite store within its bound in bytes (issue 14, failure 4): least recently used removed first,
a clear not-found for them, and the file compacted when it has outgrown its contents."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.sessions import SessionNotFound
from app.sessions import sqlite_room as room
from app.sessions.sqlite import FILE_NAME, SQLiteStore

from .conftest import Clock, still_stored, typical_trainer

FIXTURES = Path(__file__).parent / "fixtures"
BOUND = 200 << 10  # bytes: about fourteen of the networks below


def network():
    return typical_trainer("adam")  # ~14 KiB of pages


def pages(store: SQLiteStore) -> tuple[int, int]:
    """The file's bytes and its contents' bytes, as a fresh connection counts them."""
    with sqlite3.connect(store.path) as db:
        pages, free, size = db.execute("SELECT * FROM pragma_page_count(), pragma_freelist_count(), "
                                       "pragma_page_size()").fetchone()
    return pages * size, (pages - free) * size


def test_the_bound_holds_under_a_run_that_exceeds_it_least_recently_used_first(tmp_path: Path):
    clock = Clock(1_000_000.0)
    store = SQLiteStore.in_dir(tmp_path, 10_000, 3600, clock=clock, max_bytes=BOUND)
    ids = []
    for _ in range(45):  # three times what fits
        ids.append(store.create(network()))
        clock.now += 2  # each save below notes its last use, where the bound is checked too
        with store.open(ids[0]) as trainer:  # the first keeps being used, and its kept steps grow
            trainer.step()
        assert pages(store)[1] <= BOUND
    assert pages(store)[0] <= BOUND + (64 << 10)  # the file: freed pages were reused

    live = still_stored(store, ids)
    assert 4 <= len(live) < 20
    assert live == [ids[0], *ids[-len(live) + 1:]]  # the least recently used went first: not the one in use
    store.close()


def test_a_network_deleted_or_never_made_is_not_said_to_be_removed_for_room(tmp_path: Path):
    store = SQLiteStore.in_dir(tmp_path, 10_000, 3600, max_bytes=BOUND)
    sid = store.create(network())
    store.delete(sid)
    for missing in (sid, "never-made"):
        with pytest.raises(SessionNotFound) as gone, store.open(missing):
            pass
        assert not gone.value.removed_for_room
    store.close()


def test_without_a_bound_nothing_is_removed_for_room(tmp_path: Path):
    store = SQLiteStore.in_dir(tmp_path, 10_000, 3600)
    ids = [store.create(network()) for _ in range(30)]
    for sid in ids:
        with store.open(sid, write=False):
            pass
    store.close()


def test_the_file_shrinks_once_it_has_outgrown_its_contents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(room, "COMPACT_MIN_BYTES", 256 << 10)
    monkeypatch.setattr(room, "SLICE_PAGES", 16)  # several slices
    store = SQLiteStore.in_dir(tmp_path, 10_000, 3600)
    ids = [store.create(network()) for _ in range(40)]
    grown, _ = pages(store)
    for sid in ids[:-4]:
        store.delete(sid)  # the delete that leaves the file over twice its contents compacts it
    file_bytes, content = pages(store)
    assert file_bytes <= 2 * content
    assert file_bytes < grown / 3
    with store.open(ids[-1]) as trainer:  # the rest is intact
        trainer.step()
    store.close()


def test_an_older_file_is_switched_to_incremental_compaction_at_its_first(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(room, "COMPACT_MIN_BYTES", 64 << 10)
    shutil.copyfile(FIXTURES / "store_ae5a63f.sqlite3", tmp_path / FILE_NAME)
    old = (FIXTURES / "store_ae5a63f.sqlite3.id").read_text().strip()
    store = SQLiteStore.in_dir(tmp_path, 10_000, 10**9)
    assert store._db().execute("PRAGMA auto_vacuum").fetchone() == (0,)
    ids = [store.create(network()) for _ in range(20)]
    for sid in ids:
        store.delete(sid)
    file_bytes, content = pages(store)
    assert store._db().execute("PRAGMA auto_vacuum").fetchone() == (room.INCREMENTAL,)
    assert file_bytes <= max(2 * content, room.COMPACT_MIN_BYTES)
    with store.open(old, write=False) as trainer:
        assert trainer.step_count == 3
    store.close()
