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
from numpy.typing import NDArray

from .activations import ACTIVATIONS, softmax_vjp
from .losses import LOSSES, natural_grad_z
from .regularization import REGULARIZERS

Array = NDArray[np.float64]
Floats = NDArray[np.float64] | NDArray[np.float32]  # inputs of a forward pass (float32: pictures only)


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


class Layout:
    """Where each layer's weights and biases sit in one flat parameter vector.

    Order: W_0 … W_{L-1}, then b_0 … b_{L-1}. Gradients, updates and optimizer state use the same
    layout, so an optimizer updates every parameter with a few whole-vector operations."""

    def __init__(self, layer_sizes: tuple[int, ...], use_bias: bool):
        self.shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.use_bias = use_bias
        self._w: list[tuple[int, int, tuple[int, int]]] = []
        self._b: list[tuple[int, int]] = []
        offset = 0
        for n_in, n_out in self.shapes:
            self._w.append((offset, offset + n_in * n_out, (n_in, n_out)))
            offset += n_in * n_out
        if use_bias:
            for _, n_out in self.shapes:
                self._b.append((offset, offset + n_out))
                offset += n_out
        self.size = offset

    def weights(self, flat: Array) -> list[Array]:
        return [flat[s:e].reshape(shape) for s, e, shape in self._w]  # views, no copies

    def biases(self, flat: Array) -> list[Array] | None:
        return [flat[s:e] for s, e in self._b] if self.use_bias else None

    def position(self, layer: int, kind: str, index: tuple[int, ...]) -> int:
        """The flat index of weights[layer][i][j] (kind "weight", index (i, j)) or biases[layer][j]
        (kind "bias", index (j,)); the caller has checked the index (checks.parameter_position)."""
        if kind == "weight":
            start, _, (_, n_out) = self._w[layer]
            return start + index[0] * n_out + index[1]  # row-major, as weights() reshapes
        return self._b[layer][0] + index[0]

    def pack(self, weights: list[Array], biases: list[Array] | None) -> Array:
        parts = [np.asarray(w, dtype=np.float64).ravel() for w in weights]
        if self.use_bias:
            if biases is None:
                raise ValueError("this layout has biases: give one vector per layer")
            parts += [np.asarray(b, dtype=np.float64).ravel() for b in biases]
        return np.concatenate(parts) if parts else np.zeros(0)


@dataclass
class Forward:
    """A forward pass; its arrays are float32 when the input was (for pictures), else float64."""

    z: list[Array]  # per layer, (batch, n_out)
    a: list[Array]  # per layer, (batch, n_out); a[-1] is the output y
    z_flat: Array  # every z in one buffer, so one sum checks them all for overflow


@dataclass
class Backward:
    grad_a: list[Array]  # per layer, (batch, n_out): ∂E_b/∂a
    grad_z: list[Array]  # per layer, (batch, n_out): δ = ∂E_b/∂z
    grad_weights: list[Array]  # per layer, (n_in, n_out): ∂E/∂W (+ regularization)
    grad_biases: list[Array] | None  # per layer, (n_out,): ∂E/∂b
    grad_flat: Array  # the same gradients in the Layout's flat order


class Network:
    """Architecture plus parameters; the maths of one forward and one backward pass.

    The parameters live in one flat vector `params`; `weights` and `biases` are views of it."""

    def __init__(self, arch: Architecture, weights: list[Array], biases: list[Array] | None):
        self.arch = arch
        self.layout = Layout(arch.layer_sizes, arch.use_bias)
        self._acts = [ACTIVATIONS[arch.activation_of(l)] for l in range(arch.n_layers)]
        self._loss = LOSSES[arch.loss]
        self.set_params(self.layout.pack(weights, biases))

    def __copy__(self) -> Network:
        """A shallow copy (architecture, layout and parameters shared), without copy's generic protocol:
        a step's `loss_after` makes one."""
        other = Network.__new__(Network)
        other.__dict__.update(self.__dict__)
        return other

    def set_params(self, flat: Array, weights: list[Array] | None = None,
                   biases: list[Array] | None = None) -> None:
        """Adopt a new flat parameter vector (and its views, when the caller has made them)."""
        self.params = flat
        self.weights = weights if weights is not None else self.layout.weights(flat)
        self.biases = biases if biases is not None else self.layout.biases(flat)

    def forward(self, x: Floats) -> Forward:
        """Every layer's z and a for the batch x. x in float32 computes in float32 (for pictures)."""
        batch = x.shape[0]
        weights, biases = self.weights, self.biases
        if x.dtype != np.float64:
            weights = [w.astype(x.dtype) for w in weights]
            biases = None if biases is None else [b.astype(x.dtype) for b in biases]
        z_flat = np.empty(batch * sum(self.arch.layer_sizes[1:]), dtype=x.dtype)
        zs: list[Array] = []
        as_: list[Array] = []
        a_prev: Floats = x  # (batch, n_0)
        slope = self.arch.leaky_relu_slope
        offset = 0
        for l, W in enumerate(weights):
            n_out = W.shape[1]
            z = z_flat[offset:offset + batch * n_out].reshape(batch, n_out)
            offset += batch * n_out
            np.dot(a_prev, W, out=z)  # (batch, n_in) · (n_in, n_out) -> (batch, n_out)
            if biases is not None:
                z += biases[l]
            a = self._acts[l].value(z, slope)
            zs.append(z)
            as_.append(a)
            a_prev = a
        return Forward(zs, as_, z_flat)

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
        grad_flat = np.empty(self.layout.size)
        grad_w = self.layout.weights(grad_flat)
        grad_b = self.layout.biases(grad_flat)
        grad_a: list[Array] = [None] * L  # type: ignore[list-item]
        grad_z: list[Array] = [None] * L  # type: ignore[list-item]

        y = fwd.a[-1]
        grad_a[-1] = self._loss.grad_a(y, t)  # (batch, n_out); may be ±inf for cross-entropy
        natural = natural_grad_z(self.arch.loss, fwd.z[-1], y, t)
        for l in range(L - 1, -1, -1):
            if l < L - 1:
                grad_a[l] = np.dot(grad_z[l + 1], self.weights[l + 1].T)  # (batch, n_{l+1}) · (n_{l+1}, n_l)
            if l == L - 1 and natural is not None:
                grad_z[l] = natural
            elif (derivative := self._acts[l].derivative) is None:  # softmax paired with mse
                grad_z[l] = softmax_vjp(fwd.a[l], grad_a[l])
            else:
                grad_z[l] = grad_a[l] * derivative(fwd.z[l], fwd.a[l], slope)
            a_prev = x if l == 0 else fwd.a[l - 1]
            np.dot(a_prev.T, grad_z[l], out=grad_w[l])  # (n_in, batch) · (batch, n_out) -> (n_in, n_out)
            if grad_b is not None:
                np.add.reduce(grad_z[l], axis=0, out=grad_b[l])  # (n_out,)
        # Every gradient is a batch mean, sum / batch: one division for all of them (np.mean's Python
        # wrapper, or a division per layer, costs more than the maths at these sizes).
        grad_flat /= batch
        if reg is not None:
            for l in range(L):
                grad_w[l] += rate * reg.gradient(self.weights[l])
        return Backward(grad_a, grad_z, grad_w, grad_b, grad_flat)
