"""Input features over the API: the spec field and its refusals, raw inputs in and out, the features as
the trace's layer 0, the input units' maps, GET /options, and exports in format 2 (format 1 still imports)."""

from __future__ import annotations

import math

import pytest

from app.api.routes import networks

from ..conftest import API

FEATURES = ["x1", "x2", "x1_squared", "x2_squared", "x1_x2"]
BODY = {"layer_sizes": [5, 3, 1], "input_features": FEATURES,
        "dataset": {"name": "circle", "n_samples": 40, "seed": 3}, "init": {"seed": 5}, "batch_size": 4}


def by_hand(row: list[float], names: list[str]) -> list[float]:
    x1, x2 = row
    table = {"x1": x1, "x2": x2, "x1_squared": x1 * x1, "x2_squared": x2 * x2, "x1_x2": x1 * x2,
             "sin_x1": math.sin(x1), "sin_x2": math.sin(x2)}
    return [table[n] for n in names]


def test_a_network_with_features_reports_them_in_its_spec(api):
    state = api.create(**BODY)
    assert state["spec"]["input_features"] == FEATURES
    assert [len(w) for w in state["weights"]] == [5, 3]


def test_without_the_field_the_spec_is_as_before(api):
    assert "input_features" not in api.create(layer_sizes=[2, 3, 1])["spec"]
    assert "input_features" not in api.create(layer_sizes=[2, 3, 1], input_features=None)["spec"]


@pytest.mark.parametrize("change,field,code", [
    ({"layer_sizes": [2, 3, 1]}, "layer_sizes", "invalid_value"),
    ({"input_features": ["x1", "x1", "x2", "x1_x2", "sin_x1"]}, "input_features", "invalid_value"),
    ({"input_features": ["x1", "x2", "x3", "x1_x2", "sin_x1"]}, "input_features[2]", "invalid_value"),
    ({"input_features": []}, "input_features", "invalid_value"),
    ({"layer_sizes": [2, 3, 1], "input_features": ["x1", "x2_squared"], "loss": "mse",
      "output_activation": "linear", "dataset": {"name": "sine"}}, "input_features", "invalid_value"),
])
def test_bad_feature_lists_are_a_422_naming_the_field(api, change, field, code):
    error = api.create(expect=422, **{**BODY, **change})
    assert (error["field"], error["code"]) == (field, code), error
    assert "Traceback" not in error["detail"]


def test_the_layer_size_refusal_says_what_to_do(api):
    error = api.create(expect=422, **{**BODY, "layer_sizes": [2, 3, 1]})
    assert "make the first entry 5" in error["detail"]


def test_data_stays_raw_and_the_trace_shows_the_features_as_layer_0(api):
    sid = api.create(**BODY)["id"]
    data = api.data(sid)
    assert len(data["train"]["inputs"][0]) == 2  # the raw inputs x1, x2
    trace = api.step(sid)
    for row, idx in zip(trace["inputs"], trace["sample_indices"]):
        assert row == pytest.approx(by_hand(data["train"]["inputs"][idx], FEATURES), rel=1e-6)
    given = api.forward(sid, inputs=[[0.5, -2.0]])
    assert given["inputs"][0] == pytest.approx(by_hand([0.5, -2.0], FEATURES), rel=1e-6)


def test_requests_carry_raw_inputs(api):
    sid = api.create(**BODY)["id"]
    assert len(api.predict(sid, [[0.5, -2.0], [1.0, 1.0]])["outputs"]) == 2
    error = api.predict(sid, [[0.5, -2.0, 0.25, 4.0, -1.0]], expect=422)
    assert error["field"] == "inputs" and "2 column" in error["detail"]


def test_the_boundary_has_one_map_per_input_unit(api):
    sid = api.create(**BODY)["id"]
    b = api.boundary(sid, resolution=9, hidden_resolution=5)
    assert [m["resolution"] for m in b["inputs"]] == [5] * 5
    (lo, hi) = b["extent"][0]
    assert (b["inputs"][2]["lo"], b["inputs"][2]["hi"]) == pytest.approx((0.0, hi * hi), rel=1e-6)  # x1² on the grid
    assert b["inputs"][4]["lo"] == pytest.approx(lo * hi, rel=1e-6)  # x1·x2 at opposite corners


def test_train_with_a_boundary_works_through_features(api):
    sid = api.create(**BODY)["id"]
    result = api.train(sid, steps=5, boundary={"resolution": 4})
    assert result["step"] == 5 and len(result["boundary"]["inputs"]) == 5


def test_options_list_the_features_with_label_and_formula(api, client):
    options = client.get(f"{API}/options").json()
    listed = options["input_features"]
    assert [f["name"] for f in listed] == ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]
    assert listed[2] == {"name": "x1_squared", "label": "x₁²", "label_one_input": "x²", "formula": "x1²",
                         "n_inputs": 1}
    assert listed[4]["label_one_input"] is None and listed[4]["n_inputs"] == 2


def test_an_export_with_features_is_format_2_and_imports_to_the_same_network(api):
    sid = api.create(**BODY)["id"]
    api.step(sid)
    doc = api.export(sid)
    assert doc["format"] == "backprop-playground/2" and doc["spec"]["input_features"] == FEATURES
    copy = api.import_(doc)["id"]
    assert api.export(copy) == doc
    assert api.step(copy)["loss"] == api.step(sid)["loss"]


def test_a_format_1_export_still_imports_as_raw_inputs(api):
    doc = api.export(api.create(layer_sizes=[2, 3, 1], dataset={"name": "xor", "n_samples": 40})["id"])
    assert doc["format"] == "backprop-playground/1"
    assert "input_features" not in api.get(api.import_(doc)["id"])["spec"]
    error = api.import_({**doc, "spec": {**doc["spec"], "layer_sizes": [1, 3, 1], "input_features": ["x1_x2"]}},
                        expect=422)
    assert error["field"] == "format"


def test_the_export_format_field_names_both_versions():
    literal = networks.ExportIn.model_json_schema()["properties"]["format"]
    assert literal["enum"] == ["backprop-playground/1", "backprop-playground/2"]


def test_the_openapi_document_shows_the_field_and_a_recorded_boundary_with_features(client):
    doc = client.get("/openapi.json").json()
    field = doc["components"]["schemas"]["NetworkCreate"]["properties"]["input_features"]
    assert field["items"]["enum"] == ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]
    assert field["examples"] == [["x1", "x2", "x1_squared", "x2_squared"]]
    boundary = doc["paths"][f"{API}/networks/{{network_id}}/boundary"]["get"]
    example = boundary["responses"]["200"]["content"]["application/json"]["example"]
    assert [(m["lo"], m["hi"]) for m in example["inputs"]] == [(-6.0, 6.0), (-6.0, 6.0), (-36.0, 36.0)]  # x1·x2


def test_the_byte_estimates_count_the_features_and_the_input_maps(api):
    from app.api.byte_limits import answer_bytes, boundary_bytes
    from app.api.routes.networks import trainer_from_body
    from app.nn.sizing import footprint, step_numbers
    from app.schemas import NetworkCreate

    body = {**BODY, "batch_size": 20}
    sid = api.create(**body)["id"]
    t = trainer_from_body(NetworkCreate.model_validate(body))
    answer = api.client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 30}).content
    assert len(answer) <= boundary_bytes(t, 30, None)
    step = api.client.post(f"{API}/networks/{sid}/step").content
    assert len(step) <= answer_bytes(step_numbers(t.arch.layer_sizes, 20, len(t.slots), False))
    raw = t.data.train_inputs.nbytes + t.data.test_inputs.nbytes
    plain = trainer_from_body(NetworkCreate.model_validate({**body, "layer_sizes": [2, 3, 1], "input_features": None}))
    assert footprint(t).data - footprint(plain).data == t.train_a0.nbytes + t.test_a0.nbytes == 5 * raw // 2
