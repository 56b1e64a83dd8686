"""Stores written by the previous version (commit ae5a63f, whose versions were counts) are read and
upgraded in place: the fixtures in tests/sessions/fixtures hold one Adam network stepped three times,
an SQLite database and a Redis session's fields, as that version wrote them."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from pathlib import Path

from app.sessions.redis import RedisStore
from app.sessions.sqlite import FILE_NAME, SQLiteStore

from .conftest import RedisServer, same_parameters, typical_trainer

FIXTURES = Path(__file__).parent / "fixtures"
YEARS = 10**9  # the fixtures were written on 2026-12-01: they must not expire while these tests run


def stepped(times: int):
    trainer = typical_trainer("adam")
    for _ in range(times):
        trainer.step()
    return trainer


def check_read_and_upgraded(store, sid: str) -> None:
    with store.open(sid, write=False) as old:
        assert old.step_count == 3
        assert same_parameters(old, stepped(3))
        assert store.kept_step(sid, old, 2).step == 2  # the kept steps it wrote are read too
    with store.open(sid) as trainer:
        trainer.step()


def test_an_sqlite_file_of_the_previous_version_is_read_and_upgraded(tmp_path: Path):
    shutil.copyfile(FIXTURES / "store_ae5a63f.sqlite3", tmp_path / FILE_NAME)
    sid = (FIXTURES / "store_ae5a63f.sqlite3.id").read_text().strip()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("SELECT version FROM sessions").fetchall() == [(3,)]  # a count
    store = SQLiteStore.in_dir(tmp_path, 100, YEARS)

    check_read_and_upgraded(store, sid)

    (version,) = store._db().execute("SELECT version FROM sessions WHERE id = ?", (sid,)).fetchone()
    assert version >= 1 << 62  # its first save gave it a version that never repeats
    store.close()
    again = SQLiteStore.in_dir(tmp_path, 100, YEARS)
    with again.open(sid, write=False) as trainer:
        assert trainer.step_count == 4
        assert same_parameters(trainer, stepped(4))
    again.close()


def test_a_redis_session_of_the_previous_version_is_read_and_upgraded(redis_server: RedisServer):
    doc = json.loads((FIXTURES / "redis_session_ae5a63f.json").read_text())
    sid, prefix = doc["id"], "upgrade-test:"
    store = RedisStore.from_url(redis_server.url, 100, 3600, prefix=prefix)
    key = f"{prefix}s:{sid}"
    store.client.hset(key, mapping={name: base64.b64decode(value) for name, value in doc["fields"].items()})
    store.client.zadd(f"{prefix}lru", {sid: 1})
    assert store.client.hget(key, "version") == b"3"  # a count

    check_read_and_upgraded(store, sid)

    assert int(store.client.hget(key, "version")) >= 1 << 62
    fields = store.client.hgetall(key)  # its first save measured it whole
    assert int(store.client.get(f"{prefix}bytes")) == sum(len(v) for f, v in fields.items() if f != b"version")
    other = RedisStore.from_url(redis_server.url, 100, 3600, prefix=prefix)
    with other.open(sid, write=False) as trainer:
        assert trainer.step_count == 4
        assert same_parameters(trainer, stepped(4))
    other.close()
    store.client.delete(key, f"{prefix}lru", f"{prefix}sizes", f"{prefix}bytes")
    store.close()
