"""A network's lock is released on every way out of a write block, failures included: a failure is
injected at each stage (load, the step itself, save) and the next request on that network, from
another worker, gets it at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.sessions import SessionStore, StoreUnavailable
from app.sessions import cached as cached_module
from app.sessions.redis import RedisStore
from app.sessions.sqlite import SQLiteStore

from .conftest import StoreMaker, typical_trainer


class Injected(RuntimeError):
    """The failure a test injects."""


def fail_after(original: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    def failing(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise error
    return failing


def raise_(error: BaseException) -> Callable[..., Any]:
    def failing(*args: Any, **kwargs: Any) -> Any:
        raise error
    return failing


def fail_store_read_after_locking(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock is taken, then the store fails (for Redis: the script ran and its reply was lost)."""
    lost = StoreUnavailable("injected: the reply was lost")
    if isinstance(store, RedisStore):
        run = store._run
        monkeypatch.setattr(store, "_run", lambda name, keys, args: (
            fail_after(run, lost) if name == "lock" else run)(name, keys, args))
    else:
        assert isinstance(store, SQLiteStore)
        monkeypatch.setattr(store, "_read_row", raise_(lost))


def fail_store_save(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store fails while saving (for Redis: before the save script runs)."""
    failed = StoreUnavailable("injected: the save failed")
    if isinstance(store, RedisStore):
        run = store._run
        monkeypatch.setattr(store, "_run", lambda name, keys, args: (
            raise_(failed) if name == "save" else run)(name, keys, args))
    else:
        assert isinstance(store, SQLiteStore)

        class FailingTable:
            saving = staticmethod(raise_(failed))

        monkeypatch.setattr(store, "_version_table", lambda: FailingTable())


def fail_decoding(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored state cannot be put into the trainer."""
    monkeypatch.setattr(cached_module, "load_state", raise_(ValueError("injected: the state does not fit")))


def fail_encoding(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stepped state cannot be encoded (as with a counter beyond 64 bits)."""
    monkeypatch.setattr(cached_module, "dump_state", raise_(TypeError("injected: Integer exceeds 64-bit range")))


STAGES = {
    "load: the store fails after locking": (fail_store_read_after_locking, StoreUnavailable),
    "load: the state cannot be decoded": (fail_decoding, ValueError),
    "save: the state cannot be encoded": (fail_encoding, TypeError),
    "save: the store fails": (fail_store_save, StoreUnavailable),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_the_lock_is_released_when_a_stage_fails(shared_store: StoreMaker, monkeypatch: pytest.MonkeyPatch,
                                                 stage: str):
    failing = shared_store(lock_wait_seconds=0.2)  # a lock left taken makes the next open SessionBusy
    sid = shared_store.again().create(typical_trainer())  # not cached in `failing`: it loads the base too
    inject, error = STAGES[stage]
    with monkeypatch.context() as patch:
        inject(failing, patch)
        with pytest.raises(error), failing.open(sid) as trainer:
            trainer.step()
    other = shared_store.again(lock_wait_seconds=0.2)
    with other.open(sid) as trainer:  # another worker gets it at once
        assert trainer.step_count == 0  # nothing of the failed request was saved
        trainer.step()
    with failing.open(sid) as trainer:  # and so does the failing worker itself
        assert trainer.step_count == 1


def test_the_lock_is_released_when_the_step_fails(shared_store: StoreMaker):
    store = shared_store(lock_wait_seconds=0.2)
    sid = store.create(typical_trainer())
    with pytest.raises(Injected), store.open(sid) as trainer:
        trainer.step()
        raise Injected("the step failed")
    with shared_store.again(lock_wait_seconds=0.2).open(sid) as trainer:
        assert trainer.step_count == 0
