"""An optimizer race of five on the issue's networks (circle, batch 10, tanh, sigmoid output): steps per
second per racer, through the engine (`train_race`) and through HTTP (POST /races/train), and whether a
stacked computation would pay: the forward and backward passes of all five racers as one batched matmul
per layer (racers share every mini-batch) against five separate passes, with the largest difference
between the two.

    python -m bench.race [--steps 200] [--calls 15]
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
from app.nn.race import default_racers, racers, train_race  # noqa: E402
from bench.train import NETWORKS, best_rate, spec  # noqa: E402


def race_of(hidden: list[int]) -> list[Trainer]:
    first = Trainer(Settings(layer_sizes=[2, *hidden, 1], activation="tanh", batch_size=10,
                             init=InitSettings(seed=1), dataset=DatasetSettings("circle", seed=1)))
    optimizers = default_racers()
    first.update(optimizers[0])
    return racers(first, optimizers)


def separate(race: list[Trainer], x: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """Each racer's forward and backward pass, as the engine runs them."""
    out = []
    for r in race:
        fwd = r.network.forward(x)
        out.append(r.network.backward(x, t, fwd).grad_flat)
    return out


def stacked(ws: list[np.ndarray], bs: list[np.ndarray], x: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """The same passes for all racers at once: ws[l] is (racers, n_in, n_out), bs[l] (racers, 1, n_out);
    tanh hidden layers, a sigmoid output with binary cross-entropy (δ = y − t at the output)."""
    batch = len(x)
    acts = [x]
    for l, (w, b) in enumerate(zip(ws, bs)):
        z = np.matmul(acts[-1], w) + b  # (racers, batch, n_out)
        acts.append(1.0 / (1.0 + np.exp(-z)) if l == len(ws) - 1 else np.tanh(z))
    grad_z = acts[-1] - t  # (racers, batch, n_L)
    grads_w, grads_b = [], []
    for l in range(len(ws) - 1, -1, -1):
        a_prev = acts[l]
        grads_w.append(np.matmul(np.swapaxes(a_prev, -1, -2), grad_z) / batch)  # (racers, n_in, n_out)
        grads_b.append(grad_z.sum(axis=-2) / batch)  # (racers, n_out)
        if l:
            grad_z = np.matmul(grad_z, np.swapaxes(ws[l], -1, -2)) * (1.0 - a_prev * a_prev)
    grads_w.reverse()
    grads_b.reverse()
    n = len(ws[0])
    return [np.concatenate([g[i].ravel() for g in grads_w] + [g[i] for g in grads_b]) for i in range(n)]


def compare(hidden: list[int], repeat: int) -> tuple[float, float, float]:
    race = race_of(hidden)
    x, t, *_ = race[0].batches.peek(10)
    ws = [np.stack(layer) for layer in zip(*(r.network.weights for r in race))]
    bs = [np.stack(layer)[:, None, :] for layer in zip(*(r.network.biases or [] for r in race))]
    apart, together = separate(race, x, t), stacked(ws, bs, x, t)
    error = max(float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300))) for a, b in zip(apart, together))
    return (best_rate(lambda: separate(race, x, t), 1, repeat), best_rate(lambda: stacked(ws, bs, x, t), 1, repeat),
            error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--calls", type=int, default=15)
    args = parser.parse_args()
    client = TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=0)))
    print(f"{'network':8} {'engine steps/s/racer':>21} {'HTTP steps/s/racer':>19} {'5 passes /s':>12} "
          f"{'stacked /s':>11} {'max rel diff':>13}")
    for name, hidden in NETWORKS.items():
        race = race_of(hidden)
        engine = best_rate(lambda: train_race(race, args.steps), args.steps, args.calls)  # noqa: B023
        ids = [r["id"] for r in client.post("/api/v1/races", json={"network": spec(hidden)}).json()["racers"]]
        body = {"racers": ids, "steps": args.steps}
        http = best_rate(lambda: client.post("/api/v1/races/train", json=body).raise_for_status(),  # noqa: B023
                         args.steps, args.calls)
        apart, together, error = compare(hidden, 2000)
        print(f"{name:8} {engine:21,.0f} {http:19,.0f} {apart:12,.0f} {together:11,.0f} {error:13.1e}", flush=True)


if __name__ == "__main__":
    main()
