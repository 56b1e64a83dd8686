"""Optimizers: each turns gradients g into parameter changes Δ (w ← w + Δ).

Every optimizer has one signature: `deltas(grads, state, t) -> (deltas, new_state)`.
It never mutates `state`, so a step that diverges can be dropped without trace.
State slots are named after the maths: v (momentum), G (AdaGrad), S (RMSProp), m and v (Adam).

The registries here are the one place where optimizers' names, default learning rates,
hyperparameters, their defaults and their valid ranges are written; the API and the page read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Slots = dict[str, list[Array]]  # slot name -> one array per parameter


@dataclass(frozen=True)
class Hyperparameter:
    """A hyperparameter some optimizers take, with the interval its values must lie in."""

    name: str
    symbol: str
    description: str
    min: float
    max: float
    min_inclusive: bool
    max_inclusive: bool

    def admits(self, value: float) -> bool:
        above = value >= self.min if self.min_inclusive else value > self.min
        below = value <= self.max if self.max_inclusive else value < self.max
        return above and below

    @property
    def interval(self) -> str:
        """E.g. "[0, 1)"."""
        return f"{'[' if self.min_inclusive else '('}{self.min:g}, {self.max:g}{']' if self.max_inclusive else ')'}"

    @property
    def in_words(self) -> str:
        """E.g. "at least 0 and below 1", "positive and at most 1"."""
        low = (f"at least {self.min:g}" if self.min_inclusive else
               "positive" if self.min == 0 else f"above {self.min:g}")
        return f"{low} and {'at most' if self.max_inclusive else 'below'} {self.max:g}"


HYPERPARAMETERS: dict[str, Hyperparameter] = {
    h.name: h
    for h in (
        Hyperparameter("momentum", "μ", "the fraction of the velocity v kept from step to step",
                       0.0, 1.0, True, False),
        Hyperparameter("rho", "ρ", "the decay of the running mean S of g²", 0.0, 1.0, True, False),
        Hyperparameter("beta1", "β1", "the decay of the first-moment estimate m", 0.0, 1.0, True, False),
        Hyperparameter("beta2", "β2", "the decay of the second-moment estimate v", 0.0, 1.0, True, False),
        Hyperparameter("epsilon", "ε", "added to the root in the denominator, so it is never 0",
                       0.0, 1.0, False, True),
    )
}

ALL_HYPERPARAMETERS = tuple(HYPERPARAMETERS)


@dataclass(frozen=True)
class OptimizerKind:
    name: str
    rule: str
    learning_rate: float  # its default η
    hyperparameters: dict[str, float]  # its own hyperparameters: name -> default
    slots: tuple[str, ...]
    deltas: Callable[..., Deltas] = field(repr=False)
    second_moments: tuple[str, ...] = ()  # its slots that sum squares: never negative


Deltas = tuple[list[Array], Slots]


def _sgd(grads: list[Array], state: Slots, t: int, lr: float, **_: float) -> Deltas:
    return [-lr * g for g in grads], {}


def _momentum(grads: list[Array], state: Slots, t: int, lr: float, momentum: float, **_: float) -> Deltas:
    v = [momentum * v + g for v, g in zip(state["v"], grads)]
    return [-lr * vi for vi in v], {"v": v}


def _adagrad(grads: list[Array], state: Slots, t: int, lr: float, epsilon: float, **_: float) -> Deltas:
    G = [G + g * g for G, g in zip(state["G"], grads)]
    return [-lr * g / (np.sqrt(Gi) + epsilon) for g, Gi in zip(grads, G)], {"G": G}


def _rmsprop(grads: list[Array], state: Slots, t: int, lr: float, rho: float, epsilon: float,
             **_: float) -> Deltas:
    S = [rho * S + (1.0 - rho) * g * g for S, g in zip(state["S"], grads)]
    return [-lr * g / (np.sqrt(Si) + epsilon) for g, Si in zip(grads, S)], {"S": S}


def _adam(grads: list[Array], state: Slots, t: int, lr: float, beta1: float, beta2: float, epsilon: float,
          **_: float) -> Deltas:
    m = [beta1 * m + (1.0 - beta1) * g for m, g in zip(state["m"], grads)]
    v = [beta2 * v + (1.0 - beta2) * g * g for v, g in zip(state["v"], grads)]
    c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t  # bias corrections; t counts from 1
    return [-lr * (mi / c1) / (np.sqrt(vi / c2) + epsilon) for mi, vi in zip(m, v)], {"m": m, "v": v}


OPTIMIZERS: dict[str, OptimizerKind] = {
    o.name: o
    for o in (
        OptimizerKind("sgd", "w ← w − η g", 0.03, {}, (), _sgd),
        OptimizerKind("momentum", "v ← μ v + g;  w ← w − η v", 0.03, {"momentum": 0.9}, ("v",), _momentum),
        OptimizerKind("adagrad", "G ← G + g²;  w ← w − η g / (√G + ε)", 0.03, {"epsilon": 1e-10}, ("G",),
                      _adagrad, second_moments=("G",)),
        OptimizerKind("rmsprop", "S ← ρ S + (1−ρ) g²;  w ← w − η g / (√S + ε)", 0.03,
                      {"rho": 0.9, "epsilon": 1e-8}, ("S",), _rmsprop, second_moments=("S",)),
        OptimizerKind("adam",
                      "m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  "
                      "m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);  w ← w − η m̂ / (√v̂ + ε)", 0.03,
                      {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, ("m", "v"), _adam,
                      second_moments=("v",)),
    )
}

DEFAULT_OPTIMIZER = "sgd"


def takers(hyperparameter: str) -> dict[str, float]:
    """The optimizers that take this hyperparameter, each with its default, e.g. {"adam": 0.9}."""
    return {o.name: o.hyperparameters[hyperparameter] for o in OPTIMIZERS.values()
            if hyperparameter in o.hyperparameters}


def zero_slots(name: str, shapes: list[tuple[int, ...]]) -> Slots:
    return {slot: [np.zeros(s) for s in shapes] for slot in OPTIMIZERS[name].slots}
