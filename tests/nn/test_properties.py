"""Properties that hold for any network the settings allow (Hypothesis draws them)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from app.nn import EngineError, InitSettings, OptimizerSettings, RegularizationSettings, Settings, Trainer
from app.nn.activations import HIDDEN_ACTIVATIONS, softmax

PAIRS = [("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse"),
         ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]
FEW = settings(max_examples=60, deadline=None)


@st.composite
def problems(draw):
    """A valid random network with moderate weights, a batch and targets its loss accepts."""
    output, loss = draw(st.sampled_from(PAIRS))
    hidden = draw(st.lists(st.integers(1, 6), min_size=0, max_size=3))
    n_in = draw(st.integers(1, 4))
    n_out = draw(st.integers(2 if output == "softmax" else 1, 4))
    sizes = [n_in, *hidden, n_out]
    batch = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.floats(0.01, 3.0))
    weights = [rng.uniform(-scale, scale, (m, n)) for m, n in zip(sizes[:-1], sizes[1:], strict=True)]
    x = rng.uniform(-5, 5, (batch, n_in))
    if output == "softmax":
        t = np.eye(n_out)[rng.integers(0, n_out, batch)]
    elif loss == "binary_cross_entropy":
        t = rng.integers(0, 2, (batch, n_out)).astype(float)
    else:
        t = rng.uniform(-1, 1, (batch, n_out))
    s = Settings(layer_sizes=sizes, activation=draw(st.sampled_from(HIDDEN_ACTIVATIONS)), output_activation=output,
                 loss=loss, use_bias=draw(st.booleans()), init=InitSettings(seed=0), dataset=None, batch_size=batch,
                 optimizer=OptimizerSettings(draw(st.sampled_from(["sgd", "momentum", "adagrad", "rmsprop", "adam"])),
                                             0.01),
                 regularization=RegularizationSettings(draw(st.sampled_from(["none", "l1", "l2"])), 0.01))
    return s, weights, x, t


@FEW
@given(problems())
def test_moderate_weights_give_a_finite_non_negative_loss_and_finite_gradients(problem):
    s, weights, x, t = problem
    trainer = Trainer(s, weights=weights, data={"inputs": x, "targets": t})
    trace = trainer.step()
    assert trace["applied"] and trace["diverged"] is None
    assert np.isfinite(trace["loss"]) and trace["loss"] >= trace["data_loss"] >= 0.0
    assert (trace["loss_per_sample"] >= 0.0).all()
    for layer in trace["backward"]:
        assert np.isfinite(layer["grad_z"]).all() and np.isfinite(layer["grad_weights"]).all()
    for layer in trace["backward"][:-1]:
        assert np.isfinite(layer["grad_a"]).all()


@FEW
@given(problems())
def test_trace_shapes_follow_the_layer_sizes(problem):
    s, weights, x, t = problem
    trace = Trainer(s, weights=weights, data={"inputs": x, "targets": t}).step()
    batch = len(x)
    assert trace["loss_per_sample"].shape == (batch,)
    for l, (n_in, n_out) in enumerate(zip(s.layer_sizes[:-1], s.layer_sizes[1:], strict=True)):
        fw, bw, up = trace["forward"][l], trace["backward"][l], trace["update"][l]
        assert fw["z"].shape == fw["a"].shape == bw["grad_a"].shape == bw["grad_z"].shape == (batch, n_out)
        assert bw["grad_weights"].shape == up["weights"].shape == up["weight_deltas"].shape == (n_in, n_out)
        if s.use_bias:
            assert bw["grad_biases"].shape == up["biases"].shape == up["bias_deltas"].shape == (n_out,)
        else:
            assert bw["grad_biases"] is None and up["biases"] is None and up["bias_deltas"] is None


@FEW
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)),
              elements=st.floats(-1e300, 1e300, allow_nan=False)))
def test_softmax_rows_are_probabilities_for_any_finite_input(z):
    p = softmax(z)
    assert np.isfinite(p).all() and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    rows = np.arange(len(z))
    np.testing.assert_array_equal(p[rows, z.argmax(axis=1)], p.max(axis=1))  # the largest z wins


@FEW
@given(st.lists(st.integers(-3, 40), min_size=1, max_size=6))
def test_layer_sizes_are_either_accepted_or_refused_with_an_engine_error(sizes):
    s = Settings(layer_sizes=sizes, output_activation="linear", loss="mse", init=InitSettings(seed=0), dataset=None)
    data = {"inputs": np.zeros((2, max(sizes[0], 1))), "targets": np.zeros((2, max(sizes[-1], 1)))}
    try:
        trainer = Trainer(s, data=data)
    except EngineError as err:
        assert err.field == "layer_sizes" and err.message
    else:
        assert len(sizes) >= 2 and min(sizes) >= 1
        assert [w.shape for w in trainer.network.weights] == list(zip(sizes[:-1], sizes[1:], strict=True))
