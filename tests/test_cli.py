"""The CLI serves the app believing forwarded headers only from the proxies BACKPROP_TRUSTED_PROXIES
names (none by default); the Docker image serves through it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sessions.conftest import free_port, wait_until_up  # the session store tests' helpers

ROOT = Path(__file__).resolve().parent.parent
LIMITED = {"BACKPROP_STORE": "memory", "BACKPROP_CREATE_BURST": "2", "BACKPROP_CREATE_RATE_PER_MINUTE": "0.01"}


@contextlib.contextmanager
def cli(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BACKPROP_", "FORWARDED_"))}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--port", str(port)], cwd=ROOT,
                                env={**environment, **env}, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, proc, log)
            yield base
        finally:
            proc.terminate()
            proc.wait(15)


def creations(base: str) -> list[int]:
    """Three creations, each claiming to come from another client through a proxy."""
    return [httpx.post(f"{base}/api/v1/networks", json={"dataset": {"n_samples": 20}},
                       headers={"x-forwarded-for": f"203.0.113.{i}"}, timeout=10).status_code for i in range(3)]


def test_forwarded_headers_from_localhost_are_not_believed_by_default():
    with cli(LIMITED) as base:
        assert creations(base) == [201, 201, 429]  # one client, 127.0.0.1, whatever the header says


@pytest.mark.parametrize("proxies", ["127.0.0.1", "127.0.0.0/8,10.0.0.1"])
def test_forwarded_headers_from_a_named_proxy_are_believed(proxies):
    with cli({**LIMITED, "BACKPROP_TRUSTED_PROXIES": proxies}) as base:
        assert creations(base) == [201, 201, 201]  # three clients behind the proxy, each with its budget


def test_the_docker_image_serves_through_the_cli():
    cmd = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")]
    assert cmd and cmd[-1].startswith('CMD ["backprop-playground"')


def test_the_cli_says_the_memory_bounds_it_serves_with(monkeypatch, capsys):
    from app import cli
    from app.config import AppSettings

    monkeypatch.setattr(cli, "get_settings", lambda: AppSettings(max_network_bytes=4 << 20,
                                                                 session_cache_bytes=512 << 20))
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **k: None)
    cli.main(["--workers", "2"])
    out = capsys.readouterr().out
    assert "a network up to 4 MiB, an answer up to 24 MiB, networks cached up to 512 MiB a worker × 2" in out
