"""Start the app in a uvicorn subprocess on a free loopback port, for the HTTP benchmarks; and read
the CPU time a process tree has used (to see where the cores went under load)."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc)."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except FileNotFoundError:  # it has just exited
        return total
    return total + sum(cpu_seconds(child) for child in children)


@contextlib.contextmanager
def serve(workers: int = 1, env: dict[str, str] | None = None, root: Path = ROOT) -> Iterator[int]:
    with serve_process(workers, env, root) as (port, _):
        yield port


@contextlib.contextmanager
def serve_process(workers: int = 1, env: dict[str, str] | None = None, root: Path = ROOT
                  ) -> Iterator[tuple[int, int]]:
    """(port, pid of the server process) while it runs; `root` is the checkout whose app it serves (another
    one's, e.g. an older commit's, to compare with)."""
    port = free_port()
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=root, env=environment)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        time.sleep(0.3 * workers)  # let every worker come up
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
