"""Load and faults, on loopback only, bounded in time.

1. Mixed traffic (create, step, train, boundary, export, get) at 32 connections for 60 s against
   two workers sharing the SQLite store: errors counted, p50/p99 per kind.
2. A worker killed mid-load: the other worker keeps serving; afterwards every network is still
   there, at the step the client counted, and steps on.
3. A restart: every network is still there at the same step.
4. Memory: 10,000 networks created (and expired) with small bounds; the servers' memory sampled.
5. Redis stopped: a clear 503; started again: service resumes with the network intact.
6. Redis stalled (SIGSTOP): steps answer 503 within its deadline while /healthz keeps answering;
   resumed (SIGCONT): service resumes.
7. Oversize (bench/oversize.py): networks of the largest legal size, big batches, answers never read;
   each worker's peak memory and the store's disk size beside the configured bounds.

    python -m bench.load [--seconds 60] [--connections 32]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.server import free_port, serve

HEADERS = {"content-type": "application/json"}
NETWORK = {"layer_sizes": [2, 8, 8, 8, 1], "batch_size": 10, "dataset": {"name": "circle", "n_samples": 300}}
NO_CREATE_LIMIT = {"BACKPROP_CREATE_RATE_PER_MINUTE": "0"}


class Client:
    """One keep-alive connection; reconnects after a failure."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        return self.call_raw(method, path, None if body is None else json.dumps(body).encode())

    def call_raw(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body, HEADERS)
            resp = self.conn.getresponse()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, b""


def create(client: Client) -> str:
    status, body = client.call("POST", "/api/v1/networks", NETWORK)
    if status != 201:
        raise RuntimeError(f"create failed: {status} {body[:200]!r}")
    return json.loads(body)["id"]


class Traffic:
    """Each connection owns its networks and counts the steps it applied to them."""

    MIX = [("step", 50), ("train", 15), ("boundary", 12), ("export", 8), ("get", 10), ("create", 5)]

    def __init__(self, port: int, connections: int):
        self.port = port
        self.connections = connections
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.steps: dict[str, int] = {}  # network id -> updates the client saw applied
        self.unknown: dict[str, int] = defaultdict(int)  # updates whose answer was lost (may or may not apply)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def worker(self, seed: int) -> None:
        rng = random.Random(seed)
        client = Client(self.port)
        mine = [create(client)]
        with self.lock:
            self.steps[mine[0]] = 0
        kinds, weights = zip(*self.MIX)
        while not self.stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            sid = rng.choice(mine)
            t0 = time.perf_counter()
            if kind == "step":
                status, _ = client.call("POST", f"/api/v1/networks/{sid}/step?precision=compact", {})
                applied = 1
            elif kind == "train":
                status, _ = client.call("POST", f"/api/v1/networks/{sid}/train", {"steps": 20})
                applied = 20
            elif kind == "boundary":
                status, _ = client.call("GET", f"/api/v1/networks/{sid}/boundary?resolution=40&hidden_resolution=16")
            elif kind == "export":
                status, _ = client.call("GET", f"/api/v1/networks/{sid}/export")
            elif kind == "get":
                status, _ = client.call("GET", f"/api/v1/networks/{sid}")
            else:
                status, body = client.call("POST", "/api/v1/networks", NETWORK)
                if status == 201:
                    new = json.loads(body)["id"]
                    mine.append(new)
                    with self.lock:
                        self.steps[new] = 0
            dt = time.perf_counter() - t0
            with self.lock:
                if 200 <= status < 300:
                    self.latency[kind].append(dt)
                    if kind in ("step", "train"):
                        self.steps[sid] += applied
                else:
                    self.errors[kind] += 1
                    if kind in ("step", "train") and status == 0:  # no answer: applied or not, unknown
                        self.unknown[sid] += applied

    def run(self, seconds: float, during=None) -> None:
        threads = [threading.Thread(target=self.worker, args=(i,)) for i in range(self.connections)]
        for t in threads:
            t.start()
        if during is not None:
            during()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join()

    def report(self, title: str) -> None:
        total = sum(len(v) for v in self.latency.values())
        print(f"{title}: {total:,} requests answered, errors: {dict(self.errors) or 'none'}")
        print(f"  {'kind':<10}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}")
        for kind, values in sorted(self.latency.items()):
            print(f"  {kind:<10}{len(values):>8}{np.percentile(values, 50) * 1e3:>9.1f}"
                  f"{np.percentile(values, 99) * 1e3:>9.1f}")
        every = [v for values in self.latency.values() for v in values]
        print(f"  {'all':<10}{len(every):>8}{np.percentile(every, 50) * 1e3:>9.1f}"
              f"{np.percentile(every, 99) * 1e3:>9.1f}")


def check_networks(port: int, expected_steps: dict[str, int], unknown: dict[str, int] | None = None
                   ) -> tuple[int, int]:
    """How many networks are there at the step the client counted (give or take the updates whose
    answer was lost), and how many are missing or elsewhere."""
    client = Client(port)
    good = bad = 0
    for sid, steps in expected_steps.items():
        status, body = client.call("GET", f"/api/v1/networks/{sid}")
        slack = (unknown or {}).get(sid, 0)
        if status == 200 and steps <= json.loads(body)["step"] <= steps + slack:
            good += 1
        else:
            bad += 1
    return good, bad


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def is_worker(pid: int) -> bool:
    """A uvicorn worker, not multiprocessing's resource tracker (also a child of the supervisor)."""
    return "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def server_pids(port: int) -> tuple[int, list[int]]:
    """The uvicorn supervisor listening on `port` and its workers (found by its command line)."""
    out = subprocess.run(["pgrep", "-f", "--", f"--port {port}"], capture_output=True, text=True).stdout.split()
    supervisor = min(int(p) for p in out)
    return supervisor, [pid for pid in children(supervisor) if is_worker(pid)]


def mixed_traffic(seconds: float, connections: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": data_dir, **NO_CREATE_LIMIT}
        with serve(2, env) as port:
            traffic = Traffic(port, connections)
            traffic.run(seconds)
            traffic.report(f"1. Mixed traffic, {seconds:.0f} s, {connections} connections, 2 workers, SQLite")
            good, bad = check_networks(port, traffic.steps)
            print(f"  networks at the step the client counted: {good} of {good + bad}")


def worker_killed_and_restart(connections: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": data_dir, **NO_CREATE_LIMIT}
        with serve(2, env) as port:
            supervisor, workers = server_pids(port)
            traffic = Traffic(port, connections)

            def kill_one() -> None:
                time.sleep(5)
                os.kill(workers[0], signal.SIGKILL)
                print(f"2. Killed worker {workers[0]} after 5 s of load (the other: {workers[1:]})")

            traffic.run(10, during=kill_one)
            traffic.report("   Load around the kill (requests in flight on the killed worker may fail)")
            good, bad = check_networks(port, traffic.steps, traffic.unknown)
            print(f"   networks there, at the step the client counted (+ steps whose answer the kill lost): "
                  f"{good} of {good + bad}")
            client = Client(port)
            stepped = sum(client.call("POST", f"/api/v1/networks/{sid}/step")[0] == 200 for sid in traffic.steps)
            print(f"   networks that step on afterwards: {stepped} of {len(traffic.steps)}")
            before = {sid: json.loads(client.call("GET", f"/api/v1/networks/{sid}")[1])["step"]
                      for sid in traffic.steps}
        with serve(2, env) as port:
            good, bad = check_networks(port, before)
            print(f"3. After a restart: {good} of {good + bad} networks there at the same step")


def memory_bound() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": data_dir, "BACKPROP_MAX_SESSIONS": "1000",
               "BACKPROP_SESSION_TTL_SECONDS": "20", "BACKPROP_SESSION_CACHE_SIZE": "200", **NO_CREATE_LIMIT}
        with serve(2, env) as port:
            supervisor, _ = server_pids(port)
            pids = [supervisor, *children(supervisor)]
            start = rss_mib(pids)
            samples = [start]
            created = 0
            lock = threading.Lock()

            def make(n: int) -> None:
                nonlocal created
                client = Client(port)
                for _ in range(n):
                    create(client)
                    with lock:
                        created += 1

            threads = [threading.Thread(target=make, args=(1250,)) for _ in range(8)]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                time.sleep(1)
                samples.append(rss_mib(pids))
            for t in threads:
                t.join()
            db = sum(f.stat().st_size for f in Path(data_dir).glob("*"))
            print(f"4. Created {created:,} networks (at most 1,000 kept, idle ones expire after 20 s): "
                  f"server memory {start:.0f} MiB at start, {max(samples):.0f} MiB at most, "
                  f"{samples[-1]:.0f} MiB at the end; data folder {db / 2**20:.1f} MiB")


def redis_command(phase: int, folder: str, rport: int) -> list[str] | None:
    """The command that runs redis-server on `rport` with its files in `folder` (None: not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        print(f"{phase}. skipped: redis-server is not installed (apt-get install redis-server)")
        return None
    return [binary, "--port", str(rport), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes",
            "--save", ""]


def redis_env(rport: int) -> dict[str, str]:
    return {"BACKPROP_STORE": "redis", "BACKPROP_REDIS_URL": f"redis://127.0.0.1:{rport}/0", **NO_CREATE_LIMIT}


def redis_outage() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rport = free_port()
        cmd = redis_command(5, folder, rport)
        if cmd is None:
            return

        def start_redis() -> subprocess.Popen:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
            time.sleep(0.5)
            return proc

        redis_proc = start_redis()
        env = redis_env(rport)
        try:
            with serve(1, env) as port:
                client = Client(port)
                sid = create(client)
                client.call("POST", f"/api/v1/networks/{sid}/step")
                redis_proc.terminate()
                redis_proc.wait()
                status, body = client.call("POST", f"/api/v1/networks/{sid}/step")
                print(f"5. Redis stopped: HTTP {status}: {json.loads(body).get('detail') if body else body!r}")
                redis_proc = start_redis()
                status, body = client.call("POST", f"/api/v1/networks/{sid}/step")
                step = json.loads(body).get("step") if status == 200 else None
                print(f"   Redis back: HTTP {status}, the network continues at step {step}")
        finally:
            redis_proc.terminate()
            redis_proc.wait()


def redis_stalled() -> None:
    """Redis alive but not answering (SIGSTOP): how long a step takes to answer 503, and /healthz's
    latency on the same worker meanwhile (targets: 503 within 2 s, /healthz within 100 ms)."""
    with tempfile.TemporaryDirectory() as folder:
        rport = free_port()
        cmd = redis_command(6, folder, rport)
        if cmd is None:
            return
        redis_proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            with serve(1, redis_env(rport)) as port:
                client = Client(port)
                sid = create(client)
                client.call("POST", f"/api/v1/networks/{sid}/step")
                redis_proc.send_signal(signal.SIGSTOP)
                answers: list[tuple[int, float]] = []

                def step() -> None:
                    started = time.perf_counter()
                    status, _ = Client(port).call("POST", f"/api/v1/networks/{sid}/step")
                    answers.append((status, time.perf_counter() - started))

                steppers = [threading.Thread(target=step) for _ in range(4)]
                for t in steppers:
                    t.start()
                health, probe = [], Client(port)
                while any(t.is_alive() for t in steppers):
                    started = time.perf_counter()
                    probe.call("GET", "/healthz")
                    health.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.005)
                ready, _ = probe.call("GET", "/readyz")
                print(f"6. Redis stalled (SIGSTOP): 4 steps answered {sorted(s for s, _ in answers)} after "
                      f"{min(t for _, t in answers):.2f}–{max(t for _, t in answers):.2f} s; /readyz {ready}; "
                      f"/healthz meanwhile n={len(health)} p50 {np.percentile(health, 50):.1f} ms, "
                      f"p99 {np.percentile(health, 99):.1f} ms, max {max(health):.1f} ms")
                redis_proc.send_signal(signal.SIGCONT)
                time.sleep(1.1)  # past the moment of failing fast
                status, body = client.call("POST", f"/api/v1/networks/{sid}/step")
                step_count = json.loads(body).get("step") if status == 200 else None
                print(f"   Redis resumed: HTTP {status}, the network continues at step {step_count}")
        finally:
            redis_proc.send_signal(signal.SIGCONT)
            redis_proc.terminate()
            redis_proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    mixed_traffic(args.seconds, args.connections)
    worker_killed_and_restart(args.connections)
    memory_bound()
    redis_outage()
    redis_stalled()
    from bench.oversize import oversize

    oversize(48, 30, 4)


if __name__ == "__main__":
    main()
