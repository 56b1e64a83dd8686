"""Keeps the SQLite store within its bound in bytes (settings.store_max_bytes): the pages its networks
fill, least recently used removed first, and the file compacted when it has outgrown its contents.

What is counted is what the database file holds: its pages in use (page_count - freelist_count, read
from the file's header: a few microseconds). It is brought within the bound at every creation and at
a network's save at most once a second (when its last use is noted), so a network's kept
steps can take it past the bound between two such saves only. A removed network's pages go to the
free list and the next networks reuse them: the file grows beyond the bound by little more than one
network. It shrinks only by compaction, run after a creation or a deletion when it is more than
COMPACT_RATIO times its contents. New databases are made with auto_vacuum=INCREMENTAL, so that
compaction is `PRAGMA incremental_vacuum` in slices, letting go of the write lock between them;
measured against VACUUM for a 256 MiB file, 60 % of it removed (bench/compaction.py): 2.1-2.7 s in
all against 0.8-1.4 s, but writers wait 0.14 s at most against the whole VACUUM, and it needs 2 MiB
of extra disk against 103 MiB (a VACUUM writes a new copy first), which matters most on a disk that
is full. A database of an older version (auto_vacuum off) is switched over by one VACUUM at its first
compaction.

A network removed to make room leaves its id in `removed` until it would have expired anyway, so that
a request for it is told why it is gone (SessionNotFound.removed_for_room).
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS removed (  -- networks removed to make room, until they would have expired
    id TEXT PRIMARY KEY,
    until REAL NOT NULL
);
"""

COMPACT_RATIO = 2  # compact a file more than this many times the size of its contents
COMPACT_MIN_BYTES = 8 << 20  # … and larger than this (a small file is not worth it)
SLICE_PAGES = 512  # freed per slice of compaction (2 MiB of 4 KiB pages): writers wait for one slice at most
INCREMENTAL = 2  # PRAGMA auto_vacuum's value for INCREMENTAL

_PAGES = "SELECT * FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()"


def file_and_content_bytes(db: sqlite3.Connection) -> tuple[int, int]:
    """The database's size and the bytes of its pages in use (as the open transaction sees them)."""
    pages, free, size = db.execute(_PAGES).fetchone()
    return pages * size, (pages - free) * size


def make_room(db: sqlite3.Connection, needed: int, max_bytes: int, ttl: float, keep: str | None = None) -> int:
    """Within a write transaction: remove the least recently used networks (never `keep`) until the
    contents and `needed` more bytes fit in max_bytes. Returns how many were removed."""
    removed = 0
    while file_and_content_bytes(db)[1] + needed > max_bytes:
        row = db.execute("SELECT id, last_used FROM sessions WHERE id IS NOT ? ORDER BY last_used LIMIT 1",
                         (keep,)).fetchone()
        if row is None:
            break
        session_id, last_used = row
        db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        db.execute("INSERT OR REPLACE INTO removed (id, until) VALUES (?, ?)", (session_id, last_used + ttl))
        removed += 1
    return removed


def forget_removed(db: sqlite3.Connection, now: float) -> None:
    """Drop the notes of removed networks that would have expired by now (within a write transaction)."""
    db.execute("DELETE FROM removed WHERE until < ?", (now,))


def was_removed(db: sqlite3.Connection, session_id: str) -> bool:
    return db.execute("SELECT 1 FROM removed WHERE id = ?", (session_id,)).fetchone() is not None


def outgrown(db: sqlite3.Connection) -> bool:
    file_bytes, content = file_and_content_bytes(db)
    return file_bytes > max(COMPACT_MIN_BYTES, COMPACT_RATIO * content)


def compact_slice(db: sqlite3.Connection) -> bool:
    """Give up to SLICE_PAGES free pages back to the file system (outside a transaction, holding the
    write lock, which the caller lets go of between slices: a worker waits for one slice at most).
    Returns whether free pages are left."""
    (mode,) = db.execute("PRAGMA auto_vacuum").fetchone()
    if mode == INCREMENTAL:  # (executescript steps it to the end: each step frees one page)
        db.executescript(f"PRAGMA incremental_vacuum({SLICE_PAGES})")
    else:  # an older version's file: switch it over (a VACUUM rewrites the file once)
        db.execute(f"PRAGMA auto_vacuum = {INCREMENTAL}")
        db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # the file shrinks once its log is written back
    (free,) = db.execute("PRAGMA freelist_count").fetchone()
    return bool(free)
