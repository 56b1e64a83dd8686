"""Does a worker stay responsive while it works or waits? `/healthz` latency on one worker:

1. during a maximal `/train` on that same worker: the largest 2-input network, either with batch 1
   and the most steps a call may ask for, or with the largest batch and the most steps the work
   limit admits;
2. during a cross-worker lock wait: another process (this one, as a second worker would) holds a
   network's lock for two seconds while six `/step`s on it wait in the worker.

Each phase polls `/healthz` over its own keep-alive connection for as long as the work lasts and
prints p50, p99 and the maximum (target: p99 ≤ 50 ms). One worker, SQLite store in a temporary folder.

    python -m bench.responsive
"""

from __future__ import annotations

import http.client
import json
import re
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.sessions.sqlite import SQLiteStore
from bench.server import serve

HEADERS = {"content-type": "application/json"}
LARGEST_2D = {"layer_sizes": [2, *[32] * 8, 1], "init": {"seed": 1}, "optimizer": {"name": "adam"},
              "dataset": {"name": "circle", "n_samples": 5000, "seed": 2}}
# The longest /train calls the limits admit: the most steps (per-step overhead, the GIL held
# throughout), and the most work (large batches in NumPy).
MAXIMAL = {"the most steps": ({**LARGEST_2D, "batch_size": 1}, {"steps": 10_000, "eval_every": 1000}),
           "the most work": ({**LARGEST_2D, "batch_size": 5000}, None)}
TYPICAL = {"layer_sizes": [2, 8, 8, 8, 1], "batch_size": 10, "dataset": {"name": "circle", "n_samples": 300}}
HOLD_SECONDS = 2.0
TARGET_MS = 50.0


def call(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, None if body is None else json.dumps(body), HEADERS)
    response = conn.getresponse()
    status, raw = response.status, response.read()
    conn.close()
    return status, json.loads(raw) if raw else {}


def poll_health(port: int, busy: Callable[[], bool]) -> list[float]:
    """/healthz latencies (ms), one request after the other on one connection, while `busy()`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    while busy():
        started = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.002)
    conn.close()
    return latencies


def report(title: str, latencies: list[float], work: str) -> None:
    a = np.array(latencies)
    verdict = "ok" if np.percentile(a, 99) <= TARGET_MS else f"OVER the {TARGET_MS:g} ms target"
    print(f"{title:<34} /healthz n={len(a):>4}  p50 {np.percentile(a, 50):6.1f} ms  "
          f"p99 {np.percentile(a, 99):7.1f} ms  max {a.max():7.1f} ms  ({verdict}; {work})", flush=True)


def during_train(port: int, which: str) -> None:
    network, request = MAXIMAL[which]
    status, state = call(port, "POST", "/api/v1/networks", network)
    assert status == 201, state
    sid = state["id"]
    if request is None:
        status, refusal = call(port, "POST", f"/api/v1/networks/{sid}/train", {"steps": 10_000})
        assert status == 422, refusal  # the work limit says how many steps fit
        request = {"steps": int(re.search(r"at most about (\d+) steps", refusal["detail"]).group(1))}
    done = threading.Event()
    took: list[float] = []

    def train() -> None:
        started = time.perf_counter()
        code, body = call(port, "POST", f"/api/v1/networks/{sid}/train", request)
        took.append(time.perf_counter() - started)
        assert code == 200 and body["steps_run"] == request["steps"], body
        done.set()

    trainer = threading.Thread(target=train)
    trainer.start()
    latencies = poll_health(port, lambda: not done.is_set())
    trainer.join()
    batch = min(network["batch_size"], 2500)
    report(f"during /train, {which}", latencies, f"{request['steps']} steps of batch {batch} took {took[0]:.2f} s")


def during_lock_wait(port: int, data_dir: Path) -> None:
    status, state = call(port, "POST", "/api/v1/networks", TYPICAL)
    assert status == 201, state
    sid = state["id"]
    other_worker = SQLiteStore.in_dir(data_dir, 10_000, 3600)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other_worker.open(sid):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    codes: list[int] = []
    steppers = [threading.Thread(target=lambda: codes.append(call(port, "POST", f"/api/v1/networks/{sid}/step",
                                                                  {})[0])) for _ in range(6)]
    for s in steppers:
        s.start()
    threading.Timer(HOLD_SECONDS, release.set).start()
    latencies = poll_health(port, lambda: any(s.is_alive() for s in steppers))
    holder.join()
    for s in steppers:
        s.join()
    other_worker.close()
    report("during a cross-worker lock wait", latencies, f"6 steps waited {HOLD_SECONDS:g} s: {sorted(codes)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {"BACKPROP_DATA_DIR": folder, "BACKPROP_CREATE_RATE_PER_MINUTE": "0"}
        with serve(1, env) as port:
            for which in MAXIMAL:
                during_train(port, which)
            during_lock_wait(port, Path(folder))


if __name__ == "__main__":
    main()
