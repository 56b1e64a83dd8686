"""Divergence detection: where a step's numbers first stopped being finite.

A step whose forward pass, loss, backward pass, new parameters or optimizer state overflowed is
not applied; `find_divergence` says where it broke, in the order the step computed it, as the one
`Divergence` record the API reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .network import Backward, Forward, Layout
from .optimizers import Slots

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Divergence:
    phase: str  # forward | loss | backward | update
    layer: int | None  # 0-based index into the layer lists, when the phase has layers
    quantity: str  # which array overflowed, e.g. "z", "grad_weights"
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "layer": self.layer, "quantity": self.quantity, "message": self.message}


def find_divergence(fwd: Forward, loss: float, bwd: Backward, new_params: Array, slots: Slots, layout: Layout,
                    learning_rate: float) -> Divergence | None:
    """None when every number of the step is finite, else the first place that is not. Call it under
    `np.errstate(over="ignore")` (the step does): its quick sum may overflow while no entry does."""
    # Fast path: a finite sum means every entry is finite. z is checked (not only a): a
    # saturating activation can hide an overflowed z. A non-finite δ always reaches the
    # gradients (a·inf is never 0) and so the new parameters; optimizer state can overflow
    # on its own (g² in AdaGrad, RMSProp, Adam), so it is checked too.
    add = np.add.reduce  # the sum of ndarray.sum without its Python wrapper
    total = loss + float(add(fwd.z_flat)) + float(add(new_params))
    for arrays in slots.values():
        total += float(add(arrays[0]))
    if math.isfinite(total):
        return None
    return _locate(fwd, loss, bwd, new_params, slots, layout, learning_rate)


def _locate(fwd: Forward, loss: float, bwd: Backward, new_params: Array, slots: Slots, layout: Layout,
            learning_rate: float) -> Divergence | None:
    new_w, new_b = layout.weights(new_params), layout.biases(new_params)
    advice = (f"Try a smaller learning rate (now η = {learning_rate:g}) or reset the network; the network "
              "was left at its last finite state.")
    for l, (z, a) in enumerate(zip(fwd.z, fwd.a)):
        for name, arr in (("z", z), ("a", a)):
            if not np.isfinite(arr).all():
                return Divergence("forward", l, name, f"The step was not applied: the forward pass "
                                  f"overflowed at layer {l + 1} ({name} is not finite). The weights have "
                                  f"grown too large. {advice}")
    if not math.isfinite(loss):
        return Divergence("loss", None, "loss", f"The step was not applied: the loss is not finite. "
                          f"{advice}")
    for l in range(len(bwd.grad_z) - 1, -1, -1):
        parts = [("grad_z", bwd.grad_z[l]), ("grad_weights", bwd.grad_weights[l])]
        if l < len(bwd.grad_z) - 1:
            parts.insert(0, ("grad_a", bwd.grad_a[l]))  # the output's grad_a may be infinite legitimately
        for name, arr in parts:
            if not np.isfinite(arr).all():
                return Divergence("backward", l, name, f"The step was not applied: the backward pass "
                                  f"overflowed at layer {l + 1} ({name} is not finite). {advice}")
    for l, w in enumerate(new_w):
        if not np.isfinite(w).all():
            return Divergence("update", l, "weights", f"The step was not applied: the updated weights of "
                              f"layer {l + 1} overflowed. {advice}")
    for arrays in [new_b or [], *slots.values()]:
        for arr in arrays:
            if not np.isfinite(arr).all():
                return Divergence("update", None, "optimizer_state", f"The step was not applied: the "
                                  f"update overflowed. {advice}")
    return None  # every entry is finite: only the fast path's sum overflowed
