"""Phase 7 of bench.load: oversize. Many networks of the largest legal size (imported: only an import
may bring that much data) on 4 workers sharing the SQLite store, stepped with big batches, some of
whose answers are never read; then each worker's peak memory (VmHWM) and the store's disk size,
beside the configured bounds (the defaults, unless BACKPROP_* variables say otherwise).

    python -m bench.oversize [--networks 48] [--seconds 30] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import orjson

from app.config import AppSettings
from bench.load import NO_CREATE_LIMIT, Client, children, is_worker, server_pids
from bench.server import serve
from bench.sizes import largest_legal


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def unread_step(port: int, sid: str, body: bytes) -> socket.socket:
    """A /step sent and its answer never read (a client that stalls): the server holds what it cannot send."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"POST /api/v1/networks/{sid}/step HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                 f"content-length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def oversize(networks: int, seconds: float, workers: int) -> None:
    settings = AppSettings()
    spec, data, trainer = largest_legal(settings=settings)
    doc = orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY)
    rows = data["inputs"]
    big = {"inputs": rows[:600].tolist(), "targets": data["targets"][:600].tolist()}  # within max_answer_bytes
    over = {"inputs": rows[:900].tolist(), "targets": data["targets"][:900].tolist()}  # over it: refused first
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"BACKPROP_STORE": "sqlite", "BACKPROP_DATA_DIR": data_dir, **NO_CREATE_LIMIT}
        with serve(workers, env) as port:
            supervisor, pids = server_pids(port)
            start = {pid: peak_rss_mib(pid) for pid in pids}
            ids: list[str] = []
            lock = threading.Lock()
            statuses: Counter[str] = Counter()

            def load(n: int) -> None:
                client = Client(port)
                for _ in range(n):
                    status, body = client.call_raw("POST", "/api/v1/networks/import", doc)
                    with lock:
                        statuses[f"import {status}"] += 1
                        if status == 201:
                            ids.append(json.loads(body)["id"])

            threads = [threading.Thread(target=load, args=(networks // 8,)) for _ in range(8)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            imported = time.perf_counter() - t0
            stalled = [unread_step(port, ids[i % len(ids)], orjson.dumps(big)) for i in range(12)]
            stop = time.monotonic() + seconds

            def step(seed: int) -> None:
                rng, client = random.Random(seed), Client(port)
                while time.monotonic() < stop:
                    sid, kind = rng.choice(ids), rng.choices(["next", "600 rows", "900 rows"], [7, 2, 1])[0]
                    body = {} if kind == "next" else big if kind == "600 rows" else over
                    status, _ = client.call("POST", f"/api/v1/networks/{sid}/step", body)
                    with lock:
                        statuses[f"step {kind} {status}"] += 1

            threads = [threading.Thread(target=step, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            pids = [pid for pid in children(supervisor) if is_worker(pid)]
            peaks = {pid: peak_rss_mib(pid) for pid in pids}
            for sock in stalled:
                sock.close()
        disk = sum(f.stat().st_size for f in Path(data_dir).glob("*"))
    mib = 2**20
    print(f"7. Oversize: {len(ids)} networks of the largest legal size ({trainer.n_train} rows, "
          f"{len(doc) / mib:.1f} MiB of export each) imported in {imported:.0f} s over {workers} workers, then "
          f"{seconds:.0f} s of steps with batches of 32, 600 and 900 rows (8 clients, 12 more never reading)")
    print("   answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    print(f"   bounds: max_network_bytes {settings.max_network_bytes / mib:.0f} MiB, max_answer_bytes "
          f"{settings.max_answer_bytes / mib:.0f} MiB, session_cache_bytes {settings.session_cache_bytes / mib:.0f} "
          f"MiB a worker, store_max_bytes {settings.store_max_bytes / mib:.0f} MiB")
    print("   worker peak RSS: " + ", ".join(f"{p:.0f} MiB" for p in peaks.values())
          + f" (at start {', '.join(f'{p:.0f}' for p in start.values())}); all {workers}: "
          f"{sum(peaks.values()) / 1024:.2f} GiB; store on disk {disk / mib:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--networks", type=int, default=48)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    oversize(args.networks, args.seconds, args.workers)


if __name__ == "__main__":
    main()
