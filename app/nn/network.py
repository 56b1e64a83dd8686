"""A fully connected network: forward and backward passes that keep every intermediate.

Conventions (the same as the REST API's):
- weights[l] has shape (n_in, n_out): entry [i][j] joins unit i of layer l to unit j of l+1,
  so a layer computes z = a_prev · W + b.
- Layer lists hold one entry per non-input layer, in forward order.
- grad_a and grad_z are per sample: derivatives of that sample's own loss E_b.
  grad_weights and grad_biases are derivatives of the batch loss E = mean_b E_b
  (plus the regularization penalty, for the weights).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, softmax_vjp
from .losses import LOSSES, natural_grad_z
from .regularization import REGULARIZERS

Array = np.ndarray


@dataclass(frozen=True)
class Architecture:
    layer_sizes: tuple[int, ...]
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    loss: str = "binary_cross_entropy"
    leaky_relu_slope: float = 0.01
    use_bias: bool = True

    @property
    def n_layers(self) -> int:
        return len(self.layer_sizes) - 1

    def activation_of(self, layer: int) -> str:
        return self.output_activation if layer == self.n_layers - 1 else self.activation


@dataclass
class Forward:
    z: list[Array]  # per layer, (batch, n_out)
    a: list[Array]  # per layer, (batch, n_out); a[-1] is the output y


@dataclass
class Backward:
    grad_a: list[Array]  # per layer, (batch, n_out): ∂E_b/∂a
    grad_z: list[Array]  # per layer, (batch, n_out): δ = ∂E_b/∂z
    grad_weights: list[Array]  # per layer, (n_in, n_out): ∂E/∂W (+ regularization)
    grad_biases: list[Array] | None  # per layer, (n_out,): ∂E/∂b


class Network:
    """Architecture plus parameters; the maths of one forward and one backward pass."""

    def __init__(self, arch: Architecture, weights: list[Array], biases: list[Array] | None):
        self.arch = arch
        self.weights = weights
        self.biases = biases
        self._acts = [ACTIVATIONS[arch.activation_of(l)] for l in range(arch.n_layers)]
        self._loss = LOSSES[arch.loss]

    def forward(self, x: Array) -> Forward:
        zs, as_ = [], []
        a = x  # (batch, n_0)
        slope = self.arch.leaky_relu_slope
        for l, W in enumerate(self.weights):
            z = a @ W  # (batch, n_in) · (n_in, n_out) -> (batch, n_out)
            if self.biases is not None:
                z += self.biases[l]
            a = self._acts[l].value(z, slope)
            zs.append(z)
            as_.append(a)
        return Forward(zs, as_)

    def loss_per_sample(self, fwd: Forward, t: Array) -> Array:
        return self._loss.per_sample(fwd.z[-1], fwd.a[-1], t)  # (batch,)

    def penalty(self, regularization: str, rate: float) -> float:
        if regularization == "none" or rate == 0.0:
            return 0.0
        reg = REGULARIZERS[regularization]
        return rate * sum(reg.penalty(W) for W in self.weights)

    def backward(self, x: Array, t: Array, fwd: Forward, regularization: str = "none",
                 rate: float = 0.0) -> Backward:
        L = self.arch.n_layers
        batch = x.shape[0]
        slope = self.arch.leaky_relu_slope
        reg = REGULARIZERS[regularization] if regularization != "none" and rate != 0.0 else None
        grad_a: list[Array] = [None] * L  # type: ignore[list-item]
        grad_z: list[Array] = [None] * L  # type: ignore[list-item]
        grad_w: list[Array] = [None] * L  # type: ignore[list-item]
        grad_b: list[Array] | None = [None] * L if self.biases is not None else None  # type: ignore

        y = fwd.a[-1]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            grad_a[-1] = self._loss.grad_a(y, t)  # (batch, n_out); may be ±inf for cross-entropy
        natural = natural_grad_z(self.arch.loss, fwd.z[-1], y, t)
        for l in range(L - 1, -1, -1):
            if l < L - 1:
                grad_a[l] = grad_z[l + 1] @ self.weights[l + 1].T  # (batch, n_out_{l+1}) · (n_out_{l+1}, n_out_l)
            if l == L - 1 and natural is not None:
                grad_z[l] = natural
            elif self._acts[l].derivative is None:  # softmax paired with mse
                grad_z[l] = softmax_vjp(fwd.a[l], grad_a[l])
            else:
                grad_z[l] = grad_a[l] * self._acts[l].derivative(fwd.z[l], fwd.a[l], slope)
            a_prev = x if l == 0 else fwd.a[l - 1]
            g = a_prev.T @ grad_z[l]  # (n_in, batch) · (batch, n_out) -> (n_in, n_out)
            g /= batch  # mean over the batch
            if reg is not None:
                g += rate * reg.gradient(self.weights[l])
            grad_w[l] = g
            if grad_b is not None:
                grad_b[l] = grad_z[l].mean(axis=0)  # (n_out,)
        return Backward(grad_a, grad_z, grad_w, grad_b)
