"""The session store interface. Routes only ever see this."""

from __future__ import annotations

import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AbstractContextManager, AsyncExitStack, asynccontextmanager

from ..nn import Trainer
from ..nn.history import StepNotKept, StepRecord


class SessionNotFound(LookupError):
    """No live network has this id (never created, deleted, expired, or removed to make room for newer
    ones when the store reached its bound in bytes: then `removed_for_room`)."""

    def __init__(self, session_id: str, removed_for_room: bool = False):
        super().__init__(session_id)
        self.removed_for_room = removed_for_room


class SessionBusy(RuntimeError):
    """Another request held this network's lock for longer than we may wait (or outlived its lease)."""


class SessionConflict(SessionBusy):
    """A save found another version in the store than the one this copy was loaded from (the store lost
    data and another worker saved since, say): nothing was written, and the next opening reloads."""


class StoreUnavailable(RuntimeError):
    """The shared store (a database file or Redis) cannot be reached just now."""


def new_session_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: unguessable


def new_version() -> int:
    """The version a save writes: 62 random bits with bit 62 set, so it never repeats (unlike a count,
    which a store restored from an older snapshot would count up to again) and is told apart from the
    counts (0, 1, 2, …) that stores written before it hold; it fits an SQLite INTEGER and leaves an older
    replica's HINCRBY room. A network is created at version 0, which can only ever mean its first state."""
    return (1 << 62) | secrets.randbits(62)


class SessionStore(ABC):
    kind = "memory"  # what GET /readyz calls it: memory, sqlite or redis
    @abstractmethod
    def create(self, trainer: Trainer) -> str:
        """Keep a new network; return its id."""

    @abstractmethod
    def open(self, session_id: str, *, write: bool = True) -> AbstractContextManager[Trainer]:
        """The network, locked against concurrent writers for the `with` block; saved after
        the block when `write` (and not saved if the block raised). Raises SessionNotFound."""

    @abstractmethod
    def opened(self, session_id: str, *, write: bool = True) -> AbstractAsyncContextManager[Trainer]:
        """As open(), for the event loop: a wait for a network another request holds is awaited, never
        slept, so that the worker keeps serving everything else meanwhile."""

    def opened_many(self, session_ids: Iterable[str], *, write: bool = True
                    ) -> AbstractAsyncContextManager[dict[str, Trainer]]:
        """Several networks for one block (a race's racers), each as opened() gives it, keyed by id; a
        missing one is left out. Taken in sorted id order, so that two requests that hold several never
        wait for each other in a cycle."""
        return opened_each(sorted(set(session_ids)), lambda sid: self.opened(sid, write=write))

    @abstractmethod
    def delete(self, session_id: str) -> bool:
        """Forget a network; False if there was none."""

    def kept_step(self, session_id: str, trainer: Trainer, step: int | None = None) -> StepRecord:
        """A kept step of the network open as `trainer` (the newest, its current step, by default).
        Raises StepNotKept. Here: the trainer's own records (a store whose workers share networks
        reads the others' records too)."""
        step = trainer.step_count if step is None else step
        record = trainer.kept.find(step)
        if record is None:
            raise StepNotKept(step, trainer.step_count)
        return record

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (connections, files)."""

    def ping(self) -> None:  # noqa: B027 - a store in this process always answers
        """Raise StoreUnavailable unless the store answers now (within its deadline)."""


@asynccontextmanager
async def opened_each(ids: list[str], open_one: Callable[[str], AbstractAsyncContextManager[Trainer]]
                      ) -> AsyncIterator[dict[str, Trainer]]:
    """`open_one(id)` of each id in turn, held for the block, keyed by id; a missing one is left out.
    A failing block (or opening) lets go of those opened as failed: none is saved."""
    async with AsyncExitStack() as stack:
        found: dict[str, Trainer] = {}
        for sid in ids:
            try:
                found[sid] = await stack.enter_async_context(open_one(sid))
            except SessionNotFound:
                pass
        yield found


class Waiting:
    """The pauses between tries at a network someone else holds: doubling from `first` up to `cap`,
    for `seconds` in all; then SessionBusy. Slept in a thread (`time.sleep(w.pause())`), awaited on
    the event loop (`await asyncio.sleep(w.pause())`)."""

    __slots__ = ("session_id", "deadline", "next", "cap")

    def __init__(self, session_id: str, seconds: float, first: float = 1e-4, cap: float = 2e-3):
        self.session_id = session_id
        self.deadline = time.monotonic() + seconds
        self.next = first
        self.cap = cap

    def pause(self) -> float:
        if time.monotonic() > self.deadline:
            raise SessionBusy(self.session_id)
        pause, self.next = self.next, min(2 * self.next, self.cap)
        return pause
