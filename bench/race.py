"""An optimizer race of five on the issue's networks (circle, batch 10, tanh, sigmoid output): steps per
second per racer through the engine, one racer after the other (bit for bit lone networks) and stacked
(one batched product per layer for all racers: stacked.py), and through HTTP (POST /races/train).

    python -m bench.race [--steps 200] [--calls 15]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from app.config import AppSettings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.nn import DatasetSettings, InitSettings, Settings, Trainer  # noqa: E402
from app.nn.race import default_racers, racers, train_race  # noqa: E402
from bench.train import NETWORKS, best_rate, spec  # noqa: E402


def race_of(hidden: list[int]) -> list[Trainer]:
    first = Trainer(Settings(layer_sizes=[2, *hidden, 1], activation="tanh", batch_size=10,
                             init=InitSettings(seed=1), dataset=DatasetSettings("circle", seed=1)))
    optimizers = default_racers()
    first.update(optimizers[0])
    return racers(first, optimizers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--calls", type=int, default=15)
    args = parser.parse_args()
    client = TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=0)))
    print(f"{'network':8} {'one by one':>11} {'stacked':>9} {'HTTP':>7}   (steps/s per racer, 5 racers, "
          f"{args.steps} steps a call)")
    for name, hidden in NETWORKS.items():
        alone, together = race_of(hidden), race_of(hidden)
        rates = []
        for _ in range(3):  # interleaved, so that both see the same machine; the best of three
            rates.append((best_rate(lambda: train_race(alone, args.steps, stacked=False), args.steps, args.calls),  # noqa: B023
                          best_rate(lambda: train_race(together, args.steps), args.steps, args.calls)))  # noqa: B023
        ids = [r["id"] for r in client.post("/api/v1/races", json={"network": spec(hidden)}).json()["racers"]]
        body = {"racers": ids, "steps": args.steps}
        http = best_rate(lambda: client.post("/api/v1/races/train", json=body).raise_for_status(),  # noqa: B023
                         args.steps, args.calls)
        print(f"{name:8} {max(r[0] for r in rates):11,.0f} {max(r[1] for r in rates):9,.0f} {http:7,.0f}", flush=True)


if __name__ == "__main__":
    main()
