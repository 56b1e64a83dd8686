"""The chain-rule explanations add up to the trace: every δ, every sum, every path, every ∂E/∂w."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from app.nn.errors import EngineError
from app.nn.explain import StepPass, explain_unit, explain_weight
from app.nn.network import Architecture, Network

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT_LOSS = [("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]


def close(got: np.ndarray | float, want: np.ndarray | float) -> bool:
    """Equal to 1e-12 · max(1, |value|), the issue's bound for every sum shown."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return bool(np.all(np.abs(got - want) <= 1e-12 * np.maximum(1.0, np.abs(want))))


def make_pass(hidden: str, output: str, loss: str, sizes=(3, 4, 3, 2), batch=5, seed=0,
              regularization="none", rate=0.0, use_bias=True) -> StepPass:
    rng = np.random.default_rng(seed)
    arch = Architecture(tuple(sizes), hidden, output, loss, 0.1, use_bias)
    weights = [rng.normal(0, 0.8, (n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(0, 0.3, n) for n in sizes[1:]] if use_bias else None
    net = Network(arch, weights, biases)
    x = rng.normal(0, 1, (batch, sizes[0]))
    if loss == "mse":
        t = rng.normal(0, 1, (batch, sizes[-1]))
    elif output == "softmax":
        t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    else:
        t = rng.integers(0, 2, (batch, sizes[-1])).astype(float)
    fwd = net.forward(x)
    bwd = net.backward(x, t, fwd, regularization, rate)
    return StepPass(arch, net.weights, x, t, fwd, bwd, regularization, rate)


PAIRS = [(h, o, l) for h in HIDDEN for o, l in OUTPUT_LOSS]


@pytest.mark.parametrize("hidden,output,loss", PAIRS)
def test_every_unit_delta_equals_the_trace(hidden, output, loss):
    p = make_pass(hidden, output, loss, seed=len(hidden) * 7 + len(loss))
    for layer in range(1, len(p.arch.layer_sizes)):
        for unit in range(p.arch.layer_sizes[layer]):
            e = explain_unit(p, layer, unit)
            assert close(e["delta"], p.bwd.grad_z[layer - 1][:, unit])
            assert close(e["z"], p.fwd.z[layer - 1][:, unit])
            if e["terms"] is not None:  # hidden: δ = f′(z) · Σ_k w_jk δ_k
                assert close(e["sum"], p.bwd.grad_a[layer - 1][:, unit])
                assert close(sum(term["product"] for term in e["terms"]), e["sum"])
                for term in e["terms"]:
                    assert close(term["delta"], p.bwd.grad_z[layer][:, term["unit"]])
                    assert term["weight"] == p.weights[layer][unit, term["unit"]]
                assert close(e["derivative"] * e["sum"], e["delta"])
            else:
                assert e["output"]["loss"] == loss


def test_output_rules_name_the_natural_pairs_and_the_softmax_jacobian():
    rules = {(o, l): explain_unit(make_pass("tanh", o, l), 3, 0)["output"]["rule"] for o, l in OUTPUT_LOSS}
    assert rules[("linear", "mse")] == "natural"
    assert rules[("sigmoid", "binary_cross_entropy")] == "natural"
    assert rules[("softmax", "cross_entropy")] == "natural"
    assert rules[("softmax", "mse")] == "softmax_jacobian"
    assert rules[("sigmoid", "mse")] == "chain"
    softmax = explain_unit(make_pass("tanh", "softmax", "cross_entropy"), 3, 1)
    assert softmax["derivative"] is None  # no per-unit f′ for softmax


@pytest.mark.parametrize("hidden,output,loss", PAIRS)
def test_every_weight_gradient_and_path_sum_equal_the_trace(hidden, output, loss):
    p = make_pass(hidden, output, loss, seed=3, regularization="l2", rate=0.05)
    for layer, (n_in, n_out) in enumerate(zip(p.arch.layer_sizes[:-1], p.arch.layer_sizes[1:])):
        for i, j in itertools.product(range(n_in), range(n_out)):
            e = explain_weight(p, layer, i, j, limit=1000)
            assert close(e["grad"], p.bwd.grad_weights[layer][i, j])
            assert close(e["paths_sum"], p.bwd.grad_z[layer][:, j])
            assert len(e["paths"]) == e["paths_count"]  # all listed: their products add up to δ_j
            assert close(sum(path["product"] for path in e["paths"]), e["paths_sum"])


def test_path_count_is_exact_and_the_listed_paths_are_the_largest():
    p = make_pass("tanh", "sigmoid", "binary_cross_entropy", sizes=(2, 4, 5, 3, 2), seed=11)
    e = explain_weight(p, 0, 1, 2, sample=2, limit=7)
    assert e["paths_count"] == 5 * 3 * 2
    everything = explain_weight(p, 0, 1, 2, sample=2, limit=1000)["paths"]
    by_size = sorted(everything, key=lambda path: -abs(path["product"][2]))
    assert [abs(path["product"][2]) for path in e["paths"]] == pytest.approx(
        [abs(path["product"][2]) for path in by_size[:7]], rel=1e-12)
    assert e["paths"][0]["units"][0] == 2 and len(e["paths"][0]["units"]) == 4  # one unit per layer 1 … 4
    kinds = [f["kind"] for f in e["paths"][0]["factors"]]
    assert kinds == ["derivative", "weight", "derivative", "weight", "derivative", "weight", "delta"]


def test_paths_of_a_large_network_are_limited_but_the_sum_stays_exact():
    p = make_pass("sigmoid", "linear", "mse", sizes=(2, 8, 8, 8, 8, 8, 3), batch=3, seed=5)
    e = explain_weight(p, 0, 0, 0, limit=5)
    assert e["paths_count"] == 8 ** 4 * 3
    assert len(e["paths"]) == 5
    assert close(e["paths_sum"], p.bwd.grad_z[0][:, 0])


def test_inputs_and_out_of_range_units_are_refused():
    p = make_pass("tanh", "linear", "mse")
    with pytest.raises(EngineError) as info:
        explain_unit(p, 0, 0)
    assert info.value.field == "layer"
    with pytest.raises(EngineError):
        explain_unit(p, 1, 4)
    with pytest.raises(EngineError):
        explain_weight(p, 3, 0, 0)
    with pytest.raises(EngineError):
        explain_weight(p, 0, 0, 0, sample=5)


@pytest.mark.parametrize("output,loss", OUTPUT_LOSS)
def test_means_are_the_batch_means_of_the_per_sample_values(output, loss):
    p = make_pass("tanh", output, loss, seed=8)
    hidden, out = explain_unit(p, 2, 1), explain_unit(p, 3, 0)
    for e in (hidden, out):
        for name in ("z", "a", "derivative", "sum", "delta"):
            want = None if e[name] is None else np.mean(e[name])
            assert e["means"][name] == (None if want is None else pytest.approx(want, rel=1e-15, abs=1e-300))
    for term, mean in zip(hidden["terms"], hidden["means"]["terms"], strict=True):
        assert mean["weight"] == term["weight"] and mean["product"] == pytest.approx(np.mean(term["product"]))
    assert out["means"]["output"]["grad_a"] == pytest.approx(np.mean(out["output"]["grad_a"]))
    w = explain_weight(p, 1, 2, 0)
    assert w["means"]["product"] == pytest.approx(w["grad"], rel=1e-14)  # no penalty: ∂E/∂w is the mean
    assert w["means"]["paths_sum"] == pytest.approx(np.mean(w["delta"]), rel=1e-14)
