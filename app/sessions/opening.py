"""Waiting for a network someone else holds (a request of this process, e.g. a /train in a thread,
or another worker), in one place for the SQLite and Redis stores (cached.py): tried, then tried
again after pauses that double up to the store's `max_pause`, for its lock_wait in all. `open()`
sleeps the pauses (for threads and scripts); `opened()` awaits them, so a worker's event loop keeps
serving everything else meanwhile; it makes the calls of a store that waits on a network (Redis: up
to its deadline) from a thread, for the same reason.

In this process a network is locked on one of the store's stripes, which many sessions share; across
processes, on its own lock in the backend. `opened_many()` (a race's racers) takes each stripe once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from ..nn import Trainer
from .base import SessionBusy, Waiting, opened_each

if TYPE_CHECKING:
    from .cached import CachedStore, Held


async def _take_stripe(stripe: threading.Lock, waiting: Waiting | None, make: Callable[[], Waiting]
                      ) -> Waiting | None:
    """Take an in-process stripe on the event loop: tried, then awaited between tries (never slept on).
    Returns the Waiting begun, if any, so that the wait that follows counts against the same time."""
    while not stripe.acquire(blocking=False):
        waiting = waiting or make()
        await asyncio.sleep(waiting.pause())
    return waiting


class Opening:
    """One opening of a network: `with` waits for it in this thread (sleeping), `async with` on the
    event loop (awaiting). The wait is for its stripe (another request of this process holds the
    network, e.g. a /train running in a thread) and for its lock across processes. With
    `own_stripe=False` the caller holds the stripe already (opened_many) and keeps it."""

    __slots__ = ("store", "session_id", "write", "stripe", "held")

    def __init__(self, store: CachedStore, session_id: str, write: bool, own_stripe: bool = True):
        self.store, self.session_id, self.write = store, session_id, write
        self.stripe = store._stripe(session_id) if own_stripe else None
        self.held: Held | None = None

    def _waiting(self) -> Waiting:
        return Waiting(self.session_id, self.store.lock_wait, cap=self.store.max_pause)

    def __enter__(self) -> Trainer:
        if self.stripe is not None and not self.stripe.acquire(timeout=self.store.lock_wait):
            raise SessionBusy(self.session_id)
        try:
            waiting = None
            while (held := self._begin()) is None:
                waiting = waiting or self._waiting()
                time.sleep(waiting.pause())
        except BaseException:
            self._release_stripe()
            raise
        return held.live.trainer

    async def __aenter__(self) -> Trainer:
        waiting = None  # made at the first wait only: the usual opening waits for nothing
        if self.stripe is not None:
            waiting = await _take_stripe(self.stripe, waiting, self._waiting)
        try:
            while (held := await self._begin_off_loop()) is None:
                waiting = waiting or self._waiting()
                await asyncio.sleep(waiting.pause())
        except BaseException:
            if self.held is not None:  # cancelled while a thread took the lock: let go of it
                self.store._end(self.session_id, self.held, failed=True)
            self._release_stripe()
            raise
        return held.live.trainer

    def _release_stripe(self) -> None:
        if self.stripe is not None:
            self.stripe.release()

    async def _begin_off_loop(self) -> Held | None:
        if self.store.blocking:
            return await anyio.to_thread.run_sync(self._begin)
        return self._begin()

    def _begin(self) -> Held | None:
        """The store's _begin, noted here before it returns (so that a request cancelled while its
        thread took the lock still lets go of it)."""
        self.held = self.store._begin(self.session_id, self.write)
        return self.held

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> None:
        assert self.held is not None
        try:
            self.store._end(self.session_id, self.held, failed=kind is not None)
        finally:
            self._release_stripe()

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: Any) -> None:
        if self.store.blocking:
            await anyio.to_thread.run_sync(self.__exit__, kind, error, traceback)
        else:
            self.__exit__(kind, error, traceback)


@asynccontextmanager
async def opened_many(store: CachedStore, session_ids: Iterable[str], write: bool) -> AsyncIterator[dict[str, Trainer]]:
    """Several networks for one block (a race's racers). Sessions share the in-process stripes, and
    two of them may fall on one stripe, which cannot be taken twice: so each stripe is taken once, in
    the stripes' order (the same order in every request: no two wait for each other in a cycle), then
    each network in sorted id order (the order across processes) with its stripe already held."""
    ids = sorted(set(session_ids))
    async with AsyncExitStack() as stripes:
        waiting = None  # one budget of lock_wait for all the stripes
        for index in sorted({store._stripe_of(sid) for sid in ids}):
            stripe = store._stripes[index]
            waiting = await _take_stripe(stripe, waiting,
                                         lambda: Waiting(",".join(ids), store.lock_wait, cap=store.max_pause))
            stripes.callback(stripe.release)
        async with opened_each(ids, lambda sid: Opening(store, sid, write, own_stripe=False)) as found:
            yield found
