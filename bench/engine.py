"""Engine step time per reference size, beside a minimal NumPy step of the same maths.

The minimal step is the floor for NumPy: the same operations (tanh hidden layers, sigmoid output,
binary cross-entropy — softmax and cross-entropy for (d) — plain SGD), updating in place and
keeping nothing. The engine's step keeps every trace array and checks for divergence.

    python -m bench.engine
"""

from __future__ import annotations

import os

# Cap BLAS threads before NumPy loads: a step of these sizes gains nothing from threads, and
# several workers on one machine must not fight over cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from app.nn import InitSettings, OptimizerSettings, Settings, Trainer  # noqa: E402
from bench.sizes import SIZES, Size  # noqa: E402


def median_us(fn, repeat: int, warmup: int = 50) -> float:
    for _ in range(warmup):
        fn()
    times = np.empty(repeat)
    for i in range(repeat):
        t0 = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - t0
    return float(np.median(times) * 1e6)


def make_trainer(size: Size) -> Trainer:
    multiclass = size.layer_sizes[-1] > 1
    n_in = size.layer_sizes[0]
    rng = np.random.default_rng(0)
    n = max(4 * size.batch, 200)
    x = rng.normal(size=(n, n_in))
    if multiclass:
        t = np.eye(size.layer_sizes[-1])[rng.integers(0, size.layer_sizes[-1], n)]
    else:
        t = (x[:, :1] * x[:, 1:2] > 0).astype(float)
    settings = Settings(
        layer_sizes=list(size.layer_sizes), activation="tanh",
        output_activation="softmax" if multiclass else "sigmoid",
        loss="cross_entropy" if multiclass else "binary_cross_entropy",
        init=InitSettings(seed=1), optimizer=OptimizerSettings("sgd", 0.03),
        dataset=None, batch_size=size.batch)
    return Trainer(settings, data={"inputs": x, "targets": t})


def minimal_step_fn(size: Size):
    """The same maths with nothing extra: forward, loss, backward, in-place SGD."""
    trainer = make_trainer(size)
    Ws = [w.copy() for w in trainer.network.weights]
    bs = [b.copy() for b in trainer.network.biases]
    x = trainer.data.train_inputs[: size.batch]
    t = trainer.data.train_targets[: size.batch]
    softmax_out = size.layer_sizes[-1] > 1
    lr, batch, L = 0.03, size.batch, len(Ws)

    def step() -> float:
        acts = [x]
        a = x
        for W, b in zip(Ws[:-1], bs[:-1]):
            a = np.tanh(a @ W + b)  # (batch, n_out)
            acts.append(a)
        z = a @ Ws[-1] + bs[-1]  # (batch, n_out)
        if softmax_out:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
            loss = float(np.mean(np.log(e.sum(axis=1)) + z.max(axis=1) - (t * z).sum(axis=1)))
        else:
            y = 1.0 / (1.0 + np.exp(-z))
            loss = float(np.mean((np.logaddexp(0.0, z) - t * z).sum(axis=1)))
        delta = y - t  # (batch, n_out): δ of the output
        for l in range(L - 1, -1, -1):
            grad_w = acts[l].T @ delta / batch  # (n_in, n_out)
            grad_b = delta.mean(axis=0)
            if l:
                delta = (delta @ Ws[l].T) * (1.0 - acts[l] * acts[l])  # (batch, n_in)
            Ws[l] -= lr * grad_w
            bs[l] -= lr * grad_b
        return loss

    return step


def run(repeat: int = 2000) -> list[dict]:
    rows = []
    for size in SIZES.values():
        reps = repeat if size.key != "d" else max(200, repeat // 10)
        floor = median_us(minimal_step_fn(size), reps)
        trainer = make_trainer(size)
        engine = median_us(trainer.step, reps)
        rows.append({"size": size.key, "shape": "-".join(map(str, size.layer_sizes)), "batch": size.batch,
                     "engine_us": engine, "numpy_floor_us": floor, "ratio": engine / floor})
    return rows


def main() -> None:
    print("Engine: one full step (forward, loss, backward, update, every trace array kept), median µs")
    print(f"{'size':<5}{'shape':<22}{'batch':>6}{'engine µs':>12}{'NumPy floor µs':>16}{'ratio':>8}")
    for r in run():
        print(f"{r['size']:<5}{r['shape']:<22}{r['batch']:>6}{r['engine_us']:>12.1f}{r['numpy_floor_us']:>16.1f}"
              f"{r['ratio']:>8.2f}")


if __name__ == "__main__":
    main()
