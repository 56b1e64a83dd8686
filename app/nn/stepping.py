"""One update's maths and its trace, shared by a live step and the re-run of a kept one.

`compute_update` runs forward, loss, backward and the optimizer on a network's parameters without
changing anything; `step_trace` turns what it computed into the trace the API returns. Both are
pure functions of their arguments, so re-running a kept step (same parameters, slots, settings
and batch) gives its trace bit for bit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .divergence import Divergence, find_divergence
from .network import Backward, Forward, Layout, Network
from .optimizers import OPTIMIZERS, Slots
from .settings import OptimizerSettings, RegularizationSettings
from .snapshot import optimizer_state_document

Array = NDArray[np.float64]


def at(net: Network, params: Array, weights: list[Array] | None = None,
       biases: list[Array] | None = None) -> Network:
    """The same network at other parameters (a shallow copy: architecture and layout shared)."""
    other = copy.copy(net)
    other.set_params(params, weights, biases)
    return other


def batch_loss(net: Network, x: Array, t: Array, regularization: str, rate: float) -> float:
    """E = mean_b E_b + penalty, at the network's current parameters (the loss a step reports)."""
    per = net.loss_per_sample(net.forward(x), t)
    return float(np.add.reduce(per)) / len(per) + net.penalty(regularization, rate)


# Made at every step: not frozen (a frozen dataclass's __init__ costs ~15× a plain one's), never written.
@dataclass(slots=True)
class Passes:
    """A step's forward and backward passes on one batch (before any optimizer)."""

    fwd: Forward
    per: Array  # (batch,) each sample's loss
    data_loss: float
    bwd: Backward


# Made at every step: not frozen (a frozen dataclass's __init__ costs ~15× a plain one's), never written.
@dataclass(slots=True)
class Update:
    """Everything one step computed, applied or not."""

    passes: Passes
    loss: float  # data_loss plus the penalty
    delta: Array  # the flat parameter change
    params: Array  # the flat parameters after the change (a new vector)
    weights: list[Array]  # views of `params`
    biases: list[Array] | None
    slots_before: Slots
    slots: Slots  # the optimizer's slots after the change (new arrays)
    optimizer_steps: int  # the optimizer's t for this update
    optimizer: OptimizerSettings
    regularization: RegularizationSettings
    diverged: Divergence | None
    loss_after: float | None  # the batch's loss after the change (asked for, and applied), else None

    @property
    def fwd(self) -> Forward:
        return self.passes.fwd

    @property
    def bwd(self) -> Backward:
        return self.passes.bwd

    @property
    def per(self) -> Array:
        return self.passes.per

    @property
    def data_loss(self) -> float:
        return self.passes.data_loss


def passes(net: Network, x: Array, t: Array, reg: RegularizationSettings) -> Passes:
    """Forward, per-sample loss and backward of `net` on (x, t). Call it under np.errstate(all="ignore")."""
    fwd = net.forward(x)
    per = net.loss_per_sample(fwd, t)
    data_loss = float(np.add.reduce(per)) / len(per)  # the batch mean, as np.mean computes it
    return Passes(fwd, per, data_loss, net.backward(x, t, fwd, reg.kind, reg.rate))


def compute_update(net: Network, x: Array, t: Array, slots: Slots, optimizer_steps: int,
                   opt: OptimizerSettings, reg: RegularizationSettings, loss_after: bool = False,
                   done: Passes | None = None) -> Update:
    """One step of `net` on the batch (x, t) from the optimizer state (slots, optimizer_steps); with
    `loss_after`, also the batch's loss at the new parameters (a forward pass more). `done`: the step's
    passes when they were computed already (a race computes its racers' passes stacked)."""
    with np.errstate(all="ignore"):
        p = done or passes(net, x, t, reg)
        fwd, bwd = p.fwd, p.bwd
        loss = p.data_loss + net.penalty(reg.kind, reg.rate)
        steps = optimizer_steps + 1
        # Every parameter at once: the gradients, deltas and parameters share one flat layout.
        (delta,), new_slots = OPTIMIZERS[opt.name].deltas([bwd.grad_flat], slots, steps, opt.learning_rate,
                                                          **opt.resolved())
        params = net.params + delta  # a new vector: traces already returned keep theirs
        layout = net.layout
        diverged = find_divergence(fwd, loss, bwd, params, new_slots, layout, opt.learning_rate)
        weights, biases = layout.weights(params), layout.biases(params)
        after = None
        if loss_after and diverged is None:
            after = batch_loss(at(net, params, weights, biases), x, t, reg.kind, reg.rate)
    return Update(p, loss, delta, params, weights, biases, slots, new_slots, steps, opt, reg, diverged, after)


def step_trace(net: Network, u: Update, step: int, epoch: int, x: Array, t: Array, sample_indices: Any,
               details: bool) -> dict[str, Any]:
    """The trace of an update of `net` (its parameters are not read). With `details`, also `loss_after`
    (the batch's loss after the update, computed by compute_update) and the `optimizer` block."""
    layout = net.layout
    bwd = u.bwd
    delta_w, delta_b = layout.weights(u.delta), layout.biases(u.delta)
    new_w, new_b = u.weights, u.biases
    trace: dict[str, Any] = {
        "step": step, "applied": u.diverged is None,
        "diverged": None if u.diverged is None else u.diverged.to_dict(),
        "epoch": epoch, "inputs": x, "targets": t, "sample_indices": sample_indices,
        "forward": [{"z": z, "a": a} for z, a in zip(u.fwd.z, u.fwd.a)],
        "loss": u.loss, "data_loss": u.data_loss, "loss_per_sample": u.per,
        "backward": [
            {"grad_a": bwd.grad_a[l], "grad_z": bwd.grad_z[l], "grad_weights": bwd.grad_weights[l],
             "grad_biases": None if bwd.grad_biases is None else bwd.grad_biases[l]}
            for l in range(len(new_w))],
        "update": [
            {"weight_deltas": delta_w[l], "bias_deltas": None if delta_b is None else delta_b[l],
             "weights": new_w[l], "biases": None if new_b is None else new_b[l]}
            for l in range(len(new_w))],
    }
    if details:
        opt = u.optimizer
        before = optimizer_state_document(layout, u.optimizer_steps - 1, u.slots_before)
        after = optimizer_state_document(layout, u.optimizer_steps, u.slots)
        trace["loss_after"] = u.loss_after
        hyper = opt.resolved()
        trace["optimizer"] = {"name": opt.name, "learning_rate": opt.learning_rate, "hyperparameters": hyper,
                              "t_before": before["t"], "t_after": after["t"],
                              "slots_before": before["slots"], "slots_after": after["slots"],
                              "bias_corrected": _bias_corrected(layout, u, hyper) if opt.name == "adam" else None}
    return trace


def _bias_corrected(layout: Layout, u: Update, hyper: dict[str, float]) -> dict[str, Any]:
    """Adam's m̂ = m / (1 − β1^t) and v̂ = v / (1 − β2^t) of this update, as its rule computes them."""
    t = u.optimizer_steps
    (m,), (v,) = u.slots["m"], u.slots["v"]
    m_hat, v_hat = m / (1.0 - hyper["beta1"] ** t), v / (1.0 - hyper["beta2"] ** t)
    return {name: {"weights": layout.weights(flat), "biases": layout.biases(flat)}
            for name, flat in (("m", m_hat), ("v", v_hat))}


def last_step(u: Update) -> dict[str, Any]:
    """What /train says of its last step: the weights' gradients and each unit's batch-mean δ and |δ|."""
    with np.errstate(all="ignore"):
        return {"grad_weights": u.bwd.grad_weights,
                "mean_grad_z": [np.add.reduce(g, axis=0) / len(g) for g in u.bwd.grad_z],  # (n_out,) per layer
                "mean_abs_grad_z": [np.add.reduce(np.abs(g), axis=0) / len(g) for g in u.bwd.grad_z]}


def weight_norms(grad_weights: Array, starts: NDArray[np.intp], out: Array) -> None:
    """Into `out`, the Frobenius norm of each layer's weight gradient; `grad_weights` holds every W_l's
    gradient in turn (the flat layout's weights part) and W_l's starts at starts[l]."""
    with np.errstate(over="ignore"):
        np.sqrt(np.add.reduceat(grad_weights * grad_weights, starts), out=out)  # (L,)
    if not np.isfinite(out).all():  # a finite gradient whose squares overflow: scale it first
        for l, part in enumerate(np.split(grad_weights, starts[1:])):
            top = float(np.abs(part).max())
            out[l] = top * float(np.sqrt(np.add.reduce((part / top) ** 2))) if top > 0 else 0.0
