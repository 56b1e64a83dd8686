"""/train's steps per second on the issue's three networks (circle, 500 samples, half for training,
batch 10, tanh, sigmoid output, SGD at 0.03, seeds fixed): the engine's loop alone, and the whole
HTTP call (in-process ASGI, the memory store), as the page's play mode asks for it. Rates are per
second of this process's CPU time (see best_rate).

    python -m bench.train [--steps 200] [--calls 30]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app.config import AppSettings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.nn import DatasetSettings, InitSettings, Settings, Trainer  # noqa: E402

NETWORKS = {"4,2": [4, 2], "8,8,8": [8, 8, 8], "8×6": [8] * 6}


def spec(hidden: list[int]) -> dict[str, object]:
    return {"layer_sizes": [2, *hidden, 1], "activation": "tanh", "batch_size": 10,
            "init": {"seed": 1}, "optimizer": {"name": "sgd", "learning_rate": 0.03},
            "dataset": {"name": "circle", "n_samples": 500, "train_fraction": 0.5, "seed": 1}}


def best_rate(run, steps: int, calls: int) -> float:
    """Steps per second of the median call, in this process's CPU time: on a machine shared with other
    work, wall time measures the others too (the in-process HTTP calls run in this process as well)."""
    run()
    times = []
    for _ in range(calls):
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    return steps / float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    client = TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=0)))
    print(f"{'network':8} {'engine steps/s':>15} {'HTTP /train steps/s':>20}   ({args.steps} steps a call)")
    for name, hidden in NETWORKS.items():
        engine, http = rates(client, hidden, args.steps, args.calls)
        print(f"{name:8} {engine:15,.0f} {http:20,.0f}", flush=True)


def rates(client: TestClient, hidden: list[int], steps: int, calls: int) -> tuple[float, float]:
    """Steps per second of the engine's loop and of the HTTP call, on one network."""
    trainer = Trainer(Settings(layer_sizes=[2, *hidden, 1], activation="tanh", batch_size=10,
                               init=InitSettings(seed=1), dataset=DatasetSettings("circle", seed=1)))
    engine = best_rate(lambda: trainer.train(steps), steps, calls)
    nid = client.post("/api/v1/networks", json=spec(hidden)).json()["id"]

    def call() -> None:
        client.post(f"/api/v1/networks/{nid}/train", json={"steps": steps}).raise_for_status()

    return engine, best_rate(call, steps, calls)

if __name__ == "__main__":
    main()
