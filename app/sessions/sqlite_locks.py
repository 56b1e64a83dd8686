"""The SQLite store's locks across processes: an advisory lock on one byte of a lock file beside the
database per session (the byte's offset a hash of its id), and one byte for writing the database.
Open-file-description locks on Linux: released when the holder's process dies."""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import os
import struct
from typing import Protocol

from .base import StoreUnavailable

# struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid (padded to 8 bytes)
_FLOCK = struct.Struct("hhqqi0q")
_OFD = hasattr(fcntl, "F_OFD_SETLK")


@functools.lru_cache(maxsize=4096)  # computed for every request on a session
def lock_offset(session_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(session_id.encode(), digest_size=8).digest(), "little") >> 2


# One byte past every session's byte: the lock on writing the database. SQLite lets one writer in at
# a time and makes the others poll with sleeps of a millisecond or more; workers queue on this kernel
# lock instead, which wakes the next writer the moment the last one commits.
WRITE_OFFSET = 1 << 62


def set_lock(fd: int, offset: int, kind: int) -> bool:
    """Take (F_WRLCK, not waiting: False when someone holds it) or release (F_UNLCK) a byte's lock."""
    try:
        if _OFD:  # per open file: excludes other stores in this process too
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _FLOCK.pack(kind, os.SEEK_SET, offset, 1, 0))
        else:
            fcntl.lockf(fd, (fcntl.LOCK_UN if kind == fcntl.F_UNLCK else fcntl.LOCK_EX | fcntl.LOCK_NB),
                        1, offset)
        return True
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise StoreUnavailable(f"the session lock file failed: {e}") from e


class _LockFile(Protocol):
    _lock_fd: int | None

    def _lock_file(self) -> int: ...


class WriteLock:
    """The lock on writing the database, across processes (see WRITE_OFFSET)."""

    def __init__(self, store: _LockFile):
        self.store = store

    def __enter__(self) -> None:
        fd = self.store._lock_file()
        try:
            if _OFD:
                fcntl.fcntl(fd, fcntl.F_OFD_SETLKW, _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, WRITE_OFFSET, 1, 0))
            else:
                fcntl.lockf(fd, fcntl.LOCK_EX, 1, WRITE_OFFSET)
        except OSError as e:
            raise StoreUnavailable(f"the session lock file failed: {e}") from e

    def __exit__(self, kind, error, traceback) -> None:
        fd = self.store._lock_fd
        if fd is not None:  # (closing the store's lock file released its locks)
            set_lock(fd, WRITE_OFFSET, fcntl.F_UNLCK)
