"""Every gradient the engine reports, checked against finite differences of an independent forward pass.

The reference forward below shares no code with app.nn: it is the maths written out again
(activations, losses of y, penalties). Derivatives come from a 5-point central difference,
which is accurate to ~1e-12 here, so a relative error above 1e-6 is a real bug.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pytest

from app.nn import InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.nn.network import Architecture, Network

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT_LOSS = [("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]
REGULARIZATION = [("none", 0.0), ("l1", 0.03), ("l2", 0.05)]
SHAPES = [  # (layer_sizes, use_bias, batch)
    ([3, 4, 3, 2], True, 4),
    ([2, 5, 4, 4, 3], False, 3),
]
SLOPE = 0.1  # Leaky ReLU α, far from the default so a wrong slope shows
H = 1e-4  # finite-difference step
MARGIN = 0.02  # keep every z and (for L1) every w this far from the kink at 0
TOL = 1e-6


# ---- the independent reference -------------------------------------------------------------------

def ref_act(name: str, z: np.ndarray) -> np.ndarray:
    if name == "linear":
        return z
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return z * (z > 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, SLOPE * z)
    if name == "softmax":
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(name)


def ref_loss_of_y(loss: str, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """E_b for every sample, written from its definition in terms of the output y."""
    if loss == "mse":
        return 0.5 * ((y - t) ** 2).sum(axis=1)
    if loss == "binary_cross_entropy":
        return -(t * np.log(y) + (1 - t) * np.log(1 - y)).sum(axis=1)
    if loss == "cross_entropy":
        return -(t * np.log(y)).sum(axis=1)
    raise AssertionError(loss)


@dataclass
class Ref:
    weights: list[np.ndarray]
    biases: list[np.ndarray] | None
    acts: list[str]
    loss: str
    reg: str
    rate: float

    def layer(self, l: int, a_prev: np.ndarray) -> np.ndarray:
        z = a_prev @ self.weights[l]
        return z if self.biases is None else z + self.biases[l]

    def output_from_a(self, l: int, a: np.ndarray) -> np.ndarray:
        """Continue the forward pass from layer l's activations (l = -1: the inputs)."""
        for k in range(l + 1, len(self.weights)):
            a = ref_act(self.acts[k], self.layer(k, a))
        return a

    def output_from_z(self, l: int, z: np.ndarray) -> np.ndarray:
        return self.output_from_a(l, ref_act(self.acts[l], z))

    def zs(self, x: np.ndarray) -> list[np.ndarray]:
        out, a = [], x
        for k in range(len(self.weights)):
            z = self.layer(k, a)
            out.append(z)
            a = ref_act(self.acts[k], z)
        return out

    def batch_loss(self, x: np.ndarray, t: np.ndarray) -> float:
        E = ref_loss_of_y(self.loss, self.output_from_a(-1, x), t).mean()
        if self.reg == "l1":
            E += self.rate * sum(np.abs(W).sum() for W in self.weights)
        elif self.reg == "l2":
            E += self.rate * 0.5 * sum((W * W).sum() for W in self.weights)
        return float(E)


def derivative(f, x: np.ndarray) -> np.ndarray:
    """∂f/∂x for every entry of x (changed in place and restored), by a 5-point central difference."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        values = []
        for step in (2 * H, H, -H, -2 * H):
            x[i] = old + step
            values.append(f())
        x[i] = old
        g[i] = (8 * (values[1] - values[2]) - (values[0] - values[3])) / (12 * H)
    return g


def assert_gradient(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    assert actual.shape == expected.shape, what
    scale = np.abs(expected).max()
    error = np.abs(actual - expected).max()
    rel = error / scale if scale > 0 else error
    assert rel <= TOL, f"{what}: relative max-norm error {rel:.2e}"


# ---- random problems away from the kinks ----------------------------------------------------------

def make_targets(rng: np.random.Generator, output: str, loss: str, shape: tuple[int, int]) -> np.ndarray:
    if output == "softmax":
        return np.eye(shape[1])[rng.integers(0, shape[1], shape[0])]  # one-hot
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, shape).astype(float)
    if output == "sigmoid":
        return rng.uniform(0, 1, shape)
    if output == "tanh":
        return rng.uniform(-1, 1, shape)
    return rng.normal(0, 1, shape)


def draw_problem(seed: int, sizes: list[int], use_bias: bool, batch: int, hidden: str, output: str,
                 loss: str, reg: str, rate: float) -> tuple[Ref, np.ndarray, np.ndarray]:
    """Weights with |w| ≥ 0.1 (off L1's kink) and inputs whose every z is ≥ MARGIN from 0 (off ReLU's)."""
    rng = np.random.default_rng(seed)
    acts = [hidden] * (len(sizes) - 2) + [output]
    for _ in range(1000):
        weights = [rng.choice([-1, 1], (m, n)) * rng.uniform(0.1, 1.2, (m, n)) / np.sqrt(m)
                   for m, n in zip(sizes[:-1], sizes[1:])]
        biases = [rng.uniform(-0.5, 0.5, n) for n in sizes[1:]] if use_bias else None
        x = rng.normal(0, 1, (batch, sizes[0]))
        ref = Ref(weights, biases, acts, loss, reg, rate)
        if all(np.abs(z).min() > MARGIN for z in ref.zs(x)):
            return ref, x, make_targets(rng, output, loss, (batch, sizes[-1]))
    raise AssertionError("no draw off the kinks")  # pragma: no cover


def engine_network(ref: Ref, sizes: list[int], output: str, loss: str) -> Network:
    arch = Architecture(tuple(sizes), ref.acts[0] if len(sizes) > 2 else "tanh", output, loss, SLOPE,
                        ref.biases is not None)
    return Network(arch, [W.copy() for W in ref.weights],
                   None if ref.biases is None else [b.copy() for b in ref.biases])


def check_all_gradients(ref: Ref, x: np.ndarray, t: np.ndarray, fwd_z, fwd_a, loss_per_sample,
                        grad_a, grad_z, grad_weights, grad_biases) -> None:
    L = len(ref.weights)
    # The forward pass and the per-sample loss agree with the reference.
    for l, z in enumerate(ref.zs(x)):
        np.testing.assert_allclose(fwd_z[l], z, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(fwd_a[l], ref_act(ref.acts[l], z), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(loss_per_sample, ref_loss_of_y(ref.loss, ref.output_from_a(-1, x), t),
                               rtol=1e-12, atol=1e-14)

    # grad_weights, grad_biases: derivatives of the batch-mean loss plus the penalty.
    for l in range(L):
        expected = derivative(lambda: ref.batch_loss(x, t), ref.weights[l])
        assert_gradient(grad_weights[l], expected, f"grad_weights[{l}]")
        if ref.biases is None:
            assert grad_biases is None or grad_biases[l] is None
        else:
            expected = derivative(lambda: ref.batch_loss(x, t), ref.biases[l])
            assert_gradient(grad_biases[l], expected, f"grad_biases[{l}]")

    # grad_z and grad_a: per sample b, the derivative of E_b alone (not divided by the batch).
    zs = ref.zs(x)
    for l in range(L):
        for b in range(len(x)):
            check_sample(ref, l, zs[l][b:b + 1].copy(), t[b:b + 1], grad_z[l][b:b + 1], grad_a[l][b:b + 1],
                         f"of layer {l}, sample {b}")


def check_sample(ref: Ref, l: int, z_b: np.ndarray, t_b: np.ndarray, grad_z_b: np.ndarray,
                 grad_a_b: np.ndarray, where: str) -> None:
    """Perturb layer l's z (then its a) for one sample and continue the reference forward pass."""
    expected_z = derivative(lambda: ref_loss_of_y(ref.loss, ref.output_from_z(l, z_b), t_b)[0], z_b)
    assert_gradient(grad_z_b, expected_z, f"grad_z {where}")
    a_b = ref_act(ref.acts[l], z_b)
    if l == len(ref.weights) - 1:  # the output: E_b as a function of y itself
        expected_a = derivative(lambda: ref_loss_of_y(ref.loss, a_b, t_b)[0], a_b)
    else:
        expected_a = derivative(lambda: ref_loss_of_y(ref.loss, ref.output_from_a(l, a_b), t_b)[0], a_b)
    assert_gradient(grad_a_b, expected_a, f"grad_a {where}")


# ---- the grid ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, use_bias, batch", SHAPES, ids=["3-4-3-2+bias", "2-5-4-4-3-nobias"])
@pytest.mark.parametrize("reg, rate", REGULARIZATION, ids=[r for r, _ in REGULARIZATION])
@pytest.mark.parametrize("output, loss", OUTPUT_LOSS, ids=[f"{o}+{lo}" for o, lo in OUTPUT_LOSS])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_network_gradients_match_finite_differences(hidden, output, loss, reg, rate, sizes, use_bias, batch):
    seed = zlib.crc32(f"{hidden} {output} {loss} {reg} {sizes}".encode())
    ref, x, t = draw_problem(seed, sizes, use_bias, batch, hidden, output, loss, reg, rate)
    net = engine_network(ref, sizes, output, loss)
    fwd = net.forward(x)
    bwd = net.backward(x, t, fwd, reg, rate)
    check_all_gradients(ref, x, t, fwd.z, fwd.a, net.loss_per_sample(fwd, t),
                        bwd.grad_a, bwd.grad_z, bwd.grad_weights, bwd.grad_biases)
    assert net.penalty(reg, rate) == pytest.approx(ref.batch_loss(x, t) - ref_loss_of_y(
        loss, ref.output_from_a(-1, x), t).mean(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("reg, rate", [("l1", 0.02), ("l2", 0.04)])
@pytest.mark.parametrize("output, loss", OUTPUT_LOSS, ids=[f"{o}+{lo}" for o, lo in OUTPUT_LOSS])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_trainer_step_trace_gradients_match_finite_differences(hidden, output, loss, reg, rate):
    sizes, batch = [3, 4, 3, 2], 5
    seed = zlib.crc32(f"step {hidden} {output} {loss} {reg}".encode())
    ref, x, t = draw_problem(seed, sizes, True, batch, hidden, output, loss, reg, rate)
    settings = Settings(layer_sizes=sizes, activation=hidden, leaky_relu_slope=SLOPE, output_activation=output,
                        loss=loss, init=InitSettings(seed=1), optimizer=OptimizerSettings("sgd", 0.1),
                        regularization=RegularizationSettings(reg, rate), dataset=None, batch_size=batch)
    trainer = Trainer(settings, weights=ref.weights, biases=ref.biases, data={"inputs": x, "targets": t})
    trace = trainer.step()  # the whole (shuffled) training set in one batch
    assert trace["applied"]
    assert sorted(trace["sample_indices"]) == list(range(batch))
    xs, ts = trace["inputs"], trace["targets"]
    np.testing.assert_array_equal(xs, x[trace["sample_indices"]])
    fw, bw = trace["forward"], trace["backward"]
    check_all_gradients(ref, xs, ts, [f["z"] for f in fw], [f["a"] for f in fw], trace["loss_per_sample"],
                        [g["grad_a"] for g in bw], [g["grad_z"] for g in bw],
                        [g["grad_weights"] for g in bw], [g["grad_biases"] for g in bw])
    assert trace["loss"] == pytest.approx(ref.batch_loss(xs, ts), rel=1e-12)
    assert trace["data_loss"] == pytest.approx(trace["loss_per_sample"].mean(), rel=1e-12)


@pytest.mark.parametrize("output, loss", [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")])
def test_cross_entropy_grad_z_holds_for_soft_and_unnormalised_targets(output, loss):
    sizes = [3, 4, 3]
    ref, x, _ = draw_problem(7, sizes, True, 4, "tanh", output, loss, "none", 0.0)
    # Soft BCE targets; CE rows summing to 0.5, 1 and 2 (the loss only asks for entries in [0, 1]).
    t = np.array([[0.2, 0.9, 0.5], [0.0, 0.5, 0.0], [1.0, 1.0, 0.0], [0.3, 0.3, 0.4]])
    net = engine_network(ref, sizes, output, loss)
    fwd = net.forward(x)
    bwd = net.backward(x, t, fwd)
    check_all_gradients(ref, x, t, fwd.z, fwd.a, net.loss_per_sample(fwd, t),
                        bwd.grad_a, bwd.grad_z, bwd.grad_weights, bwd.grad_biases)


def test_grad_z_is_per_sample_and_grad_weights_is_the_batch_mean():
    ref, x, t = draw_problem(3, [2, 3, 1], True, 4, "tanh", "linear", "mse", "none", 0.0)
    net = engine_network(ref, [2, 3, 1], "linear", "mse")
    fwd = net.forward(x)
    bwd = net.backward(x, t, fwd)
    # Output grad_z of sample b is y_b − t_b for mse, whatever the batch size.
    np.testing.assert_allclose(bwd.grad_z[-1], fwd.a[-1] - t, rtol=1e-14)
    np.testing.assert_allclose(bwd.grad_weights[-1], fwd.a[0].T @ (fwd.a[-1] - t) / len(x), rtol=1e-12)
    np.testing.assert_allclose(bwd.grad_biases[-1], (fwd.a[-1] - t).mean(axis=0), rtol=1e-12)
