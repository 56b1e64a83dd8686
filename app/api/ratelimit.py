"""A token bucket per client: how many networks one client may create (so that no one client can
evict a whole class's networks from a bounded store).

Each client's bucket holds up to `burst` tokens and refills at `rate_per_minute`; creating a
network takes one. An empty bucket refuses with RateLimited, which says when a token will be back.
`MemoryLimiter` counts per process (with several workers each has its own buckets, so a client gets
up to workers × the limit); `RedisLimiter` shares the buckets of every worker and replica.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import redis

from ..sessions.redis import RedisStore, unreachable_is_unavailable


class RateLimited(Exception):
    def __init__(self, retry_after: float):
        super().__init__(f"rate limited; retry after {retry_after:.1f} s")
        self.retry_after = retry_after


class Limiter:
    def take(self, client: str) -> None:
        """Spend one of the client's tokens, or raise RateLimited."""


class MemoryLimiter(Limiter):
    def __init__(self, rate_per_minute: float, burst: int, *, max_clients: int = 100_000,
                 clock: Callable[[], float] = time.monotonic):
        self.rate = rate_per_minute / 60.0  # tokens per second
        self.burst = burst
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, when)
        self._guard = threading.Lock()

    def take(self, client: str) -> None:
        now = self._clock()
        with self._guard:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                raise RateLimited((1.0 - tokens) / self.rate)
            self._buckets[client] = (tokens - 1.0, now)
            while len(self._buckets) > self.max_clients:  # the longest idle: nearly full again anyway
                self._buckets.popitem(last=False)


# KEYS: bucket. ARGV: tokens per µs, burst. Returns µs to wait (0: a token was taken).
TAKE = """
local now = redis.call('TIME')
now = now[1] * 1000000 + now[2]
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'when')
local tokens = tonumber(saved[1]) or burst
local when = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - when) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'when', now)  -- numbers: Redis writes them exactly
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate / 1000) + 1000)
return wait
"""


class RedisLimiter(Limiter):
    def __init__(self, client: redis.Redis, rate_per_minute: float, burst: int, *, prefix: str = "backprop:"):
        self.rate_per_us = rate_per_minute / 60e6
        self.burst = burst
        self.prefix = prefix
        self._take = client.register_script(TAKE)

    def take(self, client: str) -> None:
        with unreachable_is_unavailable():
            wait_us = int(self._take(keys=[f"{self.prefix}rate:{client}"], args=[repr(self.rate_per_us), self.burst]))
        if wait_us > 0:
            raise RateLimited(wait_us / 1e6)


class Unlimited(Limiter):
    def take(self, client: str) -> None:
        return None


def make_limiter(rate_per_minute: float, burst: int, store: object) -> Limiter:
    """Shared through Redis when the sessions are; per process otherwise."""
    if rate_per_minute <= 0:
        return Unlimited()
    if isinstance(store, RedisStore):
        return RedisLimiter(store.client, rate_per_minute, burst, prefix=store.prefix)
    return MemoryLimiter(rate_per_minute, burst)


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
