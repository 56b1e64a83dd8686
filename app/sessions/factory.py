"""The store the settings ask for."""

from __future__ import annotations

from ..config import AppSettings
from .base import SessionStore
from .cached import CachedStore
from .memory import MemoryStore


def store_kind(settings: AppSettings) -> str:
    return settings.store or ("redis" if settings.redis_url else "sqlite")


def make_store(settings: AppSettings) -> SessionStore:
    kind = store_kind(settings)
    bounds = (settings.max_sessions, settings.session_ttl_seconds)
    if kind == "memory":
        return MemoryStore(*bounds, lock_wait_seconds=settings.session_lock_wait_seconds,
                           max_bytes=settings.session_cache_bytes)  # its networks are all in this process
    store = _shared_store(kind, settings, bounds)
    store.cache_bytes = settings.session_cache_bytes
    return store


def _shared_store(kind: str, settings: AppSettings, bounds: tuple[int, int]) -> CachedStore:
    if kind == "sqlite":
        from .sqlite import SQLiteStore

        return SQLiteStore.in_dir(settings.data_dir, *bounds, cache_size=settings.session_cache_size,
                                  lock_wait_seconds=settings.session_lock_wait_seconds,
                                  max_bytes=settings.store_max_bytes)
    if not settings.redis_url:
        raise ValueError("BACKPROP_STORE=redis needs BACKPROP_REDIS_URL (e.g. redis://localhost:6379/0)")
    from .redis import RedisStore

    return RedisStore.from_url(settings.redis_url, *bounds, prefix=settings.redis_prefix,
                               lock_lease_seconds=settings.session_lock_lease_seconds,
                               cache_size=settings.session_cache_size,
                               lock_wait_seconds=settings.session_lock_wait_seconds,
                               max_bytes=settings.store_max_bytes)
