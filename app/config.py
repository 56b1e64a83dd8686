"""Every limit and default of the server in one settings object (env vars BACKPROP_*).

An app uses the object it was made with (create_app(settings), kept in app.state.settings): the
limits are checked against it by app.api.limits on every request, never read at import time.
get_settings() is only the default for an app made without one (from the environment).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from pydantic_settings import BaseSettings, SettingsConfigDict

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30}


def parse_bytes(value: Any) -> Any:
    """A size in bytes, as a number or with a binary unit: "4194304", "4MiB", "512 MiB", "2GiB" (K, M, G
    are the same binary units)."""
    if not isinstance(value, str):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", value)
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _UNITS:
        raise ValueError(f"{value!r} is not a size in bytes: write e.g. 16777216, 16MiB or 2GiB")
    return int(match.group(1)) * _UNITS[unit]


Bytes = Annotated[int, BeforeValidator(parse_bytes)]  # a setting in bytes (units allowed)


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_")

    # Network size
    max_hidden_layers: int = 8
    max_units: int = 32  # per hidden or output layer
    max_inputs: int = 64
    # Data and work per call
    max_samples: int = 5000
    max_batch_size: int = 5000
    max_train_steps: int = 10_000  # per /train call
    max_boundary_resolution: int = 100
    max_abs_value: float = 1e6  # every number in a request
    # steps × (batch + evaluated samples / eval_every) × parameters, for /train: keeps any legal
    # call to a few seconds on one core (about 4 ns per unit measured for the playground's sizes).
    max_train_work: int = 600_000_000
    # resolution² × parameters of one /boundary (and /train's boundary): bounds the grid's forward
    # pass (the largest network at N = 100 is about 1e8, a tenth of a second in float32).
    max_boundary_work: int = 200_000_000
    # Bounds in bytes (app.api.byte_limits), checked from shapes before any work, and at create, import
    # and PATCH, so that no accepted network makes every later request fail. The defaults keep 4
    # workers within 2 GiB (see the README's serving section for sizing them from measured figures).
    # The memory a network holds at most: parameters, optimizer slots, data and a full ring of kept
    # steps with their batches (app.nn.sizing.footprint).
    max_network_bytes: Bytes = 16 << 20  # 16 MiB
    # The size of any answer (a step's trace, /train, an explanation, a download, a race...): a
    # request whose answer would be larger is refused (422 answer_too_large, naming what to lower).
    max_answer_bytes: Bytes = 24 << 20  # 24 MiB (a race's path may answer a million numbers)
    # Bodies
    max_body_bytes: Bytes = 1 << 20  # 1 MiB
    max_import_bytes: Bytes = 16 << 20  # an export carries weights, optimizer state and data
    # Sessions
    max_sessions: int = 10_000  # the least recently used is evicted beyond this
    session_ttl_seconds: int = 3600  # idle time after which a network is removed
    # Bytes of stored networks (sqlite: the database pages they fill; redis: their values' bytes), the
    # least recently used removed beyond this. The default keeps the SQLite store within 2 GiB of disk
    # (with its write-ahead log, at most 64 MiB, and its version table, 4 MiB).
    store_max_bytes: Bytes = 1792 << 20  # 1.75 GiB
    # Where sessions live: "sqlite" (a file in data_dir, shared by the workers of one machine),
    # "redis" (shared by replicas on many hosts) or "memory" (one process, lost on restart).
    # Unset: "redis" when redis_url is set, else "sqlite".
    store: Literal["memory", "sqlite", "redis"] | None = None
    data_dir: Path = Path("data")
    redis_url: str | None = None  # e.g. redis://localhost:6379/0
    redis_prefix: str = "backprop:"  # key prefix, so several servers can share one Redis
    # The decoded networks each worker keeps (sqlite, redis), least recently used evicted first: at most
    # this many bytes (each network counted at its footprint, as max_network_bytes measures it)...
    session_cache_bytes: Bytes = 128 << 20  # 128 MiB
    session_cache_size: int = 1000  # ...and at most this many networks
    session_lock_wait_seconds: float = 10.0  # a request waits this long for a busy network, then 409
    session_lock_lease_seconds: float = 30.0  # redis: a crashed holder's lock lapses after this
    # Creating networks (POST /networks, /networks/import): a token bucket per client address.
    # Per worker process, or shared by all when sessions are in Redis. 0 turns the limit off.
    create_rate_per_minute: float = 60.0
    create_burst: int = 30
    # Cross-origin use by other tools; same-origin only when empty.
    cors_origins: list[str] = []
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, as uvicorn's
    # --forwarded-allow-ips takes them: comma-separated addresses or networks ("10.0.0.5,10.1.0.0/16").
    # Empty (the default): none, so a client's own address counts (e.g. for the creation limit) and no
    # header can change it. Read by the CLI (and so the Docker image), which starts uvicorn.
    trusted_proxies: str = ""


@lru_cache
def get_settings() -> AppSettings:
    return AppSettings()
