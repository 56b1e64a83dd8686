"""Fixtures for the session store tests.

- `redis_server`: a real redis-server on a free loopback port in a temporary folder, for the whole
  run (fails with the install command when the binary is missing: these tests never skip).
- `make_store(**bounds)`: a store of the parametrized kind (memory, sqlite, redis) with its own
  folder or key prefix; `make_store.again()` opens a second instance on the same data, as another
  worker process (or a restarted server) would. `advance(seconds)` moves time on for that store.
- `held_elsewhere(store, sid)`: the network held open for writing by another thread (as by a
  request in another worker) until the block ends.
- `still_stored(store, ids)`: those still there; each of the others must say it was removed to make room.
- `serve(env)`: `uvicorn app.main:app --workers 2` on a free loopback port, configured by
  environment variables, as a context manager yielding its URL and process id.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from app.nn import DatasetSettings, InitSettings, OptimizerSettings, Settings, Trainer
from app.sessions import MemoryStore, SessionNotFound, SessionStore
from app.sessions.redis import RedisStore
from app.sessions.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
KINDS = ["memory", "sqlite", "redis"]
SHARED_KINDS = ["sqlite", "redis"]


@contextlib.contextmanager
def held_elsewhere(store: SessionStore, session_id: str, step: bool = False) -> Iterator[None]:
    """Another thread opens the network for writing (stepping it once if `step`) and holds it
    until the block ends; the block starts once it holds it."""
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.open(session_id) as trainer:
            if step:
                trainer.step()
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(5)
        yield
    finally:
        release.set()
        holder.join()


def still_stored(store: SessionStore, ids: list[str]) -> list[str]:
    """Those of `ids` the store still has, in order; each of the others must say it was removed to make
    room (the store's bound in bytes)."""
    live = []
    for sid in ids:
        try:
            with store.open(sid, write=False):
                live.append(sid)
        except SessionNotFound as gone:
            assert gone.removed_for_room, sid
    return live


def same_parameters(a: Trainer, b: Trainer) -> bool:
    """Bit for bit."""
    return a.network.params.tobytes() == b.network.params.tobytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def typical_trainer(optimizer: str = "sgd", **changes: Any) -> Trainer:
    """The playground's typical network (2-8-8-8-1, batch 10) with fixed seeds."""
    spec = {"layer_sizes": [2, 8, 8, 8, 1], "batch_size": 10, "init": InitSettings(seed=7),
            "dataset": DatasetSettings(seed=11), "optimizer": OptimizerSettings(optimizer, 0.05), **changes}
    return Trainer(Settings(**spec))


class RedisServer:
    """A redis-server process on loopback whose data (append-only file) survives stop() and start()."""

    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: the Redis store's tests run a real one. Install it "
                        "with `apt-get install -y redis-server` (.ci/run does).", pytrace=False)
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError):
                if client.ping():
                    break
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
            self.proc = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


class Clock:
    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now


class StoreMaker:
    """Stores of one kind on one set of data (a folder, a key prefix or, for memory, one store)."""

    def __init__(self, kind: str, tmp_path: Path, redis_url: str | None):
        self.kind = kind
        self.folder = tmp_path
        self.redis_url = redis_url
        self.prefix = f"test-{uuid.uuid4().hex[:12]}:"
        self.clock = Clock(1_000_000.0)
        self.bounds: dict[str, Any] = {}
        self.made: list[SessionStore] = []

    def __call__(self, max_sessions: int = 1000, ttl_seconds: float = 3600, **options: Any) -> SessionStore:
        self.bounds = {"max_sessions": max_sessions, "ttl_seconds": ttl_seconds, **options}
        return self.again()

    def again(self, **options: Any) -> SessionStore:
        """Another instance on the same data (memory: the same store, as it lives in one process)."""
        b = {**self.bounds, **options}
        max_sessions, ttl = b.pop("max_sessions"), b.pop("ttl_seconds")
        if self.kind == "memory":
            store: SessionStore = (self.made[0] if self.made else
                                   MemoryStore(max_sessions, ttl, clock=self.clock))
        elif self.kind == "sqlite":
            store = SQLiteStore.in_dir(self.folder, max_sessions, ttl, clock=self.clock, **b)
        else:
            assert self.redis_url is not None
            store = RedisStore.from_url(self.redis_url, max_sessions, ttl, prefix=self.prefix, **b)
        self.made.append(store)
        return store

    def advance(self, seconds: float) -> None:
        """Let time pass for these stores: Redis uses its own clock, so the test really waits."""
        if self.kind == "redis":
            time.sleep(seconds)
        else:
            self.clock.now += seconds

    def close(self) -> None:
        for store in self.made:
            store.close()


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StoreMaker]:
    url = request.getfixturevalue("redis_server").url if kind == "redis" else None
    maker = StoreMaker(kind, tmp_path, url)
    yield maker
    maker.close()


@pytest.fixture(params=SHARED_KINDS)
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreMaker]:
    kind = request.param
    url = request.getfixturevalue("redis_server").url if kind == "redis" else None
    maker = StoreMaker(kind, tmp_path, url)
    yield maker
    maker.close()


@dataclass
class Served:
    url: str
    pid: int  # uvicorn's supervisor; its children are the workers

    def workers(self) -> list[int]:
        children = [int(c) for c in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
        return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]  # not the
        # multiprocessing resource tracker


def has_open(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    return any(os.path.realpath(fd) == str(path.resolve()) for fd in fds.iterdir())


def wait_until_up(base: str, proc: subprocess.Popen, log: Any) -> float:
    """Wait (30 s at most) for a server process to answer /healthz; returns that deadline."""
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return deadline
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server stopped: {log.read().decode(errors='replace')}")
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int = 2) -> Iterator[Served]:
    """The app in uvicorn (several worker processes) on a free loopback port."""
    port = free_port()
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **env}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = wait_until_up(base, proc, log)
        served = Served(base, proc.pid)
        while len(served.workers()) < workers and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the other workers finish importing the app
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
