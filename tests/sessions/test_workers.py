"""Real servers: `uvicorn app.main:app --workers 2` with each shared store, configured by environment
variables. Concurrent steps on one network are serialized across the worker processes, and every
network survives a restart of the server."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

from app.config import AppSettings
from app.main import create_app

from .conftest import has_open, serve

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

API = "/api/v1"
TYPICAL = {"layer_sizes": [2, 8, 8, 8, 1], "batch_size": 10, "optimizer": {"name": "adam", "learning_rate": 0.01},
           "dataset": {"name": "spiral", "n_samples": 200, "seed": 4}, "init": {"seed": 9}}
N = 40


@pytest.fixture(params=["sqlite", "redis"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {"BACKPROP_STORE": request.param, "BACKPROP_DATA_DIR": str(tmp_path / "data"),
           "BACKPROP_CREATE_RATE_PER_MINUTE": "0"}
    if request.param == "redis":
        env |= {"BACKPROP_REDIS_URL": request.getfixturevalue("redis_server").url,
                "BACKPROP_REDIS_PREFIX": f"workers-{uuid.uuid4().hex[:8]}:"}
    return env


def sequential_export(steps: int) -> dict[str, Any]:
    """The same network stepped one request at a time, in one process, in memory."""
    with TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=0))) as client:
        sid = client.post(f"{API}/networks", json=TYPICAL).json()["id"]
        for _ in range(steps):
            assert client.post(f"{API}/networks/{sid}/step").status_code == 200
        return client.get(f"{API}/networks/{sid}/export").json()


def post_step(url: str) -> tuple[int, Any]:
    """POST on a connection of its own (the workers share out connections), with the standard
    library's client: cheap enough to keep many requests in flight from one test process."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        connection.request("POST", where.path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_concurrent_steps_lose_nothing_and_networks_survive_a_restart(store_env: dict[str, str],
                                                                     tmp_path: Path):
    with serve(store_env) as server, httpx.Client(base_url=server.url + API, timeout=30) as api:
        sid = api.post("/networks", json=TYPICAL).json()["id"]
        others = {api.post("/networks", json=TYPICAL).json()["id"]: k for k in range(1, 4)}
        with ThreadPoolExecutor(16) as pool:
            responses = list(pool.map(post_step, [f"{server.url}{API}/networks/{sid}/step"] * N))
        for other, k in others.items():
            for _ in range(k):
                assert api.post(f"/networks/{other}/step").status_code == 200
        assert [status for status, _ in responses] == [200] * N
        assert sorted(body["step"] for _, body in responses) == list(range(1, N + 1))  # each step once
        export = api.get(f"/networks/{sid}/export").json()
        if store_env["BACKPROP_STORE"] == "sqlite":  # both workers served and opened the database
            database = Path(store_env["BACKPROP_DATA_DIR"]) / "sessions.sqlite3"
            assert all(has_open(pid, database) for pid in server.workers())
    assert export["step"] == N
    assert export == sequential_export(N)  # weights, biases, optimizer state: bit for bit

    with serve(store_env) as server, httpx.Client(base_url=server.url + API, timeout=30) as api:
        assert api.get(f"/networks/{sid}/export").json() == export
        for other, k in others.items():
            assert api.get(f"/networks/{other}").json()["step"] == k
        assert api.post(f"/networks/{sid}/step").json()["step"] == N + 1


def test_a_killed_worker_loses_no_network(tmp_path: Path):
    env = {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": str(tmp_path), "BACKPROP_CREATE_RATE_PER_MINUTE": "0"}
    with serve(env) as server, httpx.Client(base_url=server.url + API, timeout=30) as api:
        ids = [api.post("/networks", json=TYPICAL).json()["id"] for _ in range(4)]
        sent = dict.fromkeys(ids, 0)
        answered = dict.fromkeys(ids, 0)
        stop, counting = threading.Event(), threading.Lock()

        def load(sid: str) -> None:  # steps until told to stop; a request on the killed worker fails
            url = f"{server.url}{API}/networks/{sid}/step"
            while not stop.is_set():
                with counting:
                    sent[sid] += 1
                try:
                    status, _ = post_step(url)
                except (OSError, http.client.HTTPException):
                    continue
                assert status == 200
                with counting:
                    answered[sid] += 1

        with ThreadPoolExecutor(8) as pool:
            running = [pool.submit(load, sid) for sid in ids * 2]
            time.sleep(0.5)
            os.kill(server.workers()[0], signal.SIGKILL)
            time.sleep(0.5)
            stop.set()
            for future in running:
                future.result()
        for sid in ids:
            state = api.get(f"/networks/{sid}").json()
            assert answered[sid] <= state["step"] <= sent[sid]  # a killed request may have saved first
            after = api.post(f"/networks/{sid}/step")
            assert after.status_code == 200, after.text
            assert after.json()["step"] == state["step"] + 1
