"""Long work does not hold up a worker: while a /train runs (in a thread) or a request waits for a
network another worker holds, the same worker's event loop answers /healthz and other networks.

The app runs in one TestClient (one event loop); the long call is made to last until the test has
seen the other answers, so the order of events, not a timing, is what each test checks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sessions.conftest import held_elsewhere  # the session store tests' helpers

from app.config import AppSettings
from app.main import create_app
from app.nn import Trainer
from app.sessions.sqlite import SQLiteStore

from ..conftest import API, TEST_SETTINGS, TestClient

SMALL = {"dataset": {"n_samples": 20, "seed": 1}, "init": {"seed": 2}}


class InThread:
    """A request made from another thread; `done` tells whether its answer has come."""

    def __init__(self, client: TestClient, method: str, path: str, body: Any = None):
        self.response: Any = None
        self.thread = threading.Thread(target=lambda: setattr(self, "response", client.request(
            method, path, json=body)))
        self.thread.start()

    @property
    def done(self) -> bool:
        return not self.thread.is_alive()

    def result(self) -> Any:
        self.thread.join(30)
        return self.response


@pytest.fixture
def held_train(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Trainer.train made to run until released (started, release)."""
    started, release = threading.Event(), threading.Event()
    train = Trainer.train

    def slow_train(self: Trainer, steps: int, eval_every: int | None = None, **more: Any) -> dict[str, Any]:
        started.set()
        release.wait(10)
        return train(self, steps, eval_every, **more)

    monkeypatch.setattr(Trainer, "train", slow_train)
    yield started, release
    release.set()


def test_the_worker_answers_while_a_train_runs(held_train):
    started, release = held_train
    with TestClient(create_app(AppSettings(**TEST_SETTINGS))) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        other = client.post(f"{API}/networks", json=SMALL).json()["id"]
        train = InThread(client, "POST", f"{API}/networks/{sid}/train", {"steps": 5})
        assert started.wait(10)
        step = InThread(client, "POST", f"{API}/networks/{sid}/step", {})  # waits for the train, on the loop

        assert client.get("/healthz").status_code == 200
        assert client.post(f"{API}/networks/{other}/step", json={}).status_code == 200
        assert not train.done and not step.done  # all of that while the train ran

        release.set()
        assert train.result().json()["step"] == 5
        assert step.result().json()["step"] == 6  # after the train, not lost


def test_the_worker_answers_while_a_step_waits_for_another_workers_lock(tmp_path: Path):
    settings = AppSettings(**{**TEST_SETTINGS, "store": "sqlite", "data_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        other = client.post(f"{API}/networks", json=SMALL).json()["id"]
        other_worker = SQLiteStore.in_dir(tmp_path, 100, 3600)
        try:
            with held_elsewhere(other_worker, sid, step=True):
                step = InThread(client, "POST", f"{API}/networks/{sid}/step", {})

                assert client.get("/healthz").status_code == 200
                assert client.post(f"{API}/networks/{other}/step", json={}).status_code == 200
                assert not step.done  # all of that while the step waited
        finally:
            other_worker.close()
        assert step.result().json()["step"] == 2  # the other worker's step, then this one
