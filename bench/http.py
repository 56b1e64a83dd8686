"""HTTP: POST /step for the typical network over one keep-alive connection (p50, p99), beside a
trivial endpoint of the same app in the same run; then throughput under load with wrk.

Every step sends the body `{}`, as the page does, to one worker on the default (SQLite) store.

    python -m bench.http              # latency, then throughput
    python -m bench.http --latency    # latency only (about twenty seconds)
    python -m bench.http --parts      # where a step's time goes: the same requests in this process
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import time

import numpy as np

from bench.server import cpu_seconds, serve, serve_process
from bench.sizes import SIZES

TYPICAL = SIZES["b"]
CREATE = json.dumps({"layer_sizes": list(TYPICAL.layer_sizes), "batch_size": TYPICAL.batch,
                     "dataset": {"name": "circle", "n_samples": 500, "seed": 1}, "init": {"seed": 1}})
HEADERS = {"content-type": "application/json"}
STEP_BODY = b"{}"  # what the page sends with every step

# The latency targets of issue 10: each step's p50 at most this many times the trivial endpoint's.
TRIVIAL = "trivial GET /healthz"
TARGETS = {"POST /step {} (float64)": 1.5, "POST /step?precision=compact {}": 1.3}


def create_sessions(port: int, n: int) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    ids = []
    for _ in range(n):
        conn.request("POST", "/api/v1/networks", CREATE, HEADERS)
        r = conn.getresponse()
        ids.append(json.loads(r.read())["id"])
    return ids


def formatted(method: str, path: str, body: bytes | None) -> bytes:
    """An HTTP/1.1 request as bytes, formatted once (as wrk does)."""
    length = f"content-length: {len(body)}\r\n" if body is not None else ""
    head = f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n{length}\r\n"
    return head.encode() + (body or b"")


def connect(port: int) -> socket.socket:
    """One keep-alive connection to the server on loopback."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def exchange(sock: socket.socket, request: bytes, method: str) -> int:
    """Send `request` in one write, as Chromium and wrk send small requests (http.client would send a
    body in a second packet, which wakes the server twice for what a page sends once); read the answer."""
    sock.sendall(request)
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    response.read()
    return response.status


def latency(port: int, sid: str, n: int = 2000) -> dict[str, dict[str, float]]:
    """Interleave the three requests so that drift on a shared machine hits them alike."""
    requests = {
        TRIVIAL: ("GET", "/healthz", None),
        "POST /step {} (float64)": ("POST", f"/api/v1/networks/{sid}/step", STEP_BODY),
        "POST /step?precision=compact {}": ("POST", f"/api/v1/networks/{sid}/step?precision=compact", STEP_BODY),
    }
    raw = {name: (formatted(*request), request[0]) for name, request in requests.items()}
    times: dict[str, list[float]] = {k: [] for k in requests}
    with connect(port) as sock:
        for i in range(n + 100):
            for name, (request, method) in raw.items():
                t0 = time.perf_counter()
                status = exchange(sock, request, method)
                dt = time.perf_counter() - t0
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}")
                if i >= 100:  # warm-up
                    times[name].append(dt)
    return {k: {"p50_us": float(np.percentile(v, 50) * 1e6), "p99_us": float(np.percentile(v, 99) * 1e6)}
            for k, v in times.items()}


WRK_SCRIPT = """
-- Each wrk thread steps its own share of the networks, round robin. The requests are formatted once,
-- so that the load generator spends as little as it can of the cores it shares with the server.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  local share = math.floor(#ids / tonumber(os.getenv("BENCH_THREADS")))
  requests = {}
  for k = 1, share do
    requests[k] = wrk.format("POST", "/api/v1/networks/" .. ids[first * share + k] .. "/step?precision=compact",
                             {["Content-Type"] = "application/json"}, "{}")
  end
  counter = 0
end
request = function()
  counter = counter % #requests + 1
  return requests[counter]
end
"""

# How the 16 connections share the 16 networks. wrk's connections within one thread share that
# thread's request function, so "one network per connection" takes one thread per connection.
PATTERNS = {
    # One browser tab: one user, one network, its requests over one keep-alive connection, which
    # stays with one worker process.
    "own": {"threads": 16, "what": "each connection steps its own network (one user per tab)"},
    # The worst case for the workers' caches: consecutive steps of a network arrive on different
    # connections, so they alternate between the workers and each reloads the other's save.
    "shared": {"threads": 2, "what": "8 networks round robin over 8 connections per wrk thread"},
}


# wrk's priority (nice). Here the load generator shares the server's 2 cores; at normal priority it
# takes CPU the workers would have on a real deployment, where clients run on other machines. At
# nice 19 the workers are served first and wrk still keeps its 16 connections busy (the figures at
# normal priority are printed too).
WRK_NICE = 19


def throughput(port: int, server_pid: int, ids: list[str], pattern: str, nice: int = WRK_NICE, seconds: int = 5,
               connections: int = 16) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: apt-get install wrk")
    threads = PATTERNS[pattern]["threads"]
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "steps.lua")
        id_file = os.path.join(tmp, "ids.txt")
        with open(script, "w") as f:
            f.write(WRK_SCRIPT)
        with open(id_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        command = ["nice", "-n", str(nice), wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                   "-s", script, f"http://127.0.0.1:{port}"]
        env = {**os.environ, "BENCH_IDS": id_file, "BENCH_THREADS": str(threads)}
        server_before, wrk_before, started = cpu_seconds(server_pid), children_cpu_seconds(), time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        out, err = proc.communicate()
        elapsed = time.perf_counter() - started
        server_cores = (cpu_seconds(server_pid) - server_before) / elapsed
        wrk_cores = (children_cpu_seconds() - wrk_before) / elapsed  # wrk is the only child waited for
        if proc.returncode != 0:
            raise RuntimeError(f"wrk failed: {err}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    return {"steps_per_s": rps, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "none",
            "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
            "server_cores": server_cores, "wrk_cores": wrk_cores, "cpu_us_per_step": server_cores / rps * 1e6}


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleaved(runs_of: dict[tuple, tuple[int, int, list[str], str, int]], rounds: int, seconds: int
                ) -> dict[tuple, dict]:
    """wrk against each (server, pattern, nice) in turn, `rounds` times: the median of each (the machine drifts)."""
    runs: dict[tuple, list[dict]] = {name: [] for name in runs_of}
    for _ in range(rounds):
        for name, (port, pid, ids, pattern, nice) in runs_of.items():
            runs[name].append(throughput(port, pid, ids, pattern, nice, seconds))

    def median(rs: list[dict], key: str) -> float:
        return float(np.median([r[key] for r in rs]))

    return {name: {"steps_per_s": median(rs, "steps_per_s"), "p99_ms": median(rs, "p99_ms"),
                   "server_cores": median(rs, "server_cores"), "wrk_cores": median(rs, "wrk_cores"),
                   "cpu_us_per_step": median(rs, "cpu_us_per_step"),
                   "non_2xx": sum(r["non_2xx"] for r in rs),
                   "socket_errors": ", ".join(sorted({r["socket_errors"] for r in rs}))}
            for name, rs in runs.items()}


def print_latency() -> None:
    print(f"HTTP on loopback, size (b) {TYPICAL.note}; one worker, SQLite store (the default)")
    with tempfile.TemporaryDirectory() as data_dir, serve(1, {"BACKPROP_DATA_DIR": data_dir}) as port:
        sid = create_sessions(port, 1)[0]
        lat = latency(port, sid)
    base = lat[TRIVIAL]["p50_us"]
    print(f"{'request (one keep-alive connection)':<36}{'p50 µs':>10}{'p99 µs':>10}{'p50 / trivial':>15}{'target':>9}")
    for name, v in lat.items():
        target = f"≤ {TARGETS[name]:.1f}" if name in TARGETS else ""
        print(f"{name:<36}{v['p50_us']:>10.0f}{v['p99_us']:>10.0f}{v['p50_us'] / base:>15.2f}{target:>9}")


def asgi_call(app, method: str, path: str, query: bytes = b"", body: bytes | None = None):
    """One request straight into the ASGI app (no server, no socket); returns an awaitable of its body."""
    headers = [(b"host", b"127.0.0.1")]
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def receive() -> dict:
        return {"type": "http.request", "body": body or b"", "more_body": False}

    async def call() -> bytes:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] not in (200, 201):
            raise RuntimeError(f"{method} {path}: HTTP {sent[0]['status']}")
        return b"".join(m.get("body", b"") for m in sent[1:])

    return call


def print_parts(n: int = 2000) -> None:
    """The latency table's requests through the app in this process, interleaved, beside the step's
    parts timed alone on a second network of the same spec: the engine's step, the same step opened
    and saved in the SQLite store (its save writes the state and the step's kept record), and each
    encoding of a trace. What the parts leave of a request is its own handling: middleware, routing,
    reading the body, making the response."""
    from app.api.routes.training import encode
    from app.config import AppSettings
    from app.main import create_app
    from app.sessions.codec import dump_base, load_base

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(AppSettings(store="sqlite", data_dir=data_dir))
        loop = asyncio.new_event_loop()
        sid, other = (json.loads(loop.run_until_complete(asgi_call(app, "POST", "/api/v1/networks",
                                                                   body=CREATE.encode())()))["id"] for _ in range(2))
        store = app.state.store
        step_path = f"/api/v1/networks/{sid}/step"
        with store.open(other, write=False) as trainer:
            twin = load_base(dump_base(trainer))  # the same network, outside the store
        trace = twin.step()

        def stored_step() -> None:
            with store.open(other) as trainer:
                trainer.step()

        requests = {
            TRIVIAL: asgi_call(app, "GET", "/healthz"),
            "POST /step {} (float64)": asgi_call(app, "POST", step_path, body=STEP_BODY),
            "POST /step?precision=compact {}": asgi_call(app, "POST", step_path, b"precision=compact", STEP_BODY),
        }
        parts = {
            "engine: Trainer.step": twin.step,
            "the step opened and saved in SQLite": stored_step,
            "encoding (float64)": lambda: encode(trace, "float64"),
            "encoding (compact)": lambda: encode(trace, "compact"),
        }
        times: dict[str, list[int]] = {k: [] for k in [*requests, *parts]}
        for i in range(n + 100):
            for name, call in requests.items():
                t0 = time.perf_counter_ns()
                loop.run_until_complete(call())
                if i >= 100:
                    times[name].append(time.perf_counter_ns() - t0)
            for name, part in parts.items():
                t0 = time.perf_counter_ns()
                part()
                if i >= 100:
                    times[name].append(time.perf_counter_ns() - t0)
        loop.close()
        store.close()
    p50 = {k: float(np.median(v)) / 1e3 for k, v in times.items()}
    print(f"\nIn one process (the ASGI app called directly: no server, no socket), size (b), SQLite store; "
          f"p50 µs of {n} interleaved rounds")
    for name in [*requests, *parts]:
        print(f"  {name:<38}{p50[name]:>8.1f}")
    stored = p50["the step opened and saved in SQLite"]
    print(f"  the store's part (stored step − engine){stored - p50['engine: Trainer.step']:>8.1f}")
    for precision, name in (("float64", "POST /step {} (float64)"), ("compact", "POST /step?precision=compact {}")):
        rest = p50[name] - stored - p50[f"encoding ({precision})"]
        print(f"  {precision}: the request's own handling (the step less its parts) {rest:.1f} µs, "
              f"/healthz {p50[TRIVIAL]:.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__.splitlines()[0])
    parser.add_argument("--latency", action="store_true", help="only the latency over one connection")
    parser.add_argument("--parts", action="store_true", help="only where a step's time goes, in this process")
    args = parser.parse_args()
    if args.parts:
        print_parts()
        return
    print_latency()
    if args.latency:
        return

    # All three servers run at once and are measured in turn, so the ratios come from one run.
    with contextlib.ExitStack() as stack:
        servers = {}
        for name, workers, store in (("1 worker, memory", 1, "memory"), ("1 worker, SQLite", 1, "sqlite"),
                                     ("2 workers, SQLite", 2, "sqlite")):
            data_dir = stack.enter_context(tempfile.TemporaryDirectory())
            port, pid = stack.enter_context(serve_process(workers, {"BACKPROP_STORE": store,
                                                                    "BACKPROP_DATA_DIR": data_dir}))
            servers[name] = (port, pid, create_sessions(port, 16))
        # Every server with one network per connection; the SQLite servers also with the networks shared
        # between connections, and with wrk at normal priority.
        plan = [("own", WRK_NICE), ("shared", WRK_NICE), ("own", 0)]
        runs_of = {(name, pattern, nice): (*servers[name], pattern, nice) for pattern, nice in plan for name in servers
                   if (pattern, nice) == plan[0] or "SQLite" in name}
        rounds, seconds = 3, 5
        result = interleaved(runs_of, rounds, seconds)
    print(f"\nThroughput: wrk -c16 over 16 networks, compact POST /step for (b); median of {rounds} interleaved "
          f"{seconds} s runs each. wrk runs on the same 2 cores; 'server cores' and 'wrk cores' are the CPU each "
          "used, 'CPU/step' the server's divided by the steps.")
    for pattern, nice in plan:
        info = PATTERNS[pattern]
        print(f"  {pattern}: {info['what']} (wrk -t{info['threads']}, nice {nice})")
        one = result[("1 worker, SQLite", pattern, nice)]["steps_per_s"]
        for (name, p, n), r in result.items():
            if (p, n) != (pattern, nice):
                continue
            ratio = f"  {r['steps_per_s'] / one:.2f}× one SQLite worker" if name.startswith("2") else ""
            print(f"    {name:<19}{r['steps_per_s']:>8,.0f} steps/s  p99 {r['p99_ms']:5.1f} ms  "
                  f"server cores {r['server_cores']:.2f}  wrk cores {r['wrk_cores']:.2f}  "
                  f"CPU/step {r['cpu_us_per_step']:4.0f} µs  non-2xx {r['non_2xx']}  "
                  f"socket errors {r['socket_errors']}{ratio}")


if __name__ == "__main__":
    main()
