"""What compacting the SQLite store costs, to choose between VACUUM and incremental_vacuum (sqlite_room.py).

    python -m bench.compaction [--mib 256]

A store file of about `--mib` MiB of networks (the session tables, blobs of a large network's size),
of which the least recently used 60 % are then removed, is compacted both ways (each on its own copy):
the time taken, the file's size after, the extra disk the compaction needed at its peak (VACUUM writes
a whole new copy first; both go through the write-ahead log) and the longest time writers wait (the
whole VACUUM; one slice of incremental_vacuum, between which the store lets go of its write lock).
Also the median cost of a save (UPDATE of a 4 KiB state) on a file made with auto_vacuum=INCREMENTAL
and on one without, as its pointer-map pages cost each write a little.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from app.sessions.sqlite import SCHEMA
from app.sessions.sqlite_room import SCHEMA as ROOM_SCHEMA
from app.sessions.sqlite_room import compact_slice
from bench.engine import median_us

NETWORK_BYTES = 1 << 20  # base + state of a large network


def build(path: Path, mib: int, auto_vacuum: int) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA auto_vacuum = {auto_vacuum}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")  # removing a session removes its base, as the store does
    db.executescript(SCHEMA + ROOM_SCHEMA)
    blob = os.urandom(NETWORK_BYTES)
    n = mib * (1 << 20) // NETWORK_BYTES
    db.execute("BEGIN")
    for i in range(n):
        db.execute("INSERT INTO sessions VALUES (?, 0, ?, ?)", (f"s{i}", float(i), blob[:4096]))
        db.execute("INSERT INTO bases VALUES (?, ?)", (f"s{i}", blob))
    db.execute("COMMIT")
    db.execute("DELETE FROM sessions WHERE last_used < ?", (n * 0.6,))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def disk(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir())


longest = [0.0]  # the longest slice of the last sliced compaction


def timed_compaction(folder: Path, source: Path, mode: str) -> tuple[float, int, int]:
    path = folder / f"{mode}.sqlite3"
    shutil.copyfile(source, path)
    start_disk, peak, done = disk(folder), [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], disk(folder) - start_disk)
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    db = sqlite3.connect(path, isolation_level=None)
    t0 = time.perf_counter()
    if mode == "VACUUM":
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        slices = [time.perf_counter()]
        while compact_slice(db):
            slices.append(time.perf_counter())
        slices.append(time.perf_counter())
        longest[0] = max(b - a for a, b in zip(slices, slices[1:]))
    seconds = time.perf_counter() - t0
    done.set()
    watcher.join()
    db.close()
    size = path.stat().st_size
    path.unlink()
    for extra in folder.glob(f"{mode}.sqlite3-*"):
        extra.unlink()
    return seconds, size, peak[0]


def save_cost(folder: Path, auto_vacuum: int, n: int) -> float:
    path = folder / f"saves-{auto_vacuum}.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA auto_vacuum = {auto_vacuum}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    for i in range(1000):
        db.execute("INSERT INTO sessions VALUES (?, 0, 0, ?)", (f"s{i}", os.urandom(4096)))
    state, version = os.urandom(4096), [0]

    def save() -> None:
        db.execute("BEGIN")
        db.execute("UPDATE sessions SET version = ?, state = ? WHERE id = 's500' AND version = ?",
                   (version[0] + 1, state, version[0]))
        db.execute("COMMIT")
        version[0] += 1

    cost = median_us(save, n)
    db.close()
    return cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=256, help="networks written before 60 % are removed")
    parser.add_argument("--n", type=int, default=3000, help="timed saves per mode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"Compacting a {args.mib} MiB store after its least recently used 60 % were removed")
        for mode, auto_vacuum in (("VACUUM", 0), ("incremental_vacuum", 2)):
            source = folder / f"source-{auto_vacuum}.sqlite3"
            build(source, args.mib, auto_vacuum)
            before = source.stat().st_size
            seconds, after, peak = timed_compaction(folder, source, mode)
            source.unlink()
            writers_wait = seconds if mode == "VACUUM" else longest[0]
            print(f"{mode:<20}{seconds:>8.2f} s   {before >> 20:>5} MiB -> {after >> 20:>5} MiB   "
                  f"extra disk at peak {peak >> 20:>5} MiB   writers wait up to {writers_wait:.2f} s")
        print(f"\nA save (UPDATE of a 4 KiB state, own transaction), median µs over {args.n}")
        for auto_vacuum, name in ((0, "auto_vacuum NONE"), (2, "auto_vacuum INCREMENTAL")):
            print(f"{name:<26}{save_cost(folder, auto_vacuum, args.n):>8.1f}")


if __name__ == "__main__":
    main()
