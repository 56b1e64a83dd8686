"""HTTP: POST /step for the typical network over one keep-alive connection (p50, p99), beside a
trivial endpoint of the same app in the same run; then throughput under load with wrk.

    python -m bench.http
"""

from __future__ import annotations

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


WRK_SCRIPT = """
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
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
        out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                              f"http://127.0.0.1:{port}"], capture_output=True, text=True,
                             env={**os.environ, "BENCH_IDS": id_file}, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    return {"steps_per_s": rps, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "none",
            "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")}


def main() -> None:
    print(f"HTTP on loopback, size (b) {TYPICAL.note}")
    with serve(1, {"BACKPROP_STORE": "memory"}) as port:
        sid = create_sessions(port, 1)[0]
        lat = latency(port, sid)
        base = lat["trivial GET /healthz"]["p50_us"]
        print(f"{'request (one keep-alive connection)':<34}{'p50 µs':>10}{'p99 µs':>10}{'p50 / trivial':>15}")
        for name, v in lat.items():
            print(f"{name:<34}{v['p50_us']:>10.0f}{v['p99_us']:>10.0f}{v['p50_us'] / base:>15.2f}")
        ids = create_sessions(port, 16)
        one = throughput(port, ids)
    print("\nThroughput, wrk -t2 -c16 over 16 sessions, compact POST /step for (b):")
    print(f"  1 worker (memory store):  {one['steps_per_s']:>8,.0f} steps/s, p99 {one['p99_ms']:.1f} ms, "
          f"non-2xx {one['non_2xx']}, socket errors {one['socket_errors']}")
    for store in ("sqlite",):
        with tempfile.TemporaryDirectory() as data_dir:
            env = {"BACKPROP_STORE": store, "BACKPROP_DATA_DIR": data_dir}
            with serve(1, env) as port:
                single = throughput(port, create_sessions(port, 16))
            with serve(2, env) as port:
                double = throughput(port, create_sessions(port, 16))
        print(f"  1 worker ({store} store):  {single['steps_per_s']:>8,.0f} steps/s, p99 {single['p99_ms']:.1f} ms, "
              f"non-2xx {single['non_2xx']}, socket errors {single['socket_errors']}")
        print(f"  2 workers ({store} store): {double['steps_per_s']:>8,.0f} steps/s, p99 {double['p99_ms']:.1f} ms, "
              f"non-2xx {double['non_2xx']}, socket errors {double['socket_errors']}  "
              f"({double['steps_per_s'] / single['steps_per_s']:.2f}× one worker)")


if __name__ == "__main__":
    main()
