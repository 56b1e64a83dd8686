"""A table in shared memory, beside the SQLite file, that says which version of each session was
saved last: a worker whose cached network is that version steps it without asking the database.

Each session maps to one 32-byte slot of a memory-mapped file: its id's 62-bit hash, the version,
its last use as the database holds it (or earlier) and a check word over the three. A slot is only
written by a worker that holds its session's lock, and only read by one that holds it too; it is
written *before* the save commits, so a committed version is in the table by the time anyone can
read it. A save that fails after writing the slot (or is refused: compare-and-set, sqlite.py) leaves
the table vouching for a random version (base.new_version) that no copy holds, as the failing worker
has just forgotten its copy. Versions never repeat, so the table cannot vouch for a stale copy either:
a database file copied back from an older backup holds versions the table no longer names, or the
one it names, which the save's compare-and-set then checks.

Two sessions can share a slot, and their writers hold different locks: one overwrites the other, or
they tear each other's words, and the check word catches the mix. Either way the table stops
vouching and the worker reads the database as it would without the table. The table only ever
saves work; it never decides anything the database would decide differently.
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path

_SLOT = struct.Struct("<QqdQ")  # hash, version, last_used, check
_SLOTS = 1 << 17  # 4 MiB of file, mapped lazily by the kernel: only used slots take memory
_MIX = 0x9E3779B97F4A7C15  # the golden-ratio multiplier spreads the fields over all 64 bits
_MASK = (1 << 64) - 1
_DOUBLE = struct.Struct("<d")
_BITS = struct.Struct("<Q")


def _check(key: int, version: int, last_used: float) -> int:
    last_used_bits = _BITS.unpack(_DOUBLE.pack(last_used))[0]
    return (key ^ ((version * _MIX) & _MASK) ^ ((last_used_bits * _MIX * _MIX) & _MASK) ^ _MIX) & _MASK


class VersionTable:
    def __init__(self, path: Path):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            size = _SLOTS * _SLOT.size
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)  # zero slots: a zero check word never matches
            self._map = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)  # the mapping keeps the file

    def current(self, key: int, version: int) -> float | None:
        """The session's last use if the table vouches that `version` is the one saved last, else None."""
        stored_key, stored_version, last_used, check = _SLOT.unpack_from(self._map, (key % _SLOTS) * _SLOT.size)
        if stored_key != key or stored_version != version or check != _check(key, version, last_used):
            return None
        return last_used

    def saving(self, key: int, version: int, last_used: float) -> None:
        """Note the version about to be committed (call it before the commit, holding the lock)."""
        _SLOT.pack_into(self._map, (key % _SLOTS) * _SLOT.size, key, version, last_used,
                        _check(key, version, last_used))

    def close(self) -> None:
        self._map.close()
