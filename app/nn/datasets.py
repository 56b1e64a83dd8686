"""Seeded dataset generators, one signature: (rng, n_samples, noise) -> (inputs, labels).

The 2-D sets follow TensorFlow Playground's published definitions (src/dataset.ts):
classification labels are ±1 there and become 0/1 (or ±1 for a tanh output) here;
regression labels lie in [-1, 1]. `noise` is a fraction in [0, 0.5].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import EngineError

Array = NDArray[np.float64]
Generator = Callable[[np.random.Generator, int, float], tuple[Array, Array]]


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    # The label is decided on the jittered point: noise flips labels near the rim.
    label = np.where(np.hypot(*(x + jitter).T) < radius * 0.5, 1.0, -1.0)
    return x, label[:, None]


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    x = rng.uniform(-5, 5, (n, 2))
    x += np.where(x > 0, 0.3, -0.3)  # padding keeps points off the axes
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    p = x + jitter
    label = np.where(p[:, 0] * p[:, 1] >= 0, 1.0, -1.0)
    return x, label[:, None]


def _gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    variance = 0.5 + noise / 0.5 * 3.5  # noise 0..0.5 -> variance 0.5..4
    half = n // 2
    pos = rng.normal(2.0, np.sqrt(variance), (half, 2))
    neg = rng.normal(-2.0, np.sqrt(variance), (n - half, 2))
    label = np.concatenate([np.ones(half), -np.ones(n - half)])
    return np.concatenate([pos, neg]), label[:, None]


def _spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    half = n // 2
    parts, labels = [], []
    for count, delta, label in ((half, 0.0, 1.0), (n - half, np.pi, -1.0)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * np.pi + delta
        x = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (count, 2)) * noise
        parts.append(x)
        labels.append(np.full(count, label))
    return np.concatenate(parts), np.concatenate(labels)[:, None]


def _plane(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    x = rng.uniform(-6, 6, (n, 2))
    p = x + rng.uniform(-6, 6, (n, 2)) * noise
    return x, ((p[:, 0] + p[:, 1]) / 10.0)[:, None]  # x+y in [-10, 10] -> [-1, 1], unclamped


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multi_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    x = rng.uniform(-6, 6, (n, 2))
    p = x + rng.uniform(-6, 6, (n, 2)) * noise
    d = np.hypot(p[:, None, 0] - _GAUSSIANS[None, :, 0], p[:, None, 1] - _GAUSSIANS[None, :, 1])
    values = _GAUSSIANS[None, :, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)  # (n, 6)
    # The strongest bump wins; ties and all-zero rows keep the first (as the original).
    label = values[np.arange(n), np.abs(values).argmax(axis=1)]
    return x, label[:, None]


def _sine(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    x = rng.uniform(-np.pi, np.pi, (n, 1))
    return x, np.sin(x) + noise * rng.normal(0.0, 1.0, (n, 1))


_CLUSTER_CENTRES = 3.0 * np.array([[np.cos(a), np.sin(a)] for a in np.deg2rad([90.0, 210.0, 330.0])])


def _three_class(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    labels = np.arange(n) % 3
    x = _CLUSTER_CENTRES[labels] + rng.normal(0.0, 0.8 + 4.0 * noise, (n, 2))
    return x, np.eye(3)[labels]


def _worked_example(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, Array]:
    return np.array([[2.0]]), np.array([[4.0]])


@dataclass(frozen=True)
class DatasetKind:
    name: str
    task: str  # "binary" (labels ±1), "multiclass" (one-hot), "regression"
    n_inputs: int
    n_targets: int
    extent: tuple[float, float]  # the input plane drawn for pictures, per axis
    description: str
    make: Generator


DATASETS: dict[str, DatasetKind] = {
    d.name: d
    for d in (
        DatasetKind("circle", "binary", 2, 1, (-6.0, 6.0), "a disc inside a ring", _circle),
        DatasetKind("xor", "binary", 2, 1, (-6.0, 6.0), "opposite quadrants share a class", _xor),
        DatasetKind("gauss", "binary", 2, 1, (-6.0, 6.0), "two Gaussian clouds", _gauss),
        DatasetKind("spiral", "binary", 2, 1, (-6.0, 6.0), "two interleaved spirals", _spiral),
        DatasetKind("plane", "regression", 2, 1, (-6.0, 6.0), "a tilted plane, t = (x1 + x2) / 10", _plane),
        DatasetKind("multi_gauss", "regression", 2, 1, (-6.0, 6.0), "six Gaussian bumps of either sign",
                    _multi_gauss),
        DatasetKind("sine", "regression", 1, 1, (-np.pi, np.pi), "t = sin x on [−π, π]", _sine),
        DatasetKind("three_class", "multiclass", 2, 3, (-6.0, 6.0), "three Gaussian clusters, one-hot",
                    _three_class),
        DatasetKind("worked_example", "regression", 1, 1, (0.0, 4.0),
                    "the single sample x = 2, t = 4 of the classic worked example", _worked_example),
    )
}


# The natural loss of each kind of task; the output activation follows from it (losses.natural_output).
TASK_LOSSES: dict[str, str] = {
    "binary": "binary_cross_entropy",  # labels 0/1, one sigmoid unit
    "multiclass": "cross_entropy",  # one-hot labels, softmax units
    "regression": "mse",
    "custom": "mse",  # the caller's own data: nothing is known of its targets
}


def decision_threshold(output_activation: str) -> float:
    """A binary task's class boundary for this output: the midpoint of its labels, 0 for a tanh output
    (labels ±1), else 0.5 (labels 0/1). An output above it is the positive class."""
    return 0.0 if output_activation == "tanh" else 0.5


@dataclass
class Data:
    """Inputs and targets, split into a training and a test part (the test part may be empty)."""

    train_inputs: Array  # (n_train, n_inputs)
    train_targets: Array  # (n_train, n_targets)
    test_inputs: Array
    test_targets: Array
    task: str
    extent: list[list[float]]  # [[min, max] per input]


def generate(name: str, n_samples: int, noise: float, train_fraction: float, seed: int,
             output_activation: str) -> Data:
    kind = DATASETS[name]
    rng = np.random.default_rng(seed)
    inputs, labels = kind.make(rng, n_samples, noise)
    if kind.task == "binary" and output_activation != "tanh":
        labels = (labels > 0).astype(float)  # ±1 -> 1/0
    if kind.task == "multiclass" and output_activation == "tanh":
        labels = 2.0 * labels - 1.0  # one-hot in tanh's ±1 range
    if name == "worked_example":
        n_train = 1
    else:
        order = rng.permutation(len(inputs))
        inputs, labels = inputs[order], labels[order]
        n_train = int(np.floor(len(inputs) * train_fraction))
        if n_train < 1:
            raise EngineError(f"train_fraction {train_fraction} of {n_samples} samples leaves no "
                              "training data: raise train_fraction or n_samples", "dataset.train_fraction")
    return Data(inputs[:n_train], labels[:n_train], inputs[n_train:], labels[n_train:], kind.task,
                [list(kind.extent) for _ in range(kind.n_inputs)])


def custom(inputs: Array, targets: Array, test_inputs: Array | None = None,
           test_targets: Array | None = None) -> Data:
    """The caller's own data: training data, and a test part when one is given (else none). The
    extent is padded around every sample, test samples included."""
    if test_inputs is None or test_targets is None:
        test_inputs, test_targets = np.zeros((0, inputs.shape[1])), np.zeros((0, targets.shape[1]))
    every = np.concatenate([inputs, test_inputs])
    lo, hi = every.min(axis=0), every.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 0.5)
    return Data(inputs, targets, test_inputs, test_targets, "custom",
                [[float(a), float(b)] for a, b in zip(lo - pad, hi + pad)])


def as_sent(d: Data) -> dict[str, Array]:
    """Samples as the API's `data` carries them: inputs and targets, and the test part when there is one."""
    sent = {"inputs": d.train_inputs, "targets": d.train_targets}
    if len(d.test_inputs):
        sent.update(test_inputs=d.test_inputs, test_targets=d.test_targets)
    return sent
