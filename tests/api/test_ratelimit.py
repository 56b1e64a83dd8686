"""A client may create only so many networks: a token bucket per address, answered with 429."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sessions.conftest import Clock, RedisServer  # the session store tests' helpers
from starlette.exceptions import StarletteDeprecationWarning

from app.api.ratelimit import MemoryLimiter, RateLimited, RedisLimiter, Unlimited
from app.config import AppSettings
from app.main import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

API = "/api/v1"
SMALL = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}}


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on loopback for this module's tests."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


# ---- the bucket -------------------------------------------------------------------------------
def test_a_full_bucket_allows_a_burst_then_refuses_until_it_refills():
    clock = Clock(0.0)
    limiter = MemoryLimiter(60, 3, clock=clock)  # one a second, three at once
    for _ in range(3):
        limiter.take("a")
    with pytest.raises(RateLimited) as refused:
        limiter.take("a")
    assert refused.value.retry_after == pytest.approx(1.0)
    clock.now += 0.5
    with pytest.raises(RateLimited) as refused:
        limiter.take("a")
    assert refused.value.retry_after == pytest.approx(0.5)
    clock.now += 0.5
    limiter.take("a")


def test_each_client_has_its_own_bucket():
    limiter = MemoryLimiter(60, 1, clock=Clock(0.0))
    limiter.take("a")
    limiter.take("b")
    with pytest.raises(RateLimited):
        limiter.take("a")


def test_the_bucket_table_stays_bounded():
    limiter = MemoryLimiter(60, 1, max_clients=10, clock=Clock(0.0))
    for i in range(100):
        limiter.take(f"client-{i}")
    assert len(limiter._buckets) == 10


def test_redis_buckets_are_shared_by_every_limiter(redis_server: RedisServer, tmp_path: Path):
    import redis

    clients = [redis.Redis.from_url(redis_server.url) for _ in range(2)]
    a, b = (RedisLimiter(c, 60, 2, prefix=f"{tmp_path.name}:") for c in clients)
    a.take("10.0.0.1")
    b.take("10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        a.take("10.0.0.1")
    assert 0.5 < refused.value.retry_after <= 1.0
    b.take("10.0.0.2")
    for c in clients:
        c.close()


# ---- the API ---------------------------------------------------------------------------------------
def limited_app(**changes) -> TestClient:
    s = AppSettings(**{"store": "memory", "create_rate_per_minute": 6, "create_burst": 2, **changes})
    return TestClient(create_app(s))


def test_creating_past_the_limit_is_429_with_retry_after():
    with limited_app() as client:
        for _ in range(2):
            assert client.post(f"{API}/networks", json=SMALL).status_code == 201
        response = client.post(f"{API}/networks", json=SMALL)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "10"  # 6 a minute: a token every 10 s
    body = response.json()
    assert "Too many networks created from your address" in body["detail"]
    assert "2 at once, then 6 a minute" in body["detail"]
    assert body["code"] == "rate_limited"
    assert body["params"] == {"retry_after": 10, "burst": 2, "rate_per_minute": 6}


def test_imports_count_as_creations_and_other_routes_do_not():
    with limited_app() as client:
        state = client.post(f"{API}/networks", json=SMALL).json()
        doc = client.get(f"{API}/networks/{state['id']}/export").json()
        assert client.post(f"{API}/networks/import", json=doc).status_code == 201
        assert client.post(f"{API}/networks/import", json=doc).status_code == 429
        for _ in range(5):
            assert client.post(f"{API}/networks/{state['id']}/step").status_code == 200


def test_another_address_is_not_limited_by_the_first():
    s = AppSettings(store="memory", create_rate_per_minute=6, create_burst=1)
    app = create_app(s)
    with TestClient(app, client=("10.0.0.1", 1000)) as first, TestClient(app, client=("10.0.0.2", 1000)) as second:
        assert first.post(f"{API}/networks", json=SMALL).status_code == 201
        assert first.post(f"{API}/networks", json=SMALL).status_code == 429
        assert second.post(f"{API}/networks", json=SMALL).status_code == 201


def test_a_rate_of_zero_turns_the_limit_off():
    with limited_app(create_rate_per_minute=0) as client:
        assert isinstance(client.app.state.create_limiter, Unlimited)
        for _ in range(5):
            assert client.post(f"{API}/networks", json=SMALL).status_code == 201


def test_replicas_sharing_redis_share_the_limit(redis_server: RedisServer, tmp_path: Path):
    s = AppSettings(redis_url=redis_server.url, redis_prefix=f"{tmp_path.name}:", create_rate_per_minute=6,
                    create_burst=2)
    with TestClient(create_app(s)) as one, TestClient(create_app(s)) as other:
        assert isinstance(one.app.state.create_limiter, RedisLimiter)
        assert one.post(f"{API}/networks", json=SMALL).status_code == 201
        assert other.post(f"{API}/networks", json=SMALL).status_code == 201
        response = one.post(f"{API}/networks", json=SMALL)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "10"
