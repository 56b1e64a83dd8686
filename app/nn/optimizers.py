"""Optimizers: each turns gradients g into parameter changes Δ (w ← w + Δ).

Every optimizer has one signature: `deltas(grads, state, t) -> (deltas, new_state)`.
It never mutates `state`, so a step that diverges can be dropped without trace.
State slots are named after the maths: v (momentum), G (AdaGrad), S (RMSProp), m and v (Adam).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray
Slots = dict[str, list[Array]]  # slot name -> one array per parameter


@dataclass(frozen=True)
class OptimizerKind:
    name: str
    rule: str
    hyperparameters: dict[str, float]  # name -> default
    slots: tuple[str, ...]
    deltas: Callable[..., tuple[list[Array], Slots]] = field(repr=False)


def _sgd(grads, state, t, lr, **_):
    return [-lr * g for g in grads], {}


def _momentum(grads, state, t, lr, momentum, **_):
    v = [momentum * v + g for v, g in zip(state["v"], grads)]
    return [-lr * vi for vi in v], {"v": v}


def _adagrad(grads, state, t, lr, epsilon, **_):
    G = [G + g * g for G, g in zip(state["G"], grads)]
    return [-lr * g / (np.sqrt(Gi) + epsilon) for g, Gi in zip(grads, G)], {"G": G}


def _rmsprop(grads, state, t, lr, rho, epsilon, **_):
    S = [rho * S + (1.0 - rho) * g * g for S, g in zip(state["S"], grads)]
    return [-lr * g / (np.sqrt(Si) + epsilon) for g, Si in zip(grads, S)], {"S": S}


def _adam(grads, state, t, lr, beta1, beta2, epsilon, **_):
    m = [beta1 * m + (1.0 - beta1) * g for m, g in zip(state["m"], grads)]
    v = [beta2 * v + (1.0 - beta2) * g * g for v, g in zip(state["v"], grads)]
    c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t  # bias corrections; t counts from 1
    return [-lr * (mi / c1) / (np.sqrt(vi / c2) + epsilon) for mi, vi in zip(m, v)], {"m": m, "v": v}


OPTIMIZERS: dict[str, OptimizerKind] = {
    o.name: o
    for o in (
        OptimizerKind("sgd", "w ← w − η g", {}, (), _sgd),
        OptimizerKind("momentum", "v ← μ v + g;  w ← w − η v", {"momentum": 0.9}, ("v",), _momentum),
        OptimizerKind("adagrad", "G ← G + g²;  w ← w − η g / (√G + ε)", {"epsilon": 1e-10}, ("G",),
                      _adagrad),
        OptimizerKind("rmsprop", "S ← ρ S + (1−ρ) g²;  w ← w − η g / (√S + ε)",
                      {"rho": 0.9, "epsilon": 1e-8}, ("S",), _rmsprop),
        OptimizerKind("adam",
                      "m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  "
                      "m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);  w ← w − η m̂ / (√v̂ + ε)",
                      {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, ("m", "v"), _adam),
    )
}

ALL_HYPERPARAMETERS = ("momentum", "rho", "beta1", "beta2", "epsilon")


def zero_slots(name: str, shapes: list[tuple[int, ...]]) -> Slots:
    return {slot: [np.zeros(s) for s in shapes] for slot in OPTIMIZERS[name].slots}
