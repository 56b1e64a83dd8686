"""Every limit and default of the server in one settings object (env vars BACKPROP_*)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


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
    # Bodies
    max_body_bytes: int = 1 << 20  # 1 MiB
    max_import_bytes: int = 16 << 20  # an export carries weights, optimizer state and data
    # Sessions
    max_sessions: int = 10_000
    session_ttl_seconds: int = 3600
    # Cross-origin use by other tools; same-origin only when empty.
    cors_origins: list[str] = []


@lru_cache
def get_settings() -> AppSettings:
    return AppSettings()
