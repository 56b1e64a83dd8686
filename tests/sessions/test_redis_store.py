"""What only the Redis store does: lock leases, its keys' expiry, failing fast when Redis hangs."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.sessions import SessionBusy, StoreUnavailable
from app.sessions.redis import RedisStore

from .conftest import RedisServer, StoreMaker, typical_trainer


@pytest.fixture
def redis_store(redis_server: RedisServer, tmp_path: Path) -> Iterator[StoreMaker]:
    maker = StoreMaker("redis", tmp_path, redis_server.url)
    yield maker
    maker.close()


def test_a_holder_that_outlives_its_lease_saves_nothing(redis_store: StoreMaker):
    slow = redis_store(lock_lease_seconds=0.2)
    other = redis_store.again(lock_lease_seconds=30)
    sid = slow.create(typical_trainer())
    with pytest.raises(SessionBusy), slow.open(sid) as trainer:
        trainer.step()
        time.sleep(0.3)  # the lease lapses; another worker takes the lock and saves a step
        with other.open(sid) as theirs:
            theirs.step()
            theirs.step()
    with slow.open(sid, write=False) as trainer:
        assert trainer.step_count == 2  # the newer state, not overwritten by the late holder


def test_keys_expire_in_redis_after_the_idle_time(redis_store: StoreMaker):
    store = redis_store(ttl_seconds=60)
    sid = store.create(typical_trainer())
    client = store.client
    ttl_ms = client.pttl(f"{store.prefix}s:{sid}")
    assert 59_000 < ttl_ms <= 60_000
    with store.open(sid) as trainer:
        trainer.step()
    assert client.exists(f"{store.prefix}lock:{sid}") == 0  # released after the save
    assert client.zscore(f"{store.prefix}lru", sid) is not None


def test_a_hanging_redis_answers_unavailable_at_once_for_a_moment():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        client = redis.Redis(port=silent.getsockname()[1], socket_timeout=0.3, socket_connect_timeout=0.3,
                             retry=Retry(NoBackoff(), 0))
        store = RedisStore(client, 10, 60)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable), store.open("some-id"):
            pass
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        with pytest.raises(StoreUnavailable), store.open("some-id"):
            pass
        assert time.monotonic() - started < 0.1  # failing fast: the event loop is not held up again
        store.close()
