"""The value-and-derivative registries: activations, losses and weight penalties."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, sigmoid, softmax, softmax_vjp
from app.nn.losses import LOSSES, natural_grad_z
from app.nn.regularization import REGULARIZERS

H = 1e-6


def central_difference(f, z: np.ndarray) -> np.ndarray:
    return (f(z + H) - f(z - H)) / (2 * H)


def test_registries_hold_the_documented_names():
    assert set(HIDDEN_ACTIVATIONS) == {"linear", "sigmoid", "tanh", "relu", "leaky_relu"}
    assert set(OUTPUT_ACTIVATIONS) == {"linear", "sigmoid", "tanh", "softmax"}
    assert set(HIDDEN_ACTIVATIONS) | set(OUTPUT_ACTIVATIONS) == set(ACTIVATIONS)
    assert set(LOSSES) == {"mse", "binary_cross_entropy", "cross_entropy"}
    assert set(REGULARIZERS) == {"none", "l1", "l2"}


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_elementwise_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    slope = 0.2
    z = np.array([[-3.0, -1.1, -0.3, 0.25, 0.9, 2.7]])  # no point near ReLU's kink
    a = act.value(z, slope)
    expected = central_difference(lambda v: act.value(v, slope), z)
    np.testing.assert_allclose(act.derivative(z, a, slope), expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name, expected", [
    ("linear", [-2.0, 0.0, 3.0]),
    ("relu", [0.0, 0.0, 3.0]),
    ("leaky_relu", [-0.4, 0.0, 3.0]),
    ("tanh", np.tanh([-2.0, 0.0, 3.0])),
    ("sigmoid", 1 / (1 + np.exp(-np.array([-2.0, 0.0, 3.0])))),
])
def test_activation_values(name, expected):
    np.testing.assert_allclose(ACTIVATIONS[name].value(np.array([-2.0, 0.0, 3.0]), 0.2), expected, rtol=1e-15)


def test_linear_activation_returns_a_copy_not_the_input():
    z = np.array([[1.0, 2.0]])
    a = ACTIVATIONS["linear"].value(z, 0.0)
    a[0, 0] = 5.0
    assert z[0, 0] == 1.0


def test_sigmoid_and_softmax_do_not_overflow_at_extreme_inputs():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
        p = softmax(np.array([[1000.0, 0.0, -1000.0]]))
    np.testing.assert_array_equal(s, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(p, [[1.0, 0.0, 0.0]])


def test_softmax_vjp_is_the_jacobian_transpose_product():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(1, 4))
    grad_a = rng.normal(size=(1, 4))
    a = softmax(z)
    jacobian = np.diag(a[0]) - np.outer(a[0], a[0])  # ∂a_j/∂z_k
    np.testing.assert_allclose(softmax_vjp(a, grad_a)[0], jacobian.T @ grad_a[0], rtol=1e-12)


# ---- losses ---------------------------------------------------------------------------------

def _y_of(output: str, z: np.ndarray) -> np.ndarray:
    return softmax(z) if output == "softmax" else sigmoid(z) if output == "sigmoid" else z


@pytest.mark.parametrize("loss, output, t", [
    ("mse", "linear", [[0.5, -1.0, 2.0]]),
    ("binary_cross_entropy", "sigmoid", [[1.0, 0.0, 0.3]]),
    ("cross_entropy", "softmax", [[0.0, 1.0, 0.0]]),
])
def test_per_sample_loss_matches_its_definition(loss, output, t):
    z = np.array([[0.3, -1.2, 0.8]])
    t = np.array(t)
    y = _y_of(output, z)
    if loss == "mse":
        expected = 0.5 * ((y - t) ** 2).sum()
    elif loss == "binary_cross_entropy":
        expected = -(t * np.log(y) + (1 - t) * np.log(1 - y)).sum()
    else:
        expected = -(t * np.log(y)).sum()
    assert LOSSES[loss].per_sample(z, y, t) == pytest.approx([expected], rel=1e-12)


@pytest.mark.parametrize("loss, t", [
    ("mse", [[0.5, -1.0, 2.0]]),
    ("binary_cross_entropy", [[1.0, 0.0, 0.3]]),
    ("cross_entropy", [[0.0, 1.0, 0.0]]),
])
def test_loss_grad_a_is_the_derivative_with_respect_to_y(loss, t):
    y = np.array([[0.3, 0.6, 0.1]])
    t = np.array(t)

    def of_y(v):  # ∂E_b/∂y by definition, entry by entry (losses are sums over units)
        if loss == "mse":
            return 0.5 * (v - t) ** 2
        if loss == "binary_cross_entropy":
            return -(t * np.log(v) + (1 - t) * np.log(1 - v))
        return -t * np.log(v)

    np.testing.assert_allclose(LOSSES[loss].grad_a(y, t), central_difference(of_y, y), rtol=1e-7, atol=1e-12)


def test_cross_entropies_are_finite_where_y_saturates():
    z = np.array([[800.0, -800.0]])
    t = np.array([[0.0, 1.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        ce = LOSSES["cross_entropy"].per_sample(z, softmax(z), t)
        bce = LOSSES["binary_cross_entropy"].per_sample(z, sigmoid(z), t)
        grad_ce = natural_grad_z("cross_entropy", z, softmax(z), t)
        grad_bce = natural_grad_z("binary_cross_entropy", z, sigmoid(z), t)
    assert ce == pytest.approx([1600.0])
    assert bce == pytest.approx([1600.0])
    np.testing.assert_array_equal(grad_ce, [[1.0, -1.0]])
    np.testing.assert_array_equal(grad_bce, [[1.0, -1.0]])
    assert np.isinf(LOSSES["cross_entropy"].grad_a(softmax(z), t)).any()


def test_cross_entropy_grad_a_ignores_zero_targets_even_where_y_is_zero():
    y = np.array([[1.0, 0.0]])
    t = np.array([[1.0, 0.0]])
    np.testing.assert_array_equal(LOSSES["cross_entropy"].grad_a(y, t), [[-1.0, 0.0]])


def test_mse_has_no_natural_grad_z():
    z = np.zeros((1, 2))
    assert natural_grad_z("mse", z, z, z) is None


@pytest.mark.parametrize("loss, requires", [("mse", None), ("binary_cross_entropy", "sigmoid"),
                                            ("cross_entropy", "softmax")])
def test_each_loss_names_the_output_it_needs(loss, requires):
    assert LOSSES[loss].requires_output == requires


@pytest.mark.parametrize("loss", LOSSES)
def test_with_its_natural_output_each_loss_has_delta_y_minus_t(loss):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    act = ACTIVATIONS[LOSSES[loss].natural_output]
    y = act.value(z, 0.0)
    t = np.eye(3)[[0, 2, 1, 2]]  # one-hot rows: targets of every loss's range, summing to 1
    grad_a = LOSSES[loss].grad_a(y, t)

    grad_z = softmax_vjp(y, grad_a) if act.derivative is None else grad_a * act.derivative(z, y, 0.0)

    np.testing.assert_allclose(grad_z, y - t, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name, lo_hi", [("linear", None), ("sigmoid", (0.0, 1.0)), ("tanh", (-1.0, 1.0)),
                                         ("relu", None), ("leaky_relu", None), ("softmax", (0.0, 1.0))])
def test_each_activation_states_its_range(name, lo_hi):
    z = np.linspace(-40.0, 40.0, 81)[None, :]
    a = ACTIVATIONS[name].value(z, 0.01)

    assert ACTIVATIONS[name].range == lo_hi
    if lo_hi is not None:
        assert lo_hi[0] <= a.min() and a.max() <= lo_hi[1]


# ---- weight penalties -------------------------------------------------------------------------

@pytest.mark.parametrize("name, penalty", [("none", 0.0), ("l1", 1.5 + 2.0 + 0.5), ("l2", 0.5 * (2.25 + 4 + 0.25))])
def test_penalty_values(name, penalty):
    w = np.array([[1.5, -2.0], [0.5, 0.0]])
    assert REGULARIZERS[name].penalty(w) == pytest.approx(penalty, rel=1e-15)


@pytest.mark.parametrize("name", ["none", "l1", "l2"])
def test_penalty_gradient_matches_central_difference(name):
    reg = REGULARIZERS[name]
    w = np.array([[1.5, -2.0], [0.5, -0.25]])  # no zero entry: |w| has a kink there
    expected = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[i] += H
        minus[i] -= H
        expected[i] = (reg.penalty(plus) - reg.penalty(minus)) / (2 * H)
    np.testing.assert_allclose(reg.gradient(w), expected, rtol=1e-7, atol=1e-12)
