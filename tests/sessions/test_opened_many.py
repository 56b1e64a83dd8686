"""store.opened_many(): several networks for one block, as a race's request holds its racers. The
SQLite and Redis stores share in-process locks (stripes) between sessions, so two racers may fall on
one stripe: opening them together must neither wait on itself nor answer 409 after the lock wait."""

from __future__ import annotations

import pytest

from app.sessions import SessionBusy, SessionStore, cached

from .conftest import StoreMaker, typical_trainer
from .test_opened import holding, run


def quick_store(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch, stripes: int | None = None) -> SessionStore:
    """A store that gives up on a busy network after 0.2 s; with `stripes`, that many in-process locks."""
    if stripes is not None:
        monkeypatch.setattr(cached, "_STRIPES", stripes)
    if make_store.kind == "memory":
        store = make_store()
        store.lock_wait = 0.2  # type: ignore[attr-defined]
        return store
    return make_store(lock_wait_seconds=0.2)


async def step_each(store: SessionStore, ids: list[str]) -> dict[str, int]:
    async with store.opened_many(ids) as trainers:
        for trainer in trainers.values():
            trainer.step()
        return {sid: trainer.step_count for sid, trainer in trainers.items()}


def test_several_networks_open_together_and_are_saved(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch):
    store = quick_store(make_store, monkeypatch)
    ids = [store.create(typical_trainer(optimizer)) for optimizer in ("sgd", "momentum", "adam")]

    assert run(step_each, store, [ids[2], ids[0], ids[1], ids[0]]) == dict.fromkeys(ids, 1)  # each once
    for sid in ids:
        with make_store.again().open(sid, write=False) as trainer:
            assert trainer.step_count == 1


@pytest.mark.parametrize("stripes", [1, 2])
def test_networks_that_share_an_in_process_lock_open_together(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch,
                                                              stripes: int):
    # One stripe: every network on it; two: some share one, in any order of their ids. Before
    # opened_many took each stripe once, a race whose racers shared one waited on itself: 409.
    store = quick_store(make_store, monkeypatch, stripes)
    ids = [store.create(typical_trainer()) for _ in range(5)]

    assert run(step_each, store, ids) == dict.fromkeys(ids, 1)
    assert run(step_each, store, ids) == dict.fromkeys(ids, 2)  # every lock was let go of


def test_a_missing_network_is_left_out(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch):
    store = quick_store(make_store, monkeypatch, 1)
    sid = store.create(typical_trainer())

    assert run(step_each, store, [sid, "no-such-network"]) == {sid: 1}


def test_a_network_held_elsewhere_is_waited_for_then_busy(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch):
    store = quick_store(make_store, monkeypatch, 1)
    free, held = store.create(typical_trainer()), store.create(typical_trainer())

    with holding(store, held), pytest.raises(SessionBusy):
        run(step_each, store, [free, held])
    # Nothing of the refused block was saved, and every lock was let go of.
    assert run(step_each, store, [free, held]) == {free: 1, held: 2}  # (the holder stepped `held` once)


def test_a_failing_block_saves_none_of_them(make_store: StoreMaker, monkeypatch: pytest.MonkeyPatch):
    store = quick_store(make_store, monkeypatch, 1)
    ids = [store.create(typical_trainer()) for _ in range(3)]

    async def fail_inside() -> None:
        async with store.opened_many(ids) as trainers:
            for trainer in trainers.values():
                trainer.step()
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError, match="the request failed"):
        run(fail_inside)
    for sid in ids:
        with make_store.again().open(sid) as trainer:  # free, and nothing of the failed block was saved
            assert trainer.step_count == (1 if make_store.kind == "memory" else 0)  # (memory keeps the live object)
