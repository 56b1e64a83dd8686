"""Sessions in an embedded SQLite file: no set-up, survives restarts, shared by the worker
processes of one machine (`uvicorn app.main:app --workers 4`).

The database runs in WAL mode (readers never wait for the writer) with synchronous=NORMAL: a
commit survives the process being killed; a power cut may lose the last moments. A session's lock
across processes is an advisory lock on one byte of a lock file beside the database (the byte's
offset is a hash of the id), taken as an open-file-description lock on Linux: it is released when
the holder's process dies, so a killed worker never leaves a network locked. A session's last use
(for idle expiry and least-recently-used eviction) is noted to the second, which spares most saves an
index update. A worker that saved a network last steps it again without reading the database: a
table in shared memory beside it (version_table.py) vouches that no one saved it since. A save is
compare-and-set (UPDATE … WHERE version = the one loaded, in one statement) and writes a random new
version, so a copy that is not the stored one (an older file copied back, say) is never saved over it.
The networks' bytes are bounded, least recently used removed first, and the file compacted when it has
outgrown its contents (sqlite_room.py). Nothing is created on disk until the store is first used.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import sqlite_room as room
from .base import SessionConflict, SessionNotFound, StoreUnavailable, new_version
from .cached import NOT_CACHED, CachedStore, Fetched, KeptChanges
from .sqlite_locks import WriteLock, lock_offset, set_lock
from .version_table import VersionTable

FILE_NAME = "sessions.sqlite3"
JOURNAL_LIMIT_BYTES = 64 << 20  # the write-ahead log is cut back to this after a checkpoint

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL, -- 0 at creation, then base.new_version() at every save (compared and set)
    last_used REAL NOT NULL,  -- seconds since the epoch
    state BLOB NOT NULL       -- codec.dump_state: rewritten by every save
);
CREATE INDEX IF NOT EXISTS sessions_by_last_use ON sessions (last_used);
CREATE TABLE IF NOT EXISTS bases (  -- codec.dump_base: written once, apart so saves stay small
    id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    base BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS kept_steps (  -- codec.dump_record: the last applied steps (history.py)
    id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    slot INTEGER NOT NULL,  -- step % KEEP: a ring, so a newer step replaces the one KEEP before
    step INTEGER NOT NULL,
    record BLOB NOT NULL,
    PRIMARY KEY (id, slot)
);
"""

class SQLiteStore(CachedStore):
    kind = "sqlite"
    def __init__(self, path: str | os.PathLike[str], max_sessions: int, ttl_seconds: float, *,
                 cache_size: int = 1000, lock_wait_seconds: float = 10.0, clock: Callable[[], float] = time.time,
                 max_bytes: int | None = None):
        super().__init__(max_sessions, ttl_seconds, cache_size=cache_size, lock_wait_seconds=lock_wait_seconds)
        self.max_bytes = max_bytes  # of the networks' pages (sqlite_room.py); None: no bound
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".locks")
        self.versions_path = self.path.with_name(self.path.name + ".versions")
        self._clock = clock
        self._touch_every = min(1.0, ttl_seconds / 100)  # the last use is refreshed at most this often
        self._local = threading.local()
        self._setup = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._schema_ready = False
        self._lock_fd: int | None = None
        self._versions: VersionTable | None = None
        self._write_lock = WriteLock(self)  # `with` it to write (blocking: the kernel queues writers)
        self._closed = False

    @classmethod
    def in_dir(cls, data_dir: str | os.PathLike[str], max_sessions: int, ttl_seconds: float, **kwargs) -> SQLiteStore:
        return cls(Path(data_dir) / FILE_NAME, max_sessions, ttl_seconds, **kwargs)

    # ---- connections --------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        return db if db is not None else self._connect()

    def _connect(self) -> sqlite3.Connection:
        with self._setup, _STORE_ERRORS:
            if self._closed:
                raise StoreUnavailable("the session store was closed")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.lock_wait, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT_BYTES}")
            if not self._schema_ready:
                db.execute(f"PRAGMA auto_vacuum = {room.INCREMENTAL}")  # takes effect on a new file only
                db.executescript(SCHEMA + room.SCHEMA)
                self._schema_ready = True
            self._connections.append(db)
            self._local.db = db
            return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        with self._write_lock, _STORE_ERRORS:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        with self._setup:
            self._closed = True
            for db in self._connections:
                db.close()
            self._connections.clear()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
            if self._versions is not None:
                self._versions.close()
                self._versions = None

    def ping(self) -> None:
        with _STORE_ERRORS:
            self._db().execute("SELECT COUNT(*) FROM sessions WHERE 0").fetchone()

    def __len__(self) -> int:
        with _STORE_ERRORS:
            (n,) = self._db().execute("SELECT COUNT(*) FROM sessions WHERE last_used >= ?",
                                      (self._clock() - self.ttl,)).fetchone()
        return n

    # ---- the lock across processes -------------------------------------------------------------
    def _lock_file(self) -> int:
        fd = self._lock_fd
        if fd is not None:
            return fd
        with self._setup:
            if self._lock_fd is None:
                self.lock_path.parent.mkdir(parents=True, exist_ok=True)
                self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            return self._lock_fd

    def _version_table(self) -> VersionTable:
        table = self._versions
        if table is not None:
            return table
        with self._setup, _STORE_ERRORS:
            if self._closed:
                raise StoreUnavailable("the session store was closed")
            if self._versions is None:
                self.versions_path.parent.mkdir(parents=True, exist_ok=True)
                self._versions = VersionTable(self.versions_path)
            return self._versions

    def _unlock(self, session_id: str, handle: tuple[int, float]) -> None:
        if self._lock_fd is not None:
            set_lock(self._lock_fd, handle[0], fcntl.F_UNLCK)

    # ---- the backend ------------------------------------------------------------------------------
    def _insert(self, session_id: str, base: bytes, state: bytes) -> None:
        now = self._clock()
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE last_used < ?", (now - self.ttl,))
            (n,) = db.execute("SELECT COUNT(*) FROM sessions").fetchone()
            if n >= self.max_sessions:  # evict the least recently used
                db.execute("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY last_used LIMIT ?)",
                           (n - self.max_sessions + 1,))
            if self.max_bytes is not None:  # room first, so that the new one reuses the pages let go of
                room.forget_removed(db, now)
                room.make_room(db, len(base) + len(state), self.max_bytes, self.ttl)
            db.execute("INSERT INTO sessions (id, version, last_used, state) VALUES (?, 0, ?, ?)",
                       (session_id, now, state))
            db.execute("INSERT INTO bases (id, base) VALUES (?, ?)", (session_id, base))
            if self.max_bytes is not None:  # (its pages may take more than its bytes)
                room.make_room(db, 0, self.max_bytes, self.ttl, keep=session_id)
        self._compact_if_outgrown()

    def _compact_if_outgrown(self) -> None:
        db = self._db()
        with _STORE_ERRORS:
            if not room.outgrown(db):  # (a read of the file's header: no lock needed)
                return
        more = True
        while more:  # in slices, so that other writers wait for one slice at most
            with self._write_lock, _STORE_ERRORS:
                more = room.compact_slice(db)

    def _read(self, session_id: str, version: int, need_base: bool) -> Fetched:
        fetched, last_used = self._read_row(session_id, version, need_base)
        now = self._clock()
        if now - last_used > self._touch_every:
            with self._write_lock, _STORE_ERRORS:
                self._db().execute("UPDATE sessions SET last_used = ? WHERE id = ?", (now, session_id))
        return fetched

    def _read_row(self, session_id: str, version: int, need_base: bool) -> tuple[Fetched, float]:
        db = self._db()
        with _STORE_ERRORS:
            row = db.execute("SELECT version, last_used, CASE WHEN version = ? THEN NULL ELSE state END "
                             "FROM sessions WHERE id = ?", (version, session_id)).fetchone()
            if row is None:
                raise SessionNotFound(session_id, room.was_removed(db, session_id))
            stored, last_used, state = row
            if self._clock() - last_used > self.ttl:
                with self._write_lock:
                    db.execute("DELETE FROM sessions WHERE id = ? AND last_used = ?", (session_id, last_used))
                raise SessionNotFound(session_id)
            base = None
            if need_base:
                (base,) = db.execute("SELECT base FROM bases WHERE id = ?", (session_id,)).fetchone()
        return Fetched(stored, state, base), last_used

    def _try_lock_and_read(self, session_id: str, version: int, need_base: bool
                           ) -> tuple[tuple[int, float], Fetched] | None:
        offset = lock_offset(session_id)
        if not set_lock(self._lock_file(), offset, fcntl.F_WRLCK):
            return None
        try:
            if version != NOT_CACHED and not need_base:  # the table may spare the database a read
                last_used = self._version_table().current(offset, version)
                if last_used is not None and self._clock() - last_used <= self.ttl:
                    return (offset, last_used), Fetched(version, None)
            fetched, last_used = self._read_row(session_id, version, need_base)
        except BaseException:
            self._unlock(session_id, (offset, 0.0))
            raise
        return (offset, last_used), fetched

    def _save_and_unlock(self, session_id: str, handle: tuple[int, float], version: int, state: bytes,
                         kept: KeptChanges) -> int:
        now = self._clock()
        touch = now - handle[1] > self._touch_every
        try:
            new = new_version()
            self._version_table().saving(handle[0], new, now if touch else handle[1])
            with self._write_lock, _STORE_ERRORS:
                db = self._db()
                db.execute("BEGIN")
                try:
                    # Compare and set: only over the version this copy was loaded from (one statement).
                    if touch:
                        saved = db.execute("UPDATE sessions SET version = ?, last_used = ?, state = ? "
                                           "WHERE id = ? AND version = ?",
                                           (new, now, state, session_id, version)).rowcount
                    else:  # used moments ago: leave last_used (and its index) alone, a smaller commit
                        saved = db.execute("UPDATE sessions SET version = ?, state = ? WHERE id = ? AND version = ?",
                                           (new, state, session_id, version)).rowcount
                    if saved and kept.cleared:
                        db.execute("DELETE FROM kept_steps WHERE id = ?", (session_id,))
                    for slot, step, record in kept.records if saved else ():
                        # In place when the ring's place is taken (a third of the cost of INSERT OR REPLACE).
                        if not db.execute("UPDATE kept_steps SET step = ?, record = ? WHERE id = ? AND slot = ?",
                                          (step, record, session_id, slot)).rowcount:
                            db.execute("INSERT INTO kept_steps (id, slot, step, record) VALUES (?, ?, ?, ?)",
                                       (session_id, slot, step, record))
                    if saved and touch and self.max_bytes is not None:  # at most once a second a network
                        room.make_room(db, 0, self.max_bytes, self.ttl, keep=session_id)
                    there = saved or db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            if not there:  # deleted or evicted while it was open
                with _STORE_ERRORS:
                    raise SessionNotFound(session_id, room.was_removed(db, session_id))
            if not saved:  # another version than this copy's: the store lost data and was saved since
                raise SessionConflict(f"{session_id}: the network changed in the store since it was loaded")
            return new
        finally:
            self._unlock(session_id, handle)

    def _read_kept(self, session_id: str, slot: int, step: int) -> bytes | None:
        with _STORE_ERRORS:
            row = self._db().execute("SELECT record FROM kept_steps WHERE id = ? AND slot = ? AND step = ?",
                                     (session_id, slot, step)).fetchone()
        return None if row is None else row[0]

    def _remove(self, session_id: str) -> bool:
        with self._transaction() as db:
            row = db.execute("SELECT last_used FROM sessions WHERE id = ?", (session_id,)).fetchone()
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._compact_if_outgrown()
        return row is not None and self._clock() - row[0] <= self.ttl  # an expired one was already gone


# Class-based context managers: the hot path enters each of these twice per step, and a
# @contextmanager generator costs several times as much.
class _StoreErrors:
    """Turns the database's and the file system's errors into StoreUnavailable."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> None:
        if isinstance(error, sqlite3.Error):
            raise StoreUnavailable(f"the session database failed: {error}") from error
        if isinstance(error, OSError):
            raise StoreUnavailable(f"the session database's folder failed: {error}") from error


_STORE_ERRORS = _StoreErrors()
