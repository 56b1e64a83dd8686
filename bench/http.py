"""HTTP: POST /step for the typical network over one keep-alive connection (p50, p99), beside a
trivial endpoint of the same app in the same run; then throughput under load with wrk.

    python -m bench.http
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import numpy as np

from bench.server import serve
from bench.sizes import SIZES

TYPICAL = SIZES["b"]
CREATE = json.dumps({"layer_sizes": list(TYPICAL.layer_sizes), "batch_size": TYPICAL.batch,
                     "dataset": {"name": "circle", "n_samples": 500, "seed": 1}, "init": {"seed": 1}})
HEADERS = {"content-type": "application/json"}


def create_sessions(port: int, n: int) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    ids = []
    for _ in range(n):
        conn.request("POST", "/api/v1/networks", CREATE, HEADERS)
        r = conn.getresponse()
        ids.append(json.loads(r.read())["id"])
    return ids


def latency(port: int, sid: str, n: int = 2000) -> dict[str, dict[str, float]]:
    """Interleave the three requests so that drift on a shared machine hits them alike."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    requests = {
        "trivial GET /healthz": ("GET", "/healthz", None),
        "POST /step (float64)": ("POST", f"/api/v1/networks/{sid}/step", b""),
        "POST /step?precision=compact": ("POST", f"/api/v1/networks/{sid}/step?precision=compact", b""),
    }
    times: dict[str, list[float]] = {k: [] for k in requests}
    for i in range(n + 100):
        for name, (method, path, body) in requests.items():
            t0 = time.perf_counter()
            conn.request(method, path, body, HEADERS)
            resp = conn.getresponse()
            resp.read()
            dt = time.perf_counter() - t0
            if resp.status != 200:
                raise RuntimeError(f"{name}: HTTP {resp.status}")
            if i >= 100:  # warm-up
                times[name].append(dt)
    return {k: {"p50_us": float(np.percentile(v, 50) * 1e6), "p99_us": float(np.percentile(v, 99) * 1e6)}
            for k, v in times.items()}


WRK_THREADS = 2  # (one thread measured the same here)

WRK_SCRIPT = """
-- Each wrk thread steps its own share of the networks, round robin: the requests in flight at
-- once (one per connection) are for different networks, as with one user per network.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  share = math.floor(#ids / tonumber(os.getenv("BENCH_THREADS")))
  counter = 0
end
request = function()
  counter = counter + 1
  local id = ids[first * share + (counter % share) + 1]
  return wrk.format("POST", "/api/v1/networks/" .. id .. "/step?precision=compact",
                    {["Content-Type"] = "application/json"}, "")
end
"""


def throughput(port: int, ids: list[str], seconds: int = 10, connections: int = 16) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "steps.lua")
        id_file = os.path.join(tmp, "ids.txt")
        with open(script, "w") as f:
            f.write(WRK_SCRIPT)
        with open(id_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        command = [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                   f"http://127.0.0.1:{port}"]
        env = {**os.environ, "BENCH_IDS": id_file, "BENCH_THREADS": str(WRK_THREADS)}
        out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    return {"steps_per_s": rps, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "none",
            "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")}


def interleaved(servers: dict[str, tuple[int, list[str]]], rounds: int, seconds: int) -> dict[str, dict]:
    """wrk against each server in turn, `rounds` times: the median of each (the machine drifts)."""
    runs: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(rounds):
        for name, (port, ids) in servers.items():
            runs[name].append(throughput(port, ids, seconds))
    return {name: {"steps_per_s": float(np.median([r["steps_per_s"] for r in rs])),
                   "p99_ms": float(np.median([r["p99_ms"] for r in rs])),
                   "non_2xx": sum(r["non_2xx"] for r in rs),
                   "socket_errors": ", ".join(sorted({r["socket_errors"] for r in rs}))}
            for name, rs in runs.items()}


def main() -> None:
    print(f"HTTP on loopback, size (b) {TYPICAL.note}")
    with serve(1, {"BACKPROP_STORE": "memory"}) as port:
        sid = create_sessions(port, 1)[0]
        lat = latency(port, sid)
    base = lat["trivial GET /healthz"]["p50_us"]
    print(f"{'request (one keep-alive connection)':<34}{'p50 µs':>10}{'p99 µs':>10}{'p50 / trivial':>15}")
    for name, v in lat.items():
        print(f"{name:<34}{v['p50_us']:>10.0f}{v['p99_us']:>10.0f}{v['p50_us'] / base:>15.2f}")

    # All three servers run at once and are measured in turn, so the ratios come from one run.
    with contextlib.ExitStack() as stack:
        servers = {}
        for name, workers, store in (("1 worker, memory store", 1, "memory"),
                                     ("1 worker, SQLite store", 1, "sqlite"),
                                     ("2 workers, SQLite store", 2, "sqlite")):
            data_dir = stack.enter_context(tempfile.TemporaryDirectory())
            port = stack.enter_context(serve(workers, {"BACKPROP_STORE": store, "BACKPROP_DATA_DIR": data_dir}))
            servers[name] = (port, create_sessions(port, 16))
        rounds, seconds = 3, 5
        result = interleaved(servers, rounds, seconds)
    print(f"\nThroughput, wrk -t{WRK_THREADS} -c16 over 16 sessions, compact POST /step for (b); median of {rounds} "
          f"interleaved {seconds} s runs per server (wrk runs on the same 2 cores):")
    one = result["1 worker, SQLite store"]["steps_per_s"]
    for name, r in result.items():
        ratio = f"  ({r['steps_per_s'] / one:.2f}× one SQLite worker)" if name.startswith("2") else ""
        print(f"  {name:<25}{r['steps_per_s']:>8,.0f} steps/s, p99 {r['p99_ms']:.1f} ms, non-2xx {r['non_2xx']}, "
              f"socket errors {r['socket_errors']}{ratio}")


if __name__ == "__main__":
    main()
