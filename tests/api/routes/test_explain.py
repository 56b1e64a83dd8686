"""Explaining kept steps over HTTP: the chain rule adds up to the trace, the gradient check agrees,
the kept steps follow the network's life (and its workers), the worked example reads −4, 1.4, 0.72."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.exceptions import StarletteDeprecationWarning

from app.config import AppSettings
from app.main import create_app
from app.schemas import StepTrace
from app.schemas import explanation_examples as examples
from app.schemas.explanations import GradientCheck, LossCurve, UnitExplanation, WeightExplanation

from ..conftest import API, WORKED_EXAMPLE, Api

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT_LOSS = [("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]
PAIRS = [(h, o, l) for h in HIDDEN for o, l in OUTPUT_LOSS]
SIZES = [3, 4, 3, 2]


def close(got: Any, want: Any) -> bool:
    """Equal to 1e-12 · max(1, |value|), the issue's bound for every sum shown."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return bool(np.all(np.abs(got - want) <= 1e-12 * np.maximum(1.0, np.abs(want))))


def random_network(api: Api, hidden: str, output: str, loss: str, seed: int, **changes: Any) -> str:
    """A 3-4-3-2 network on random data of its own (one-hot targets suit every loss)."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(0, 1, (12, SIZES[0]))
    targets = np.eye(2)[rng.integers(0, 2, 12)]
    body = {"layer_sizes": SIZES, "activation": hidden, "output_activation": output, "loss": loss,
            "init": {"seed": seed, "scheme": "he_normal" if "relu" in hidden else "xavier_normal"},
            "data": {"inputs": inputs.tolist(), "targets": targets.tolist()}, "batch_size": 5,
            "regularization": {"kind": "l2", "rate": 0.01}, "optimizer": {"name": "adam", "learning_rate": 0.05},
            **changes}
    return api.create(**body)["id"]


def get(api: Api, sid: str, path: str, expect: int = 200, **query: Any) -> Any:
    return api.check(api.client.get(f"{API}/networks/{sid}/{path}", params=query), expect)


def gradcheck(api: Api, sid: str, expect: int = 200, **body: Any) -> Any:
    return api.check(api.client.post(f"{API}/networks/{sid}/gradcheck", json=body), expect)


# ---- the explanations add up to the trace -------------------------------------------------------------
@pytest.mark.parametrize("hidden,output,loss", PAIRS)
def test_every_unit_and_weight_explanation_sums_to_the_trace(api, hidden, output, loss):
    sid = random_network(api, hidden, output, loss, seed=len(hidden) * 5 + len(loss))
    api.step(sid)
    trace = api.step(sid)  # the second step: the optimizer's slots are not zero any more
    for layer in range(1, len(SIZES)):
        for unit in range(SIZES[layer]):
            e = get(api, sid, "explain/unit", layer=layer, unit=unit)
            UnitExplanation.model_validate(e)
            assert e["step"] == 2
            assert close(e["delta"], np.asarray(trace["backward"][layer - 1]["grad_z"])[:, unit])
            assert close(e["z"], np.asarray(trace["forward"][layer - 1]["z"])[:, unit])
            if e["terms"] is not None:
                assert close(np.sum([t["product"] for t in e["terms"]], axis=0), e["sum"])
                assert close(e["sum"], np.asarray(trace["backward"][layer - 1]["grad_a"])[:, unit])
                assert close(np.asarray(e["derivative"]) * e["sum"], e["delta"])
            assert close(e["means"]["delta"], np.mean(e["delta"]))
    for layer, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        for i, j in itertools.product(range(n_in), range(n_out)):
            e = get(api, sid, "explain/weight", layer=layer, source=i, target=j, limit=50)
            WeightExplanation.model_validate(e)
            assert close(e["grad"], trace["backward"][layer]["grad_weights"][i][j])
            assert close(e["paths_sum"], np.asarray(trace["backward"][layer]["grad_z"])[:, j])
            assert len(e["paths"]) == e["paths_count"] == int(np.prod(SIZES[layer + 2:]))
            assert close(np.sum([p["product"] for p in e["paths"]], axis=0), e["paths_sum"])


def test_the_listed_paths_are_limited_and_ranked_for_the_sample_asked(api):
    sid = random_network(api, "tanh", "softmax", "cross_entropy", seed=4)
    api.step(sid)
    e = get(api, sid, "explain/weight", layer=0, source=1, target=2, sample=3, limit=2)
    assert e["sample"] == 3 and e["paths_count"] == 6 and len(e["paths"]) == 2
    sizes = [abs(p["product"][3]) for p in get(api, sid, "explain/weight", layer=0, source=1, target=2,
                                                   sample=3)["paths"]]
    assert [abs(p["product"][3]) for p in e["paths"]] == sorted(sizes, reverse=True)[:2]


# ---- the gradient check -----------------------------------------------------------------------------------
@pytest.mark.parametrize("hidden,output,loss", PAIRS)
def test_gradcheck_agrees_with_backprop_on_every_pair(api, hidden, output, loss):
    sid = random_network(api, hidden, output, loss, seed=7 + len(hidden) + 3 * len(output))
    preview = api.forward(sid)
    kink = min(float(np.min(np.abs(np.asarray(layer["z"])))) for layer in preview["forward"][:-1])
    assert kink > 1e-4  # inputs kept away from ReLU's kink: no z within reach of ε
    check = gradcheck(api, sid)
    GradientCheck.model_validate(check)
    assert check["max_relative_error"] < 1e-6
    assert len(check["parameters"]) == sum((a + 1) * b for a, b in zip(SIZES[:-1], SIZES[1:]))
    assert check["sample_indices"] == preview["sample_indices"]  # the next mini-batch, previewed
    step = api.step(sid)  # the gradient the next step uses is the one checked
    first = check["parameters"][0]
    assert (first["layer"], first["kind"], first["index"]) == (0, "weight", [0, 0])
    assert first["backprop"] == step["backward"][0]["grad_weights"][0][0]
    last = check["parameters"][-1]
    assert (last["layer"], last["kind"], last["index"]) == (2, "bias", [1])
    assert last["backprop"] == step["backward"][2]["grad_biases"][1]


def test_gradcheck_changes_nothing(api):
    sid = random_network(api, "tanh", "sigmoid", "binary_cross_entropy", seed=2)
    twin = random_network(api, "tanh", "sigmoid", "binary_cross_entropy", seed=2)
    api.step(sid), api.step(twin)
    before = api.export(sid)
    gradcheck(api, sid, epsilon=1e-4)
    gradcheck(api, sid, inputs=[[0.1, 0.2, 0.3]], targets=[[1.0, 0.0]])
    assert api.export(sid) == before
    assert api.step(sid) == api.step(twin)


def test_gradcheck_on_given_inputs_and_its_refusals(api, make_client):
    sid = random_network(api, "tanh", "linear", "mse", seed=3)
    check = gradcheck(api, sid, inputs=[[0.5, -0.5, 1.0]], targets=[[0.2, 0.4]], epsilon=1e-5)
    assert check["sample_indices"] is None and check["epsilon"] == 1e-5 and check["max_relative_error"] < 1e-6
    assert gradcheck(api, sid, 422, targets=[[0.2, 0.4]])["field"] == "targets"
    assert gradcheck(api, sid, 422, epsilon=0)["field"] == "epsilon"
    small = Api(make_client(max_train_work=10_000))
    refused = gradcheck(small, random_network(small, "tanh", "linear", "mse", seed=3), 422)
    assert refused["field"] == "batch_size" and "work units" in refused["detail"]


def test_gradcheck_of_a_kept_step_checks_the_gradient_that_step_used(api):
    sid = random_network(api, "tanh", "sigmoid", "binary_cross_entropy", seed=4)
    traces = [api.step(sid) for _ in range(3)]
    check = gradcheck(api, sid, step=2)
    assert check["step"] == 2 and check["sample_indices"] == traces[1]["sample_indices"]
    assert check["max_relative_error"] < 1e-6
    weights = [p for p in check["parameters"] if p["kind"] == "weight"]
    for p in weights:  # backprop here is exactly the gradient step 2 used, not today's
        i, j = p["index"]
        assert p["backprop"] == traces[1]["backward"][p["layer"]]["grad_weights"][i][j]
    refused = gradcheck(api, sid, 422, step=2, inputs=[[0.1, 0.2, 0.3]], targets=[[1.0, 0.0]])
    assert refused["field"] == "step"
    assert gradcheck(api, sid, 404, step=9)["code"] == "step_not_kept"


# ---- the kept steps -----------------------------------------------------------------------------------------
def test_the_trace_of_a_kept_step_is_what_step_returned(api):
    sid = random_network(api, "relu", "softmax", "cross_entropy", seed=5)
    traces = [api.step(sid) for _ in range(3)] + [api.step(sid, inputs=[[1.0, 2.0, 3.0]], targets=[[0.0, 1.0]])]
    for trace in traces:
        kept = get(api, sid, f"steps/{trace['step']}/trace")
        StepTrace.model_validate(kept)
        assert kept == trace
    compact = api.client.post(f"{API}/networks/{sid}/step?precision=compact").content
    assert api.client.get(f"{API}/networks/{sid}/steps/5/trace?precision=compact").content == compact


def test_loss_after_is_a_forward_of_the_same_batch_after_the_step(api):
    sid = random_network(api, "tanh", "sigmoid", "mse", seed=6)
    for _ in range(2):
        trace = api.step(sid)
        after = api.forward(sid, inputs=trace["inputs"], targets=trace["targets"])
        assert trace["loss_after"] == after["loss"]
        assert trace["optimizer"]["name"] == "adam" and trace["optimizer"]["t_after"] == trace["step"]


def test_a_step_21_steps_back_is_no_longer_kept(api):
    sid = random_network(api, "tanh", "linear", "mse", seed=1)
    api.train(sid, steps=21)
    assert get(api, sid, "explain/unit", layer=1, unit=0, step=2)["step"] == 2
    for path, query in (("explain/unit", {"layer": 1, "unit": 0}), ("explain/weight", {"layer": 0, "source": 0,
                        "target": 0}), ("explain/loss-curve", {"layer": 0, "source": 0, "target": 0})):
        refused = get(api, sid, path, 404, step=1, **query)
        assert refused["code"] == "step_not_kept" and refused["field"] == "step"
        assert "last 20 applied steps" in refused["detail"]
    assert get(api, sid, "steps/1/trace", 404)["code"] == "step_not_kept"
    assert get(api, sid, "steps/22/trace", 404)["code"] == "step_not_kept"


def test_reset_and_import_clear_the_kept_steps_and_patch_keeps_them(api):
    sid = random_network(api, "tanh", "linear", "mse", seed=1)
    first = api.step(sid)
    api.patch(sid, optimizer={"learning_rate": 0.5}, regularization={"kind": "l1", "rate": 0.1})
    assert get(api, sid, "steps/1/trace") == first  # re-run with the settings in force then
    imported = api.import_(api.export(sid))["id"]
    assert get(api, imported, "steps/1/trace", 404)["code"] == "step_not_kept"
    assert get(api, imported, "explain/unit", 404, layer=1, unit=0)["code"] == "step_not_kept"  # the newest
    api.reset(sid)
    assert get(api, sid, "steps/1/trace", 404)["code"] == "step_not_kept"


def test_a_step_kept_by_one_worker_is_explained_by_another(tmp_path: Path):
    settings = AppSettings(store="sqlite", data_dir=tmp_path, create_rate_per_minute=0)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as other:
        a, b = Api(one), Api(other)
        sid = random_network(a, "sigmoid", "softmax", "mse", seed=9)
        traces = [a.step(sid), b.step(sid), a.step(sid)]
        for trace in traces:
            assert get(b, sid, f"steps/{trace['step']}/trace") == trace
            assert get(a, sid, f"steps/{trace['step']}/trace") == trace
        unit = get(b, sid, "explain/unit", layer=2, unit=1)
        assert unit["step"] == 3 and close(unit["delta"], np.asarray(traces[2]["backward"][1]["grad_z"])[:, 1])
        b.reset(sid)
        assert get(a, sid, "steps/3/trace", 404)["code"] == "step_not_kept"


# ---- refusals ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, query, field", [
    ("explain/unit", {"layer": 0, "unit": 0}, "layer"),  # the inputs have no δ
    ("explain/unit", {"layer": 4, "unit": 0}, "layer"),
    ("explain/unit", {"layer": 1, "unit": 4}, "unit"),
    ("explain/weight", {"layer": 3, "source": 0, "target": 0}, "layer"),
    ("explain/weight", {"layer": 0, "source": 3, "target": 0}, "source"),
    ("explain/weight", {"layer": 0, "source": 0, "target": -1}, "target"),
    ("explain/weight", {"layer": 0, "source": 0, "target": 0, "sample": 5}, "sample"),
    ("explain/weight", {"layer": 0, "source": 0, "target": 0, "limit": 51}, "limit"),
    ("explain/weight", {"layer": "one", "source": 0, "target": 0}, "layer"),
    ("explain/loss-curve", {"layer": 0, "source": 9, "target": 0}, "source"),
    ("explain/loss-curve", {"layer": 0, "source": 0, "target": 0, "points": 1}, "points"),
    ("explain/loss-curve", {"layer": 0, "source": 0, "target": 0, "lo": 1.0}, "hi"),
    ("explain/loss-curve", {"layer": 0, "source": 0, "target": 0, "lo": "nan", "hi": 1.0}, "lo"),
])
def test_what_the_network_has_not_is_a_422_naming_the_field(api, path, query, field):
    sid = random_network(api, "tanh", "linear", "mse", seed=1)
    api.step(sid)
    assert get(api, sid, path, 422, **query)["field"] == field


def test_a_loss_curve_over_the_work_limit_is_refused(make_client):
    api = Api(make_client(max_train_work=20_000))
    sid = random_network(api, "tanh", "linear", "mse", seed=1)
    api.step(sid)
    assert get(api, sid, "explain/loss-curve", 200, layer=0, source=0, target=0, points=3)["step"] == 1
    assert get(api, sid, "explain/loss-curve", 422, layer=0, source=0, target=0, points=200)["field"] == "points"


# ---- the worked example -------------------------------------------------------------------------------------------
def test_the_worked_example_reads_minus_4_then_1_4_and_0_72(api):
    sid = api.create(**WORKED_EXAMPLE)["id"]
    api.step(sid)
    weight = get(api, sid, "explain/weight", layer=0, source=0, target=0)
    assert (weight["a"], weight["delta"], weight["product"], weight["grad"]) == ([2.0], [-2.0], [-4.0], -4.0)
    output = get(api, sid, "explain/unit", layer=1, unit=0)["output"]
    assert (output["rule"], output["y"], output["t"]) == ("natural", [2.0], [4.0])
    curve = get(api, sid, "explain/loss-curve", layer=0, source=0, target=0)
    LossCurve.model_validate(curve)
    assert (curve["w_before"], curve["loss_before"], curve["grad"], curve["learning_rate"]) == (1.0, 2.0, -4.0, 0.1)
    assert curve["w_after"] == pytest.approx(1.4, abs=1e-15) and curve["delta_w"] == pytest.approx(0.4, abs=1e-15)
    assert curve["loss_after"] == curve["loss_at_w_after"] == pytest.approx(0.72, abs=1e-15)
    assert len(curve["w"]) == len(curve["loss"]) == 41 and curve["w"][0] < 1.0 < 2.0 < curve["w"][-1]
    np.testing.assert_allclose(curve["loss"], 0.5 * (2 * np.asarray(curve["w"]) - 4) ** 2, rtol=1e-13, atol=1e-15)


def without_nulls(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: without_nulls(v) for k, v in doc.items() if v is not None}
    return [without_nulls(v) for v in doc] if isinstance(doc, list) else doc


def test_the_openapi_examples_are_what_the_app_answers(api, client):
    sid = api.create(**WORKED_EXAMPLE)["id"]
    api.step(sid)
    answers = {
        "UNIT_EXPLANATION": get(api, sid, "explain/unit", layer=1, unit=0),
        "WEIGHT_EXPLANATION": get(api, sid, "explain/weight", layer=0, source=0, target=0),
        "LOSS_CURVE": get(api, sid, "explain/loss-curve", layer=0, source=0, target=0, points=5, lo=0, hi=2),
        "GRADIENT_CHECK": gradcheck(api, sid, **examples.GRADIENT_CHECK_IN),
    }
    for name, answer in answers.items():
        assert getattr(examples, name) == answer, name
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for model, example in ((UnitExplanation, examples.UNIT_EXPLANATION), (WeightExplanation,
                           examples.WEIGHT_EXPLANATION), (LossCurve, examples.LOSS_CURVE),
                           (GradientCheck, examples.GRADIENT_CHECK)):
        model.model_validate(example)
        assert schemas[model.__name__]["examples"] == [without_nulls(example)]  # (FastAPI drops nulls there)
    assert examples.GRADIENT_CHECK_IN in schemas["GradientCheckIn"]["examples"]
