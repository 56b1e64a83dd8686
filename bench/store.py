"""The session stores' cost per request for the playground's typical network (2-8-8-8-1, batch 10).

    python -m bench.store [--n 5000]

For each store (memory; SQLite in a temporary folder; Redis on a redis-server this script starts on
a free loopback port, when the binary is there), the median of:

- open+save: an empty `with store.open(id):` block (lock, version check, save, unlock), in µs;
- read: an empty `with store.open(id, write=False):` block;
- step added: `with store.open(id) as t: t.step()` minus a bare `t.step()` (the figure the issue's
  ≤ 0.1 ms target is about);
- other worker: open+save when another store instance (another worker process) saved last, so the
  state is loaded before the block (the cost of requests alternating between workers).

With --http, also the p50 of POST /step (body {}, as the page sends) over one keep-alive connection
to a one-worker server per store, the servers' requests interleaved so that drift on a shared
machine hits them alike: the store's cost as a client sees it.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from app.config import AppSettings
from app.nn import DatasetSettings, InitSettings, Settings, Trainer
from app.sessions import MemoryStore, SessionStore
from app.sessions.redis import RedisStore
from app.sessions.sqlite import SQLiteStore
from bench.engine import median_us
from bench.server import free_port
from bench.sizes import SIZES

TYPICAL = SIZES["b"]


def typical_trainer() -> Trainer:
    return Trainer(Settings(layer_sizes=list(TYPICAL.layer_sizes), batch_size=TYPICAL.batch,
                            init=InitSettings(seed=1), dataset=DatasetSettings(seed=1)))


def measure(store: SessionStore, other: SessionStore | None, n: int) -> dict[str, float]:
    sid = store.create(typical_trainer())

    def write() -> None:
        with store.open(sid):
            pass

    def read() -> None:
        with store.open(sid, write=False):
            pass

    def step() -> None:
        with store.open(sid) as trainer:
            trainer.step()

    bare = typical_trainer()
    out = {"open+save": median_us(write, n), "read": median_us(read, n),
           "step": median_us(step, n), "bare step": median_us(bare.step, n)}
    out["step added"] = out["step"] - out["bare step"]
    if other is not None:
        def alternate() -> None:
            with other.open(sid):
                pass
            with store.open(sid):
                pass

        out["other worker"] = median_us(alternate, n // 2) / 2
    return out


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str | None]:
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        client = RedisStore.from_url(url, 10, 60).client
        for _ in range(100):
            with contextlib.suppress(Exception):
                if client.ping():
                    break
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def http_step_p50(envs: dict[str, dict[str, str]], n: int) -> dict[str, float]:
    from bench.http import STEP_BODY, connect, create_sessions, exchange, formatted
    from bench.server import serve

    with contextlib.ExitStack() as stack:
        socks, requests = {}, {}
        for name, env in envs.items():
            port = stack.enter_context(serve(1, {**env, "BACKPROP_CREATE_RATE_PER_MINUTE": "0"}))
            sid = create_sessions(port, 1)[0]
            socks[name] = stack.enter_context(connect(port))
            requests[name] = formatted("POST", f"/api/v1/networks/{sid}/step", STEP_BODY)
        times: dict[str, list[float]] = {name: [] for name in envs}
        for i in range(n + 100):
            for name, sock in socks.items():
                t0 = time.perf_counter()
                status = exchange(sock, requests[name], "POST")
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}")
                if i >= 100:
                    times[name].append(time.perf_counter() - t0)
    return {name: float(np.median(t)) * 1e6 for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="timed repetitions per figure")
    parser.add_argument("--http", action="store_true", help="also POST /step through a server per store")
    args = parser.parse_args()
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as url:
        rows["memory"] = measure(MemoryStore(10_000, 3600), None, args.n)
        bound = AppSettings().store_max_bytes  # the bound in bytes is on, as in the app
        sqlite = [SQLiteStore.in_dir(tmp, 10_000, 3600, max_bytes=bound) for _ in range(2)]
        rows["sqlite"] = measure(sqlite[0], sqlite[1], args.n)
        if url is None:
            print("redis-server not found: no Redis figures (apt-get install redis-server)")
        else:
            redis = [RedisStore.from_url(url, 10_000, 3600, max_bytes=bound) for _ in range(2)]
            rows["redis"] = measure(redis[0], redis[1], args.n)
    print(f"Session store cost per request, {TYPICAL.note}; median µs over {args.n} runs")
    columns = ["open+save", "read", "step added", "other worker", "bare step"]
    print(f"{'store':<8}" + "".join(f"{c:>14}" for c in columns))
    for name, row in rows.items():
        print(f"{name:<8}" + "".join(f"{row[c]:>14.1f}" if c in row else f"{'-':>14}" for c in columns))
    if args.http:
        with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as url:
            envs = {"memory": {"BACKPROP_STORE": "memory"},
                    "sqlite": {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": tmp}}
            if url is not None:
                envs["redis"] = {"BACKPROP_STORE": "redis", "BACKPROP_REDIS_URL": url}
            p50 = http_step_p50(envs, args.n // 2)
        print(f"\nPOST /step over HTTP (one worker per store), median µs over {args.n // 2} requests each")
        for name, value in p50.items():
            print(f"{name:<8}{value:>10.0f}   added to memory: {value - p50['memory']:>6.0f}")


if __name__ == "__main__":
    main()
