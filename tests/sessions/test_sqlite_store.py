"""What only the SQLite store does: a database or folder it cannot use is StoreUnavailable (a 503),
never a raw sqlite3 or OS error; and the worker that saved a network last steps it again without
reading the database, but never past another worker's save or the idle time."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from app.config import AppSettings
from app.main import create_app
from app.sessions import SessionNotFound, StoreUnavailable
from app.sessions.sqlite import FILE_NAME, SQLiteStore
from app.sessions.sqlite_locks import lock_offset
from app.sessions.version_table import _SLOT, _SLOTS

from .conftest import Clock, same_parameters, typical_trainer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

API = "/api/v1"
SMALL = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}}


def test_a_data_folder_that_cannot_be_made_is_unavailable(tmp_path: Path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    store = SQLiteStore.in_dir(blocked / "data", 100, 3600)

    with pytest.raises(StoreUnavailable, match="folder failed") as caught:
        store.create(typical_trainer())

    assert isinstance(caught.value.__cause__, OSError)
    store.close()


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not an SQLite database" * 100)
    store = SQLiteStore.in_dir(tmp_path, 100, 3600)

    with pytest.raises(StoreUnavailable, match="database failed") as caught:
        store.create(typical_trainer())

    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    store.close()


def test_an_unusable_database_answers_a_clear_503_on_every_path(tmp_path: Path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not an SQLite database" * 100)
    settings = AppSettings(create_rate_per_minute=0, data_dir=tmp_path)
    step = f"{API}/networks/some-network-id/step"

    with TestClient(create_app(settings)) as client:
        answers = [client.post(f"{API}/networks", json=SMALL),
                   client.post(step),  # body-less: the fast path
                   client.post(f"{step}?precision=compact"),
                   client.post(step, json={}),  # a body: the route
                   client.get(f"{API}/networks/some-network-id")]

    for response in answers:
        assert response.status_code == 503, response.text
        assert "sessions are unavailable" in response.json()["detail"]
        assert response.headers["retry-after"] == "5"
        assert response.headers["x-content-type-options"] == "nosniff"


def statements_run_by(store: SQLiteStore) -> list[str]:
    """Every statement the store's connection in this thread runs from now on."""
    statements: list[str] = []
    store._db().set_trace_callback(statements.append)
    return statements


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def step(store: SQLiteStore, sid: str) -> int:
    with store.open(sid) as trainer:
        trainer.step()
        return trainer.step_count


def test_the_worker_that_saved_last_steps_again_without_reading_the_database(tmp_path: Path):
    store = SQLiteStore.in_dir(tmp_path, 100, 3600, clock=Clock(1_000_000.0))
    sid = store.create(typical_trainer())
    step(store, sid)  # version 0 was never saved through the table: this one reads
    statements = statements_run_by(store)

    counts = [step(store, sid) for _ in range(3)]

    assert counts == [2, 3, 4]
    assert selects(statements) == []
    assert sum(s.startswith("UPDATE sessions") for s in statements) == 3  # (and each step kept: kept_steps)
    store.close()


def test_a_save_by_another_worker_is_read_before_the_next_step(tmp_path: Path):
    clock = Clock(1_000_000.0)
    mine, theirs = (SQLiteStore.in_dir(tmp_path, 100, 3600, clock=clock) for _ in range(2))
    sid = mine.create(typical_trainer())
    step(mine, sid)
    step(theirs, sid)  # version 2, saved by the other worker
    statements = statements_run_by(mine)

    with mine.open(sid) as my_copy:
        assert my_copy.step_count == 2  # the other worker's save, not my stale copy
    with theirs.open(sid, write=False) as their_copy:
        assert same_parameters(my_copy, their_copy)
    assert len(selects(statements)) == 1
    mine.close()
    theirs.close()


def test_a_torn_slot_means_reading_the_database(tmp_path: Path):
    store = SQLiteStore.in_dir(tmp_path, 100, 3600, clock=Clock(1_000_000.0))
    sid = store.create(typical_trainer())
    step(store, sid)
    table = store._version_table()
    slot = (lock_offset(sid) % _SLOTS) * _SLOT.size
    table._map[slot + 24:slot + 32] = b"\xff" * 8  # the check word
    statements = statements_run_by(store)

    assert step(store, sid) == 2
    assert len(selects(statements)) == 1
    store.close()


def test_the_table_never_keeps_an_idle_network_alive(tmp_path: Path):
    clock = Clock(1_000_000.0)
    store = SQLiteStore.in_dir(tmp_path, 100, 60, clock=clock)
    sid = store.create(typical_trainer())
    step(store, sid)
    step(store, sid)

    clock.now += 61

    with pytest.raises(SessionNotFound):
        step(store, sid)
    store.close()
