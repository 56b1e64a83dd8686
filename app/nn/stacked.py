"""The forward and backward passes of several networks of one architecture on one batch, stacked.

Racers in lockstep share every mini-batch, so their passes can run as one batched matrix product per
layer over a leading racer axis (racers, batch, units) instead of one loop per racer: the same maths
as Network.forward and Network.backward, in the same order, each racer's result a view of the
stacked arrays. Batched products may round differently from single ones, so stacked racers equal
lone networks to ~1e-15 relative rather than bit for bit (the tests hold them to 1e-12).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS, softmax_vjp
from .losses import LOSSES, natural_grad_z
from .network import Backward, Forward, Network
from .regularization import REGULARIZERS
from .settings import RegularizationSettings
from .stepping import Passes

Array = NDArray[np.float64]


def _parts(params: Array, nets: list[Network]) -> tuple[list[Array], list[Array] | None]:
    """Views of the stacked flat parameters (racers, size): W_l as (racers, n_in, n_out), b_l as (racers, n_out)."""
    layout = nets[0].layout
    n, offset = len(params), 0
    weights = []
    for n_in, n_out in layout.shapes:
        weights.append(params[:, offset:offset + n_in * n_out].reshape(n, n_in, n_out))
        offset += n_in * n_out
    if not layout.use_bias:
        return weights, None
    biases = []
    for _, n_out in layout.shapes:
        biases.append(params[:, offset:offset + n_out])
        offset += n_out
    return weights, biases


def stacked_passes(nets: list[Network], x: Array, t: Array, reg: RegularizationSettings) -> list[Passes]:
    """Each network's Passes on (x, t); the networks share one architecture (and `reg`)."""
    arch, layout = nets[0].arch, nets[0].layout
    n, batch, L = len(nets), x.shape[0], arch.n_layers
    acts = [ACTIVATIONS[arch.activation_of(l)] for l in range(L)]
    slope = arch.leaky_relu_slope
    weights, biases = _parts(np.stack([net.params for net in nets]), nets)  # (racers, size)
    with np.errstate(all="ignore"):
        # ---- forward: z_l = a_{l-1} · W_l + b_l for every racer at once
        z_flat = np.empty((n, batch * sum(arch.layer_sizes[1:])))
        zs: list[Array] = []
        as_: list[Array] = []
        a_prev: Array = x  # (batch, n_0), shared
        offset = 0
        for l, W in enumerate(weights):
            n_out = W.shape[2]
            z = z_flat[:, offset:offset + batch * n_out].reshape(n, batch, n_out)
            offset += batch * n_out
            np.matmul(a_prev, W, out=z)  # (racers, batch, n_in) · (racers, n_in, n_out) -> (racers, batch, n_out)
            if biases is not None:
                z += biases[l][:, None, :]
            zs.append(z)
            as_.append(acts[l].value(z, slope))
            a_prev = as_[-1]
        loss = LOSSES[arch.loss]
        y, n_y = as_[-1], arch.layer_sizes[-1]
        targets = np.broadcast_to(t, y.shape)
        per = loss.per_sample(zs[-1].reshape(-1, n_y), y.reshape(-1, n_y), targets.reshape(-1, n_y)).reshape(n, batch)
        # ---- backward, as Network.backward, with a leading racer axis
        rule = REGULARIZERS[reg.kind] if reg.kind != "none" and reg.rate != 0.0 else None
        grad_flat = np.empty((n, layout.size))
        grad_w, grad_b = _parts(grad_flat, nets)
        grad_a: list[Array] = [None] * L  # type: ignore[list-item]
        grad_z: list[Array] = [None] * L  # type: ignore[list-item]
        grad_a[-1] = loss.grad_a(y, t)
        natural = natural_grad_z(arch.loss, zs[-1], y, t)
        for l in range(L - 1, -1, -1):
            if l < L - 1:
                grad_a[l] = np.matmul(grad_z[l + 1], weights[l + 1].transpose(0, 2, 1))  # (racers, batch, n_l)
            if l == L - 1 and natural is not None:
                grad_z[l] = natural
            elif (derivative := acts[l].derivative) is None:
                grad_z[l] = softmax_vjp(as_[l], grad_a[l])
            else:
                grad_z[l] = grad_a[l] * derivative(zs[l], as_[l], slope)
            below = x if l == 0 else as_[l - 1]
            g = np.matmul(np.swapaxes(below, -1, -2), grad_z[l])  # (racers, n_in, batch) · (.., batch, n_out)
            g /= batch
            if rule is not None:
                g += reg.rate * rule.gradient(weights[l])
            grad_w[l][...] = g
            if grad_b is not None:
                np.add.reduce(grad_z[l], axis=1, out=grad_b[l])  # (racers, n_out)
                grad_b[l] /= batch
    out = []
    for i, net in enumerate(nets):
        fwd = Forward([z[i] for z in zs], [a[i] for a in as_], z_flat[i])
        bwd = Backward([g[i] for g in grad_a], [g[i] for g in grad_z], net.layout.weights(grad_flat[i]),
                       net.layout.biases(grad_flat[i]), grad_flat[i])
        out.append(Passes(fwd, per[i], float(np.add.reduce(per[i])) / batch, bwd))
    return out
