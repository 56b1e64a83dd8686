"""The per-worker cache of decoded networks is bounded in bytes (CachedStore.cache_bytes, the setting
session_cache_bytes): a run that opens far more than fit keeps the cache within the bound, measured
by what the cached trainers really hold; the least recently used go first; a network that outgrows
the cache (a PATCH to a larger batch) is weighed again; an evicted network loads from the store. A
memory store, whose networks all live in the process, holds them within the bound too."""

from __future__ import annotations

import pytest

from app.config import AppSettings
from app.nn import OptimizerSettings
from app.nn.sizing import footprint, held_nbytes
from app.sessions import MemoryStore, SessionNotFound
from app.sessions.cached import CachedStore
from app.sessions.factory import make_store

from .conftest import StoreMaker, typical_trainer


def cached_ids(store: CachedStore) -> list[str]:
    return list(store._cache)  # least recently used first


def test_a_run_over_the_bound_keeps_the_cache_within_it_least_recently_used_first(shared_store: StoreMaker):
    store = shared_store()
    assert isinstance(store, CachedStore)
    one = footprint(typical_trainer()).total
    store.cache_bytes = 5 * one + one // 2  # room for five networks
    ids = [store.create(typical_trainer()) for _ in range(12)]
    for sid in ids:
        with store.open(sid) as trainer:
            trainer.step()
        held = sum(held_nbytes(live.trainer) for live in store._cache.values())
        assert store.cached_bytes <= store.cache_bytes and held <= store.cache_bytes
    assert cached_ids(store) == ids[-5:]

    with store.open(ids[-5], write=False):  # used: now the newest
        pass
    store.create(typical_trainer())
    assert ids[-5] in cached_ids(store) and ids[-4] not in cached_ids(store)

    with store.open(ids[0]) as trainer:  # evicted long ago: loaded from the store, as it was left
        assert trainer.step_count == 1
    assert cached_ids(store)[-1] == ids[0]


def test_a_network_is_weighed_again_after_a_change_and_one_larger_than_the_cache_is_not_kept(
        shared_store: StoreMaker):
    store = shared_store()
    assert isinstance(store, CachedStore)
    small = footprint(typical_trainer()).total
    store.cache_bytes = 3 * small
    ids = [store.create(typical_trainer()) for _ in range(3)]
    assert len(store._cache) == 3

    with store.open(ids[0]) as trainer:  # a batch of the whole set: each kept step its own copy of the data
        trainer.update(OptimizerSettings("adam", 0.01), batch_size=10_000)
        grown = footprint(trainer).total
    assert grown > 3 * small
    assert ids[0] not in cached_ids(store) and store.cached_bytes <= store.cache_bytes
    with store.open(ids[0]) as trainer:
        assert trainer.settings.batch_size == 10_000  # saved, though not kept decoded
    assert store.cached_bytes <= store.cache_bytes


def test_the_factory_gives_the_stores_the_setting(tmp_path):
    store = make_store(AppSettings(store="sqlite", data_dir=tmp_path, session_cache_bytes=12345))
    assert isinstance(store, CachedStore) and store.cache_bytes == 12345
    store.close()


def test_a_memory_store_holds_its_networks_within_the_bound_the_least_recently_used_going_first():
    one = footprint(typical_trainer()).total
    store = MemoryStore(1000, 3600, max_bytes=3 * one + one // 2)
    ids = [store.create(typical_trainer()) for _ in range(3)]
    with store.open(ids[0]):  # used: now the newest
        pass
    ids.append(store.create(typical_trainer()))
    assert len(store) == 3
    with pytest.raises(SessionNotFound):  # the least recently used went first: a clear 404 after
        store.open(ids[1]).__enter__()
    store.delete(ids[0])
    ids.append(store.create(typical_trainer()))
    assert len(store) == 3 and held_nbytes([e.trainer for e in store._entries.values()]) <= store.max_bytes
