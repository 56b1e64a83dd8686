"""An in-process store bounded in size (networks and their footprints' bytes: the least recently used
evicted) and in idle age."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from ..nn import Trainer
from ..nn.sizing import footprint
from .base import SessionBusy, SessionNotFound, SessionStore, Waiting, new_session_id


@dataclass
class _Entry:
    trainer: Trainer
    last_used: float
    nbytes: int = 0  # its footprint when created (app.nn.sizing)
    lock: threading.Lock = field(default_factory=threading.Lock)


class MemoryStore(SessionStore):
    def __init__(self, max_sessions: int, ttl_seconds: float, clock=time.monotonic, *, lock_wait_seconds: float = 10.0,
                 max_bytes: int | None = None):
        self.max_sessions = max_sessions
        self.max_bytes = max_bytes  # the footprints of all its networks at most (None: no bound)
        self._bytes = 0
        self.ttl = ttl_seconds
        self.lock_wait = lock_wait_seconds  # then SessionBusy
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # oldest use first
        self._guard = threading.Lock()  # protects the dict; each entry has its own lock

    def __len__(self) -> int:
        return len(self._entries)

    def _expire(self, now: float) -> None:
        while self._entries:
            sid, entry = next(iter(self._entries.items()))
            if now - entry.last_used <= self.ttl:
                break
            self._bytes -= self._entries.pop(sid).nbytes

    def create(self, trainer: Trainer) -> str:
        sid = new_session_id()
        now = self._clock()
        nbytes = footprint(trainer).total
        with self._guard:
            self._expire(now)
            while self._entries and (len(self._entries) >= self.max_sessions or (
                    self.max_bytes is not None and self._bytes + nbytes > self.max_bytes)):
                self._bytes -= self._entries.popitem(last=False)[1].nbytes  # least recently used
            self._entries[sid] = _Entry(trainer, now, nbytes=nbytes)
            self._bytes += nbytes
        return sid

    def _use(self, session_id: str) -> _Entry:
        now = self._clock()
        with self._guard:
            self._expire(now)
            entry = self._entries.get(session_id)
            if entry is None:
                raise SessionNotFound(session_id)
            entry.last_used = now
            self._entries.move_to_end(session_id)
        return entry

    @contextmanager
    def open(self, session_id: str, *, write: bool = True) -> Iterator[Trainer]:
        entry = self._use(session_id)
        if not entry.lock.acquire(timeout=self.lock_wait):
            raise SessionBusy(session_id)
        try:
            yield entry.trainer
        finally:
            entry.lock.release()

    @asynccontextmanager
    async def opened(self, session_id: str, *, write: bool = True) -> AsyncIterator[Trainer]:
        entry = self._use(session_id)
        waiting = None  # made at the first wait only
        while not entry.lock.acquire(blocking=False):
            waiting = waiting or Waiting(session_id, self.lock_wait)
            await asyncio.sleep(waiting.pause())
        try:
            yield entry.trainer
        finally:
            entry.lock.release()

    def delete(self, session_id: str) -> bool:
        with self._guard:
            entry = self._entries.pop(session_id, None)
            if entry is not None:
                self._bytes -= entry.nbytes
            return entry is not None
