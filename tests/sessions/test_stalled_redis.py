"""A stalled Redis: alive but not answering (its process stopped with SIGSTOP, as under a long fork,
swap or a network partition). Every call gives up at its deadline with a 503, the worker's event loop
keeps answering meanwhile, /readyz says the store does not answer, and service resumes with Redis."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app
from app.sessions import StoreUnavailable
from app.sessions.redis import DEADLINE_SECONDS, RedisStore

from .conftest import RedisServer, typical_trainer
from .test_app_stores import API, SMALL, TestClient, settings


class Stallable(RedisServer):
    def stall(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)


@pytest.fixture
def redis_to_stall(tmp_path: Path) -> Iterator[Stallable]:
    server = Stallable(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.resume()
        server.stop()


def test_every_call_has_a_deadline_of_about_a_second_and_a_stall_is_not_retried(redis_to_stall):
    store = RedisStore.from_url(redis_to_stall.url, 10, 60)
    options = store.client.connection_pool.connection_kwargs
    assert options["socket_timeout"] == options["socket_connect_timeout"] == DEADLINE_SECONDS == 1.0
    sid = store.create(typical_trainer())
    calls = 0
    send = store.client.connection_pool.connection_class.send_packed_command

    def counted(connection: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return send(connection, *args, **kwargs)

    redis_to_stall.stall()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.client.connection_pool.connection_class, "send_packed_command", counted)
        with pytest.raises(StoreUnavailable), store.open(sid):
            pass
    assert calls == 1  # one deadline, not one per retry
    redis_to_stall.resume()
    store.close()


def test_a_lock_taken_by_a_call_that_got_no_answer_is_let_go_of(redis_to_stall, monkeypatch):
    """As when Redis, stalled, runs the lock call it received once it wakes, and the caller, which gave
    up at its deadline, could not let go of the lock then (Redis was still failing)."""
    store = RedisStore.from_url(redis_to_stall.url, 10, 60, lock_wait_seconds=0.5, lock_lease_seconds=30)
    sid = store.create(typical_trainer())
    run = store._run

    def ran_but_unanswered(name: str, keys: list, args: list) -> Any:
        reply = run(name, keys, args)
        if name == "lock":
            store._failing_until = time.monotonic() + 60  # Redis taken to be down: letting go fails too
            raise StoreUnavailable("injected: no answer in time")
        return reply

    with monkeypatch.context() as patch:
        patch.setattr(store, "_run", ran_but_unanswered)
        with pytest.raises(StoreUnavailable), store.open(sid):
            pass
    assert store.client.exists(f"{store.prefix}lock:{sid}") == 1  # taken, for the lease's 30 s
    store._failing_until = 0.0  # Redis answers again

    with store.open(sid) as trainer:  # not SessionBusy
        trainer.step()

    assert store.client.exists(f"{store.prefix}lock:{sid}") == 0
    store.close()


class InThread:
    def __init__(self, call: Any):
        self.result: Any = None
        self.thread = threading.Thread(target=lambda: setattr(self, "result", call()))
        self.thread.start()

    def done(self) -> bool:
        return not self.thread.is_alive()

    def answer(self) -> Any:
        self.thread.join(30)
        return self.result


def test_the_worker_answers_while_a_request_waits_on_a_stalled_redis(redis_to_stall, monkeypatch):
    # A long deadline here, so that the test's own requests have ample time to pass the waiting one.
    store = RedisStore.from_url(redis_to_stall.url, 100, 3600, deadline_seconds=5.0)
    with TestClient(create_app(settings(redis_url=redis_to_stall.url), store=store)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        assert client.post(f"{API}/networks/{sid}/step").status_code == 200
        waiting = threading.Event()
        run = store._run
        monkeypatch.setattr(store, "_run", lambda *args: (waiting.set(), run(*args))[1])
        redis_to_stall.stall()
        step = InThread(lambda: client.post(f"{API}/networks/{sid}/step"))
        assert waiting.wait(10)

        assert client.get("/healthz").status_code == 200
        assert client.get(f"{API}/options").status_code == 200
        assert not step.done()  # all of that while the step waited on Redis

        response = step.answer()
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        redis_to_stall.resume()
    store.close()


def test_readiness_says_whether_the_store_answers(redis_to_stall):
    with TestClient(create_app(settings(redis_url=redis_to_stall.url))) as client:
        assert client.get("/readyz").json() == {"status": "ready", "store": "redis"}
        redis_to_stall.stall()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["code"] == "store_unavailable"
        assert response.headers["retry-after"] == "5"
        assert client.get("/healthz").status_code == 200  # liveness never asks the store
        redis_to_stall.resume()
        assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_readiness_of_the_stores_in_this_machine(kind, tmp_path):
    with TestClient(create_app(settings(store=kind, data_dir=tmp_path))) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "store": kind}
