"""Every benchmark, one after the other: `python -m bench` (about three minutes on 2 cores).

Each section prints its own table; the figures of one section come from one run, so a ratio is
never taken across runs on a machine whose speed drifts. The 60-second load and fault run is
separate: `python -m bench.load`.
"""

from __future__ import annotations

import importlib
import sys
import time

SECTIONS = [
    ("bench.engine", "engine step vs the NumPy floor, sizes (a)–(e)"),
    ("bench.encoding", "encoding a step trace"),
    ("bench.boundary", "decision boundary maps"),
    ("bench.store", "what each session store adds to a step"),
    ("bench.http", "HTTP latency and throughput"),
    ("bench.responsive", "/healthz while a worker trains or waits for a lock"),
    ("bench.browser", "play mode in headless Chromium"),
]


def main() -> None:
    for module, title in SECTIONS:
        print(f"\n=== {title} ({module}) ===", flush=True)
        started = time.perf_counter()
        sys.argv = [module]  # each section's own defaults
        importlib.import_module(module).main()
        print(f"({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
