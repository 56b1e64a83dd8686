"""Weight initialization schemes. Every scheme draws from the Generator it is given."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Scheme = Callable[[np.random.Generator, int, int], Array]


def _xavier_uniform(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _xavier_normal(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


def _he_uniform(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _he_normal(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def _uniform(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    return rng.uniform(-0.5, 0.5, size=(n_in, n_out))  # as TensorFlow Playground


def _zeros(rng: np.random.Generator, n_in: int, n_out: int) -> Array:
    return np.zeros((n_in, n_out))


INIT_SCHEMES: dict[str, Scheme] = {
    "xavier_uniform": _xavier_uniform,
    "xavier_normal": _xavier_normal,
    "he_uniform": _he_uniform,
    "he_normal": _he_normal,
    "uniform": _uniform,
    "zeros": _zeros,
}


def initial_weights(scheme: str, seed: int, layer_sizes: list[int]) -> list[Array]:
    """One (n_in, n_out) matrix per layer, the same bits for the same seed."""
    rng = np.random.default_rng(seed)
    make = INIT_SCHEMES[scheme]
    return [make(rng, n_in, n_out) for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]
