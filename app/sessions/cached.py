"""What the SQLite and Redis stores share: live networks cached in each process, in front of a
backend that every worker process (or replica) sees.

The backend keeps each session as its base (the export at creation, written once), its state (the
part requests change, see codec.py) and a version that every save replaces (base.new_version). `open()` compares
the backend's version with the cached trainer's: equal, and nothing is decoded; different, and only
the state is loaded into the cached trainer; not cached at all, and the trainer is built from the
base first. Each process keeps the networks it decoded up to `cache_bytes` of their footprints
(app.nn.sizing: the most each holds) and `cache_size` of them, the least recently used let go first.
A writer holds the session's lock (across processes) for its whole block and saves the
state after it, so concurrent steps on one network are serialized and none is lost. The lock is
released on every way out of the block, failures included (loading, the block itself, encoding the
state, saving it). A reader needs no cross-process lock: it sees the last saved state.

A network someone else holds (a request of this process, e.g. a /train in a thread, or another
worker) is waited for in one place, opening.py.

Each save also writes the steps the trainer kept since the last one (history.py) and, after a
reset, deletes the stored ones, in the same transaction: any worker can explain any kept step. A
trainer loaded from a state saved elsewhere forgets its own records; those it holds are therefore
always the newest, and the others are read from the backend.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ..nn import Trainer
from ..nn.history import KEEP, StepNotKept, StepRecord
from ..nn.sizing import footprint
from .base import SessionNotFound, SessionStore, StoreUnavailable, new_session_id
from .codec import dump_base, dump_record, dump_state, load_base, load_record, load_state
from .opening import Opening, opened_many

NOT_CACHED = -1  # a version no stored session has: the backend sends the state (and the base if asked)
_STRIPES = 1024  # in-process locks; a session always maps to the same one
DEFAULT_CACHE_BYTES = 128 << 20  # as AppSettings.session_cache_bytes (the factory passes the setting)


@dataclass
class Fetched:
    version: int
    state: bytes | None  # None when the version asked about is current
    base: bytes | None = None  # only when asked for


@dataclass
class KeptChanges:
    """What a save writes of the kept steps: delete the old ones first (after a reset), then these
    (blobs of codec.dump_record, each with its step and its place in the ring of history.KEEP)."""

    cleared: bool
    records: list[tuple[int, int, bytes]]  # (slot, step, record)


def kept_changes(trainer: Trainer) -> KeptChanges:
    cleared, records = trainer.kept.unsaved()
    return KeptChanges(cleared, [(r.slot, r.step, dump_record(r)) for r in records])


@dataclass
class _Live:
    trainer: Trainer
    version: int
    nbytes: int = 0  # its footprint when last remembered (app.nn.sizing): what it costs the cache
    weighed: tuple[object, ...] = ()  # what that footprint was measured from (see _shape)


def _shape(trainer: Trainer) -> tuple[object, ...]:
    """What a footprint depends on, cheap to read: a step changes none of it (only a new optimizer, its
    first step's slots, a batch size or new data do), so a network re-remembered after a step keeps its
    footprint without measuring its arrays again (that measuring was a tenth of a /step's own time)."""
    return (trainer.data, trainer.network.params.nbytes, trainer.settings.batch_size,
            tuple((name, len(arrays)) for name, arrays in trainer.slots.items()))


class CachedStore(SessionStore):
    max_pause = 2e-3  # seconds between tries at a lock another process holds, at most
    blocking = False  # True: its calls may wait (on a network): opened() makes them from a thread

    def __init__(self, max_sessions: int, ttl_seconds: float, *, cache_size: int, lock_wait_seconds: float,
                 cache_bytes: int = DEFAULT_CACHE_BYTES):
        self.max_sessions = max_sessions
        self.ttl = ttl_seconds
        self.lock_wait = lock_wait_seconds
        self.cache_size = cache_size  # networks at most
        self.cache_bytes = cache_bytes  # and their footprints' bytes at most (the bound a teacher sets)
        self._cache: OrderedDict[str, _Live] = OrderedDict()  # least recently used first
        self._cached_bytes = 0  # the footprints of the networks in _cache
        self._guard = threading.Lock()  # protects the cache dict
        self._stripes = [threading.Lock() for _ in range(_STRIPES)]

    # ---- the backend ----------------------------------------------------------------------
    @abstractmethod
    def _insert(self, session_id: str, base: bytes, state: bytes) -> None:
        """Store a new session at version 0, expiring and evicting others to stay in bounds."""

    @abstractmethod
    def _read(self, session_id: str, version: int, need_base: bool) -> Fetched:
        """The stored version (and state unless `version` is current), marking the session used.
        Raises SessionNotFound."""

    @abstractmethod
    def _try_lock_and_read(self, session_id: str, version: int, need_base: bool) -> tuple[Any, Fetched] | None:
        """Take the session's lock across processes if it is free (None if not: the caller waits and
        tries again), then read as `_read` does. Returns a handle for `_save_and_unlock` / `_unlock`."""

    @abstractmethod
    def _save_and_unlock(self, session_id: str, handle: Any, version: int, state: bytes, kept: KeptChanges) -> int:
        """Store the state as version + 1 with the kept steps' changes (in one transaction) and
        release the lock, whether the save succeeds or fails; returns the new version."""

    @abstractmethod
    def _read_kept(self, session_id: str, slot: int, step: int) -> bytes | None:
        """The stored record at a kept step's slot (None if there is none; it may hold another step)."""

    @abstractmethod
    def _unlock(self, session_id: str, handle: Any) -> None:
        """Release the lock without saving."""

    @abstractmethod
    def _remove(self, session_id: str) -> bool:
        """Forget a stored session; False if there was none."""

    # ---- the per-process cache --------------------------------------------------------------
    def _cached(self, session_id: str) -> _Live | None:
        with self._guard:
            live = self._cache.get(session_id)
            if live is not None:
                self._cache.move_to_end(session_id)
            return live

    def _remember(self, session_id: str, live: _Live) -> None:
        """Keep (or re-weigh, after a change) a network, newest; then let go of the least recently used
        until the cache is within both bounds (a network larger than cache_bytes is not kept at all)."""
        shape = _shape(live.trainer)
        # The data by identity (new data is a new object; arrays have no plain ==), the rest by value.
        unchanged = bool(live.weighed) and live.weighed[0] is shape[0] and live.weighed[1:] == shape[1:]
        nbytes = live.nbytes if unchanged else footprint(live.trainer).total
        with self._guard:
            old = self._cache.pop(session_id, None)
            if old is not None:
                self._cached_bytes -= old.nbytes
            live.nbytes, live.weighed = nbytes, shape
            self._cache[session_id] = live
            self._cached_bytes += nbytes
            while self._cache and (len(self._cache) > self.cache_size or self._cached_bytes > self.cache_bytes):
                self._cached_bytes -= self._cache.popitem(last=False)[1].nbytes

    def _forget(self, session_id: str) -> None:
        with self._guard:
            live = self._cache.pop(session_id, None)
            if live is not None:
                self._cached_bytes -= live.nbytes

    @property
    def cached_bytes(self) -> int:
        """The footprints of the networks this process keeps decoded now (within cache_bytes)."""
        return self._cached_bytes

    def _current(self, session_id: str, cached: _Live | None, fetched: Fetched) -> _Live:
        if cached is None:
            assert fetched.base is not None and fetched.state is not None
            trainer = load_base(fetched.base)
            load_state(trainer, fetched.state)
            cached = _Live(trainer, fetched.version)
            self._remember(session_id, cached)
        elif fetched.state is not None:
            load_state(cached.trainer, fetched.state)
            cached.version = fetched.version
        return cached

    # ---- the interface -----------------------------------------------------------------------
    def create(self, trainer: Trainer) -> str:
        sid = new_session_id()
        self._insert(sid, dump_base(trainer), dump_state(trainer))
        self._remember(sid, _Live(trainer, 0))
        return sid

    def delete(self, session_id: str) -> bool:
        self._forget(session_id)
        return self._remove(session_id)

    def open(self, session_id: str, *, write: bool = True) -> AbstractContextManager[Trainer]:
        return Opening(self, session_id, write)

    def opened(self, session_id: str, *, write: bool = True) -> AbstractAsyncContextManager[Trainer]:
        return Opening(self, session_id, write)

    def opened_many(self, session_ids: Iterable[str], *, write: bool = True
                    ) -> AbstractAsyncContextManager[dict[str, Trainer]]:
        return opened_many(self, session_ids, write)

    def _stripe_of(self, session_id: str) -> int:
        return hash(session_id) % len(self._stripes)

    def _stripe(self, session_id: str) -> threading.Lock:
        return self._stripes[self._stripe_of(session_id)]

    def _begin(self, session_id: str, write: bool) -> Held | None:
        """The network, loaded (and locked across processes when writing); None when another process
        holds its lock just now. Called holding its stripe."""
        cached = self._cached(session_id)
        version = NOT_CACHED if cached is None else cached.version
        if not write:
            fetched = self._fetch(session_id, self._read, version, cached is None)
            return Held(self._current(session_id, cached, fetched), None, fetched.version)
        locked = self._fetch(session_id, self._try_lock_and_read, version, cached is None)
        if locked is None:
            return None
        handle, fetched = locked
        try:
            return Held(self._current(session_id, cached, fetched), handle, fetched.version)
        except BaseException:
            self._forget(session_id)
            self._release(session_id, handle)
            raise

    def _end(self, session_id: str, held: Held, failed: bool) -> None:
        """After the block: save and unlock, or (when the block failed) unlock only."""
        if held.handle is None:  # a reader
            return
        live = held.live
        if failed:  # the block may have changed the trainer part way: reload the saved state next time
            live.version = NOT_CACHED
            self._release(session_id, held.handle)
            return
        try:
            state, kept = dump_state(live.trainer), kept_changes(live.trainer)
        except BaseException:
            self._forget(session_id)
            self._release(session_id, held.handle)
            raise
        try:
            live.version = self._save_and_unlock(session_id, held.handle, held.version, state, kept)
        except BaseException:
            self._forget(session_id)
            raise
        if self._cached(session_id) is live:  # a change (a PATCH's batch size, optimizer) may change its weight
            self._remember(session_id, live)

    def _release(self, session_id: str, handle: Any) -> None:
        """Unlock on the way out of a failure: a store that cannot be reached just now must not hide
        the failure itself (its lock lapses with its lease, or with the process)."""
        try:
            self._unlock(session_id, handle)
        except StoreUnavailable:
            pass

    def kept_step(self, session_id: str, trainer: Trainer, step: int | None = None) -> StepRecord:
        """This worker's own record when it made the step since it last loaded the network (its
        records are then the newest), else the stored one, which any worker may have written."""
        step = trainer.step_count if step is None else step
        record = trainer.kept.find(step)
        if record is None and 0 < step <= trainer.step_count:
            blob = self._read_kept(session_id, step % KEEP, step)
            record = None if blob is None else load_record(trainer, blob)
        if record is None or record.step != step:
            raise StepNotKept(step, trainer.step_count)
        return record

    def _fetch(self, session_id: str, read, version: int, need_base: bool):
        try:
            return read(session_id, version, need_base)
        except SessionNotFound:
            self._forget(session_id)
            raise


@dataclass
class Held:
    live: _Live
    handle: Any  # the lock across processes; None for a reader, which takes none
    version: int  # the version loaded
