"""The Redis store's bytes of stored networks (redis_scripts.py; issue 14, failure 4): counted exactly,
bounded (least recently used removed first, and said so when asked for), kept right by deletions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sessions import SessionNotFound
from app.sessions.redis import RedisStore

from .conftest import RedisServer, StoreMaker, still_stored, typical_trainer

BOUND = 150_000  # bytes of values: the first network below with twenty kept steps, and a few more


@pytest.fixture
def redis_store(redis_server: RedisServer, tmp_path: Path) -> Iterator[StoreMaker]:
    maker = StoreMaker("redis", tmp_path, redis_server.url)
    yield maker
    maker.close()


def counted(store: RedisStore) -> int:
    return int(store.client.get(f"{store.prefix}bytes") or 0)


def measured(store: RedisStore) -> int:
    """The bytes of the values of every stored network, read from Redis itself."""
    total = 0
    for key in store.client.scan_iter(f"{store.prefix}s:*"):
        total += sum(len(value) for field, value in store.client.hgetall(key).items() if field != b"version")
    return total


def test_the_bound_holds_under_a_run_that_exceeds_it_least_recently_used_first(redis_store: StoreMaker):
    store = redis_store(max_bytes=BOUND)
    ids = []
    for _ in range(25):
        ids.append(store.create(typical_trainer("adam")))
        with store.open(ids[0]) as trainer:  # the first keeps being used, and its kept steps grow
            trainer.step()
        assert counted(store) == measured(store) <= BOUND

    live = still_stored(store, ids)
    assert 2 <= len(live) < 10
    assert live == [ids[0], *ids[-len(live) + 1:]]


def test_deleted_and_expired_networks_are_counted_out(redis_store: StoreMaker):
    store = redis_store(ttl_seconds=1, max_bytes=BOUND)
    ids = [store.create(typical_trainer()) for _ in range(3)]
    assert store.delete(ids[0])
    with pytest.raises(SessionNotFound) as gone, store.open(ids[0]):
        pass
    assert not gone.value.removed_for_room  # deleted, not removed for room
    assert counted(store) == measured(store) > 0
    time.sleep(1.1)  # the other two expire in Redis
    store.create(typical_trainer())  # a creation counts out the expired ones
    assert counted(store) == measured(store)
    assert store.client.hlen(f"{store.prefix}sizes") == 1


def test_without_a_bound_the_bytes_are_counted_and_nothing_removed(redis_store: StoreMaker):
    store = redis_store()
    ids = [store.create(typical_trainer()) for _ in range(10)]
    for _ in range(3):
        with store.open(ids[0]) as trainer:
            trainer.step()
    assert counted(store) == measured(store)
    with store.open(ids[0]) as trainer:  # a reset deletes the kept steps
        trainer.reset()
    assert counted(store) == measured(store)
    with store.open(ids[0]) as trainer:
        trainer.update(batch_size=40)  # kept steps of another size replace them
        trainer.step()
    assert counted(store) == measured(store)
    assert len(store) == 10
