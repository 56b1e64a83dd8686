"""Fixtures for every test folder.

- `live_server`: the app served by uvicorn in a subprocess on a free loopback port, one per session,
  with the default store (SQLite) in a folder of its own and a creation limit raised for tests (the
  browser tests, the generated clients and the walk-through talk to it over real HTTP).
- `tool_missing(message)`: what a test does when a tool it drives is not installed: fail, saying how
  to install it (the README's test command runs every test; none may skip, in CI or elsewhere).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_health(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with code {proc.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1.0) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the app did not answer {url}/healthz within {timeout:.0f} s")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # Server errors go to a file, not a pipe: a full pipe would block the server.
    # The default store (SQLite) in a folder of its own; the tests create networks faster than a
    # person, so the per-client creation limit is raised for them.
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BACKPROP_DATA_DIR": data_dir, "BACKPROP_CREATE_RATE_PER_MINUTE": "6000",
               "BACKPROP_CREATE_BURST": "1000"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, env=env,
        )
        try:
            try:
                _wait_for_health(url, proc)
            except RuntimeError as exc:
                proc.terminate()
                proc.wait(timeout=10)
                log.seek(0)
                pytest.fail(f"{exc}\n{log.read().decode(errors='replace')[-4000:]}", pytrace=False)
            yield url
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture(scope="session")
def tool_missing() -> Callable[[str], NoReturn]:
    def missing(message: str) -> NoReturn:
        pytest.fail(message, pytrace=False)

    return missing
