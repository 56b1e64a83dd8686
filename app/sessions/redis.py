"""Sessions in Redis: several server replicas, on different hosts behind a load balancer, share them.

Keys, under a prefix (default "backprop:"):

    {prefix}s:{id}     hash of base, state, version and the kept steps (kept:0 … kept:19, a ring by
                       step); expires after the idle time (renewed on use). The version is random and
                       new at each save (base.new_version), which succeeds only over the version the
                       copy was loaded from: after Redis comes back from an older snapshot, a stale
                       copy is refused (SessionConflict, a 409) and reloaded, never written over
                       newer work. Keys of the previous version (counted versions) are read as they
                       are and get a random version at their first save.
    {prefix}lock:{id}  the session's lock: a random token, SET NX PX with a lease
    {prefix}lru        sorted set of ids by last use (µs, Redis's clock): evicts the least recently used
    {prefix}sizes, {prefix}bytes, {prefix}gone:{id}
                       the bytes of stored networks, bounded (redis_scripts.py)

Each operation is one Lua script (redis_scripts.py), so a step costs two round trips (lock and read; save and unlock),
each with a deadline of about a second, made from a thread when a request is served on the event loop.
A lock outlives a crashed holder by at most its lease; a holder that outlives its lease is told its
work was not saved (SessionBusy) instead of overwriting a newer state. A lock a call may have taken
without an answer (Redis stalled, and runs the call when it wakes) is let go of at the first call
that gets through afterwards. When Redis cannot be reached,
every operation raises StoreUnavailable (a 503) and the next request after it returns reconnects.
Run Redis with `appendonly yes` for sessions to survive a restart of Redis itself.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from .base import SessionBusy, SessionConflict, SessionNotFound, StoreUnavailable, new_version
from .cached import CachedStore, Fetched, KeptChanges
from .redis_scripts import KEPT_FIELDS, SCRIPTS

UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
SLOW_FAILURE_SECONDS = 0.25
FAIL_FAST_SECONDS = 1.0
DEADLINE_SECONDS = 1.0  # for connecting, and for each reply
MAX_UNANSWERED = 10_000  # locks to let go of once Redis answers again (see RedisStore._release)


def connect(url: str, deadline_seconds: float = DEADLINE_SECONDS) -> redis.Redis:
    """A client whose every call has a deadline: a Redis that is down or stalled (alive but not
    answering: stopped, swapping, cut off) is a quick 503, never a hang. A refused or dropped
    connection is retried (so the client reconnects when Redis is back); a call that ran out of time
    is not, so a stall costs one deadline, not one per retry."""
    return redis.Redis.from_url(url, socket_connect_timeout=deadline_seconds, socket_timeout=deadline_seconds,
                                retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), 2,
                                            supported_errors=(redis.ConnectionError,)))


@contextmanager
def unreachable_is_unavailable() -> Iterator[None]:
    try:
        yield
    except UNREACHABLE as e:
        raise StoreUnavailable(f"Redis cannot be reached: {e}") from e


class RedisStore(CachedStore):
    kind = "redis"
    max_pause = 0.01  # each try at a busy lock is a round trip
    blocking = True  # every call waits on the network (up to its deadline): off the event loop

    def __init__(self, client: redis.Redis, max_sessions: int, ttl_seconds: float, *, prefix: str = "backprop:",
                 cache_size: int = 1000, lock_wait_seconds: float = 10.0, lock_lease_seconds: float = 30.0,
                 max_bytes: int | None = None):
        super().__init__(max_sessions, ttl_seconds, cache_size=cache_size, lock_wait_seconds=lock_wait_seconds)
        self.client = client
        self.prefix = prefix
        self.max_bytes = -1 if max_bytes is None else max_bytes  # of the networks' values; -1: no bound
        self._sizes, self._total = prefix + "sizes", prefix + "bytes"  # (redis_scripts.py)
        self._ttl_ms = max(1, int(ttl_seconds * 1000))
        self._lease_ms = max(1, int(lock_lease_seconds * 1000))
        self._lru = prefix + "lru"
        self._failing_until = 0.0  # monotonic time until which Redis is taken to be down
        # Locks a call that got no answer may yet take (a stalled Redis runs it when it wakes up), as
        # (lock key, token): let go of at the first call that gets through, not left to their lease.
        self._unanswered: list[tuple[str, str]] = []
        self._unanswered_guard = threading.Lock()
        self._scripts = {name: client.register_script(lua) for name, lua in SCRIPTS.items()}

    @classmethod
    def from_url(cls, url: str, max_sessions: int, ttl_seconds: float, *,
                 deadline_seconds: float = DEADLINE_SECONDS, **kwargs) -> RedisStore:
        return cls(connect(url, deadline_seconds), max_sessions, ttl_seconds, **kwargs)

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}s:{session_id}"

    def _run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        # After a slow failure (a timeout, not a refusal) answer 503 at once for a moment instead of
        # letting every request wait for its own deadline.
        started = time.monotonic()
        if started < self._failing_until:
            raise StoreUnavailable("Redis did not answer moments ago")
        try:
            with unreachable_is_unavailable():
                reply = self._scripts[name](keys=keys, args=args)
        except StoreUnavailable:
            now = time.monotonic()
            if now - started > SLOW_FAILURE_SECONDS:
                self._failing_until = now + FAIL_FAST_SECONDS
            raise
        if self._unanswered:
            self._let_go_of_unanswered()
        return reply

    def _release(self, session_id: str, handle: str) -> None:
        try:
            self._unlock(session_id, handle)
        except StoreUnavailable:
            with self._unanswered_guard:
                self._unanswered.append((self._lock_key(session_id), handle))
                del self._unanswered[:-MAX_UNANSWERED]  # the oldest lapse with their lease anyway

    def _let_go_of_unanswered(self) -> None:
        with self._unanswered_guard:
            locks, self._unanswered = self._unanswered, []
        for i, (key, token) in enumerate(locks):
            try:
                with unreachable_is_unavailable():
                    self._scripts["unlock"](keys=[key], args=[token])
            except StoreUnavailable:
                with self._unanswered_guard:
                    self._unanswered.extend(locks[i:])
                return

    def close(self) -> None:
        self.client.close()

    def ping(self) -> None:
        with unreachable_is_unavailable():
            self.client.ping()

    def __len__(self) -> int:
        return int(self._run("count", [self._lru], [self._ttl_ms]))

    @staticmethod
    def _fetched(reply: list) -> Fetched:
        version, state, base = reply
        return Fetched(int(version), state, base)

    # ---- the backend ----------------------------------------------------------------------------
    def _insert(self, session_id: str, base: bytes, state: bytes) -> None:
        self._run("insert", [self._key(session_id), self._lru, self._sizes, self._total],
                  [session_id, self._ttl_ms, self.max_sessions, base, state, self.prefix, self.max_bytes])

    def _read(self, session_id: str, version: int, need_base: bool) -> Fetched:
        reply = self._run("read", [self._key(session_id), self._lru],
                          [session_id, self._ttl_ms, version, int(need_base)])
        if reply is None:
            raise self._not_found(session_id)
        return self._fetched(reply)

    def _try_lock_and_read(self, session_id: str, version: int, need_base: bool) -> tuple[str, Fetched] | None:
        token = secrets.token_hex(16)
        keys = [self._key(session_id), self._lru, self._lock_key(session_id)]
        args = [session_id, self._ttl_ms, version, int(need_base), token, self._lease_ms]
        try:
            reply = self._run("lock", keys, args)
        except StoreUnavailable:  # the script may have run and its reply been lost: let go
            self._release(session_id, token)
            raise
        if reply is None:
            raise self._not_found(session_id)
        return None if reply == 0 else (token, self._fetched(reply))

    def _lock_key(self, session_id: str) -> str:
        return f"{self.prefix}lock:{session_id}"

    def _save_and_unlock(self, session_id: str, handle: str, version: int, state: bytes, kept: KeptChanges) -> int:
        fields = [item for slot, _, record in kept.records for item in (KEPT_FIELDS[slot], record)]
        new = new_version()
        try:
            reply = self._run("save", [self._key(session_id), self._lru, self._lock_key(session_id), self._sizes,
                                       self._total], [session_id, self._ttl_ms, handle, state, int(kept.cleared),
                                                      version, new, self.max_bytes, self.prefix, *fields])
        except BaseException:
            self._release(session_id, handle)
            raise
        if reply == -1:
            raise SessionBusy(f"{session_id}: the lock's lease ran out before the work was saved")
        if reply == -2:
            raise self._not_found(session_id)
        if reply == -3:
            raise SessionConflict(f"{session_id}: the network changed in the store since it was loaded")
        return new

    def _read_kept(self, session_id: str, slot: int, step: int) -> bytes | None:
        blob: bytes | None = self._run("kept", [self._key(session_id)], [KEPT_FIELDS[slot]])
        return blob

    def _unlock(self, session_id: str, handle: str) -> None:
        self._run("unlock", [self._lock_key(session_id)], [handle])

    def _remove(self, session_id: str) -> bool:
        return bool(self._run("remove", [self._key(session_id), self._lru, self._sizes, self._total],
                              [session_id, self.prefix]))

    def _not_found(self, session_id: str) -> SessionNotFound:
        """Why it is gone: removed to make room (noted until it would have expired), or not said."""
        with unreachable_is_unavailable():
            removed = bool(self.client.exists(f"{self.prefix}gone:{session_id}"))
        return SessionNotFound(session_id, removed)
