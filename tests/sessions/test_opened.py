"""store.opened(): the opening for the event loop. A network another request holds (a thread of this
process, or another worker) is awaited, never slept on, so the loop keeps running meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from app.sessions import SessionBusy, SessionStore

from .conftest import StoreMaker, typical_trainer


class Holder:
    """Another thread holds the network for writing (stepping it once) until release()."""

    def __init__(self, store: SessionStore, session_id: str):
        self.inside, self.released = threading.Event(), threading.Event()

        def hold() -> None:
            with store.open(session_id) as trainer:
                trainer.step()
                self.inside.set()
                self.released.wait(10)

        self.thread = threading.Thread(target=hold)
        self.thread.start()
        assert self.inside.wait(10)

    def release(self) -> None:
        self.released.set()
        self.thread.join()  # (releasing twice is harmless)


def run(main: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """asyncio.run(main(*args)) on an event loop of its own thread (this one may have one running:
    Playwright's, in the browser tests)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(main(*args))).result()


@contextmanager
def holding(store: SessionStore, session_id: str) -> Iterator[Holder]:
    holder = Holder(store, session_id)
    try:
        yield holder
    finally:
        holder.release()


async def ticks_while_waiting(store: SessionStore, session_id: str, holder: Holder) -> tuple[int, int]:
    """Open the network on the loop while `holder` has it; count the loop's turns meanwhile; then let go."""

    async def open_and_step() -> int:
        async with store.opened(session_id) as trainer:
            trainer.step()
            return trainer.step_count

    opening = asyncio.create_task(open_and_step())
    ticks = 0
    for _ in range(20):
        await asyncio.sleep(0.001)
        ticks += 1
    assert not opening.done()  # still waiting for the holder, and the loop ran on meanwhile
    holder.release()
    return ticks, await opening


def test_a_network_held_by_a_thread_of_this_process_is_awaited(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer())
    with holding(store, sid) as holder:
        ticks, step = run(ticks_while_waiting, store, sid, holder)

    assert (ticks, step) == (20, 2)  # the holder's step, then ours


def test_a_network_held_by_another_worker_is_awaited(shared_store: StoreMaker):
    store, other_worker = shared_store(), shared_store.again()
    sid = store.create(typical_trainer())
    with holding(other_worker, sid) as holder:
        ticks, step = run(ticks_while_waiting, store, sid, holder)

    assert (ticks, step) == (20, 2)


def test_an_awaited_network_still_held_after_the_wait_is_busy(make_store: StoreMaker):
    store = make_store(lock_wait_seconds=0.1) if make_store.kind != "memory" else make_store()
    if make_store.kind == "memory":
        store.lock_wait = 0.1
    sid = store.create(typical_trainer())

    async def open_it() -> None:
        async with store.opened(sid):
            pass

    with holding(store, sid), pytest.raises(SessionBusy):
        run(open_it)
    run(open_it)  # free again


def test_a_failing_block_on_the_loop_releases_the_network(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer())

    async def fail_inside() -> None:
        async with store.opened(sid) as trainer:
            trainer.step()
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError, match="the request failed"):
        run(fail_inside)
    with make_store.again().open(sid) as trainer:  # free, and nothing of the failed block was saved
        assert trainer.step_count == (1 if make_store.kind == "memory" else 0)  # (memory keeps the live object)
