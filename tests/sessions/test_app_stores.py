"""The app with each store: chosen by the settings, answering 404, 409 and 503 clearly."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from app.config import AppSettings
from app.main import create_app
from app.sessions import MemoryStore, cached, make_store, store_kind
from app.sessions.redis import RedisStore
from app.sessions.sqlite import SQLiteStore

from .conftest import RedisServer, held_elsewhere

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

API = "/api/v1"
SMALL = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}}


def settings(**changes) -> AppSettings:
    return AppSettings(**{"create_rate_per_minute": 0, **changes})


# ---- choosing the store ---------------------------------------------------------------------
def test_the_default_store_is_sqlite_in_the_data_folder(tmp_path: Path):
    s = settings(data_dir=tmp_path / "data")
    assert store_kind(s) == "sqlite"
    store = make_store(s)
    assert isinstance(store, SQLiteStore)
    assert store.path == tmp_path / "data" / "sessions.sqlite3"
    store.close()


def test_a_redis_url_chooses_redis_unless_told_otherwise():
    assert store_kind(settings(redis_url="redis://127.0.0.1:1/0")) == "redis"
    assert store_kind(settings(redis_url="redis://127.0.0.1:1/0", store="sqlite")) == "sqlite"
    assert isinstance(make_store(settings(store="memory")), MemoryStore)


def test_the_store_is_chosen_by_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("BACKPROP_STORE", "redis")
    monkeypatch.setenv("BACKPROP_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("BACKPROP_DATA_DIR", str(tmp_path))
    s = AppSettings()
    assert (store_kind(s), s.redis_url, s.data_dir) == ("redis", "redis://127.0.0.1:1/0", tmp_path)
    store = make_store(s)  # connects only when first used
    assert isinstance(store, RedisStore)
    store.close()


def test_redis_without_a_url_is_a_clear_configuration_error():
    with pytest.raises(ValueError, match="BACKPROP_REDIS_URL"):
        make_store(settings(store="redis"))


def test_the_app_touches_the_disk_only_when_a_network_is_kept(tmp_path: Path):
    folder = tmp_path / "data"
    app = create_app(settings(data_dir=folder))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert not folder.exists()
        assert client.post(f"{API}/networks", json=SMALL).status_code == 201
        assert (folder / "sessions.sqlite3").exists()
    assert app.state.store._closed  # the app closes the store it made when it shuts down


def test_networks_outlive_the_app_that_made_them(tmp_path: Path):
    s = settings(data_dir=tmp_path)
    with TestClient(create_app(s)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        for _ in range(4):
            client.post(f"{API}/networks/{sid}/step")
    with TestClient(create_app(s)) as client:
        assert client.get(f"{API}/networks/{sid}").json()["step"] == 4


def test_a_race_whose_racers_share_an_in_process_lock_trains(app_settings: AppSettings,
                                                             monkeypatch: pytest.MonkeyPatch):
    # The SQLite and Redis stores lock a network in this process on one of a few stripes, shared by
    # many sessions: with one stripe, all five racers fall on it. A race used to take it once per
    # racer, so its request waited on itself and answered 409 (CI saw it: 3 racers, 1,024 stripes).
    monkeypatch.setattr(cached, "_STRIPES", 1)
    with TestClient(create_app(app_settings.model_copy(update={"session_lock_wait_seconds": 0.5,
                                                               "session_ttl_seconds": 3600}))) as client:
        ids = [r["id"] for r in client.post(f"{API}/races", json={"network": SMALL}).json()["racers"]]
        for _ in range(2):
            answer = client.post(f"{API}/races/train", json={"racers": ids, "steps": 3})
            assert answer.status_code == 200, answer.text
        assert [r["result"]["step"] for r in answer.json()["racers"]] == [6] * 5


# ---- clear answers ------------------------------------------------------------------------------
@pytest.fixture(params=["memory", "sqlite", "redis"])
def app_settings(request: pytest.FixtureRequest, tmp_path: Path) -> AppSettings:
    kind = request.param
    extra = {}
    if kind == "redis":
        extra = {"redis_url": request.getfixturevalue("redis_server").url, "redis_prefix": f"{tmp_path.name}:"}
    return settings(store=kind, data_dir=tmp_path, session_ttl_seconds=1, **extra)


def test_an_expired_network_is_a_helpful_404(app_settings: AppSettings):
    with TestClient(create_app(app_settings)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        store = client.app.state.store
        if isinstance(store, MemoryStore):
            store._clock = lambda: float("inf")
        elif isinstance(store, SQLiteStore):
            store._clock = lambda: 4e9
        else:
            store.client.delete(f"{store.prefix}s:{sid}")  # what PEXPIRE does after the idle time
        response = client.post(f"{API}/networks/{sid}/step")
    assert response.status_code == 404
    body = response.json()
    assert body["field"] == "network_id"
    assert "expired" in body["detail"] and "create a new one" in body["detail"]


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_network_removed_to_make_room_is_a_404_that_says_so(kind: str, tmp_path: Path,
                                                              request: pytest.FixtureRequest):
    extra = {"redis_url": request.getfixturevalue("redis_server").url,
             "redis_prefix": f"{tmp_path.name}:"} if kind == "redis" else {}
    bound = {"sqlite": 64 << 10, "redis": 16 << 10}[kind]  # a few small networks (of pages; of values)
    s = settings(store=kind, data_dir=tmp_path, store_max_bytes=bound, **extra)
    with TestClient(create_app(s)) as client:
        ids = [client.post(f"{API}/networks", json=SMALL).json()["id"] for _ in range(30)]
        response = client.post(f"{API}/networks/{ids[0]}/step")
        assert client.post(f"{API}/networks/{ids[-1]}/step").status_code == 200
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "network_not_found" and body["field"] == "network_id"
    assert body["params"] == {"idle_minutes": 60, "removed_for_room": True}
    assert "removed to make room" in body["detail"] and f"keeps {bound / 2**20:.4g} MiB" in body["detail"]


def test_a_network_busy_past_the_wait_is_a_clear_409(tmp_path: Path):
    s = settings(store="sqlite", data_dir=tmp_path, session_lock_wait_seconds=0.1)
    with TestClient(create_app(s)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        other_worker = SQLiteStore.in_dir(tmp_path, 100, 3600)
        try:
            with held_elsewhere(other_worker, sid):
                response = client.post(f"{API}/networks/{sid}/step")
                assert client.get(f"{API}/networks/{sid}").status_code == 200  # reading does not wait
        finally:
            other_worker.close()
        assert client.post(f"{API}/networks/{sid}/step").status_code == 200
    assert response.status_code == 409
    assert "busy" in response.json()["detail"]
    assert response.json()["code"] == "network_busy"


def test_a_copy_older_than_the_store_is_a_clear_409_then_reloaded(tmp_path: Path):
    with TestClient(create_app(settings(store="sqlite", data_dir=tmp_path))) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
        client.post(f"{API}/networks/{sid}/step")
        path = client.app.state.store.path
        with sqlite3.connect(path) as live, sqlite3.connect(tmp_path / "backup.sqlite3") as backup:
            live.backup(backup)
        client.post(f"{API}/networks/{sid}/step")
        with sqlite3.connect(tmp_path / "backup.sqlite3") as backup, sqlite3.connect(path) as live:
            backup.backup(live)  # the backup restored while the server runs: the store is at step 1
        refused = client.post(f"{API}/networks/{sid}/step")
        retried = client.post(f"{API}/networks/{sid}/step")
    assert refused.status_code == 409
    assert refused.json()["code"] == "network_busy" and "changed in the session store" in refused.json()["detail"]
    assert retried.status_code == 200 and retried.json()["step"] == 2


def test_redis_stopped_is_a_clear_503_and_service_resumes(tmp_path: Path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        s = settings(redis_url=server.url)
        with TestClient(create_app(s)) as client:
            sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
            assert client.post(f"{API}/networks/{sid}/step").status_code == 200
            server.stop()
            for response in (client.post(f"{API}/networks/{sid}/step"), client.get(f"{API}/networks/{sid}"),
                             client.post(f"{API}/networks", json=SMALL)):
                assert response.status_code == 503
                assert "sessions are unavailable, try again shortly" in response.json()["detail"]
                assert response.headers["retry-after"] == "5"
                assert response.json()["code"] == "store_unavailable"
                assert response.json()["params"] == {"retry_after": 5}
            server.start()
            response = client.post(f"{API}/networks/{sid}/step")
            assert response.status_code == 200, response.text
            assert response.json()["step"] == 2  # kept by Redis's append-only file across its restart
            assert client.post(f"{API}/networks", json=SMALL).status_code == 201
    finally:
        server.stop()


def test_no_endpoint_lists_networks():
    with TestClient(create_app(settings(store="memory"))) as client:
        client.post(f"{API}/networks", json=SMALL)
        assert client.get(f"{API}/networks").status_code == 405
        paths = client.get("/openapi.json").json()["paths"]
    assert "get" not in paths[f"{API}/networks"]
    assert all("{network_id}" in path or "get" not in ops for path, ops in paths.items() if "/networks" in path)
