"""Bad input: every invalid request is a 4xx with a stable `code` and a plain `detail`, never a 500,
never a stack trace.

Raw bodies are sent as bytes: a JSON encoder would not write NaN or Infinity, but clients can.
"""

from __future__ import annotations

import json

import pytest

from .conftest import API, Api

WORKED = (b'"layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse", '
          b'"use_bias": false, "dataset": {"name": "worked_example"}')
NON_FINITE = [b"NaN", b"Infinity", b"-Infinity"]


def assert_plain_422(body: dict, field: str, code: str = "invalid_value") -> None:
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"].endswith(".")
    assert "Traceback" not in body["detail"]
    assert body["field"] == field


# ---- non-finite numbers --------------------------------------------------------------------
@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_weights_are_refused(api, literal):
    body = api.post_raw("/networks", b"{" + WORKED + b', "weights": [[[' + literal + b"]]]}", 422)

    assert_plain_422(body, "weights[0][0][0]")
    assert "finite" in body["detail"]


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_learning_rate_is_refused(api, literal):
    body = api.post_raw("/networks", b'{"optimizer": {"name": "sgd", "learning_rate": ' + literal + b"}}", 422)

    assert_plain_422(body, "optimizer.learning_rate")


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_inputs_of_a_step_are_refused(api, worked_example, literal):
    body = api.post_raw(f"/networks/{worked_example['id']}/step",
                        b'{"inputs": [[' + literal + b']], "targets": [[1.0]]}', 422)

    assert_plain_422(body, "inputs[0][0]")
    assert api.get(worked_example["id"])["step"] == 0


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_targets_are_refused(api, worked_example, literal):
    body = api.post_raw(f"/networks/{worked_example['id']}/forward",
                        b'{"inputs": [[1.0]], "targets": [[' + literal + b"]]}", 422)

    assert_plain_422(body, "targets[0][0]")


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_predict_inputs_are_refused(api, worked_example, literal):
    body = api.post_raw(f"/networks/{worked_example['id']}/predict", b'{"inputs": [[' + literal + b"]]}", 422)

    assert_plain_422(body, "inputs[0][0]")


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_own_data_is_refused(api, literal):
    raw = (b'{"layer_sizes": [1, 1], "output_activation": "linear", "loss": "mse", '
           b'"data": {"inputs": [[1.0], [' + literal + b']], "targets": [[0.0], [1.0]]}}')

    body = api.post_raw("/networks", raw, 422)

    assert_plain_422(body, "data.inputs[1][0]")


@pytest.mark.parametrize(("path", "field"), [
    (b'"leaky_relu_slope": NaN', "leaky_relu_slope"),
    (b'"init": {"bias_value": Infinity}', "init.bias_value"),
    (b'"regularization": {"kind": "l2", "rate": NaN}', "regularization.rate"),
    (b'"dataset": {"noise": NaN}', "dataset.noise"),
    (b'"optimizer": {"name": "momentum", "momentum": NaN}', "optimizer.momentum"),
    (b'"optimizer": {"name": "adam", "epsilon": Infinity}', "optimizer.epsilon"),
])
def test_non_finite_settings_are_refused(api, path, field):
    body = api.post_raw("/networks", b"{" + path + b"}", 422)

    assert_plain_422(body, field)


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_learning_rate_in_a_patch_is_refused(api, worked_example, literal):
    response = api.client.patch(f"{API}/networks/{worked_example['id']}",
                                content=b'{"optimizer": {"learning_rate": ' + literal + b"}}",
                                headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert_plain_422(response.json(), "optimizer.learning_rate")


def test_non_finite_optimizer_state_in_an_import_is_refused(api):
    sid = api.create(optimizer={"name": "momentum"}, dataset={"n_samples": 20})["id"]
    api.step(sid)
    raw = api.client.get(f"{API}/networks/{sid}/export").content
    start = raw.index(b'"slots":{"v":{"weights":[[[') + len(b'"slots":{"v":{"weights":[[[')
    end = raw.index(b",", start)

    body = api.post_raw("/networks/import", raw[:start] + b"NaN" + raw[end:], 422)

    assert body["field"] == "optimizer_state.slots.v.weights[0][0][0]"


# ---- values beyond ±1e6 -----------------------------------------------------------------------
@pytest.mark.parametrize("value", [1.000001e6, -2e6, 1e300])
def test_weights_beyond_a_million_are_refused(api, value):
    body = api.create(422, layer_sizes=[1, 1], output_activation="linear", loss="mse", use_bias=False,
                      weights=[[[value]]], dataset={"name": "worked_example"})

    assert_plain_422(body, "weights[0][0][0]", "limit_exceeded")
    assert body["params"] == {"limit": "max_abs_value", "max": 1e6, "value": value}
    assert "1000000" in body["detail"]


def test_weights_of_exactly_a_million_are_accepted(api):
    state = api.create(layer_sizes=[1, 1], output_activation="linear", loss="mse", use_bias=False,
                       weights=[[[-1e6]]], dataset={"name": "worked_example"})

    assert state["weights"] == [[[-1e6]]]


def test_inputs_beyond_a_million_are_refused(api, worked_example):
    body = api.forward(worked_example["id"], 422, inputs=[[2e6]])

    assert_plain_422(body, "inputs[0][0]", "limit_exceeded")


def test_learning_rate_beyond_a_million_is_refused(api):
    body = api.create(422, optimizer={"name": "sgd", "learning_rate": 1.5e6})

    assert_plain_422(body, "optimizer.learning_rate", "limit_exceeded")


def test_own_targets_beyond_a_million_are_refused(api):
    body = api.create(422, layer_sizes=[1, 1], output_activation="linear", loss="mse",
                      data={"inputs": [[0.0]], "targets": [[-1e7]]})

    assert_plain_422(body, "data.targets[0][0]", "limit_exceeded")


# ---- malformed and mistyped bodies -------------------------------------------------------------
@pytest.mark.parametrize("raw", [b'{"layer_sizes": [2, 4, 1', b"{'single': 'quotes'}", b"not json at all",
                                 b'{"a": 1,}', b"\xff\xfe"])
def test_malformed_json_is_422_with_a_plain_detail(api, raw):
    body = api.post_raw("/networks", raw, 422)

    assert body["detail"].startswith("The request body is not valid JSON")
    assert body["field"] == "body" and body["code"] == "invalid_json"


@pytest.mark.parametrize("raw", [b"l^\xd9\xc8\x17", b'{"batch_size": "\xb2"}'])
def test_a_body_that_is_not_utf8_is_422_with_a_plain_detail(api, raw):
    body = api.post_raw("/networks", raw, 422)

    assert body == {"code": "invalid_json", "detail": "The request body is not valid JSON: it is not UTF-8 text.",
                    "field": "body", "params": {}}


def test_a_json_array_instead_of_an_object_is_refused(api):
    body = api.post_raw("/networks", b"[1, 2]", 422)

    assert_plain_422(body, "body")


def test_a_string_where_a_number_belongs_is_refused_naming_the_field(api):
    body = api.create(422, batch_size="ten")

    assert_plain_422(body, "batch_size")
    assert "integer" in body["detail"]


def test_a_list_where_an_object_belongs_is_refused(api):
    body = api.create(422, optimizer=["sgd"])

    assert_plain_422(body, "optimizer")


def test_several_problems_are_named_in_one_sentence(api):
    body = api.create(422, batch_size=0, activation="nope", loss="nope", layer_sizes=[0], use_bias="maybe")

    assert body["detail"].startswith("Invalid request: ")
    assert "more problem(s)" in body["detail"]
    assert len(body["errors"]) >= 4
    assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"])


def test_an_empty_layer_sizes_is_refused(api):
    assert_plain_422(api.create(422, layer_sizes=[]), "layer_sizes")


def test_a_zero_layer_size_is_refused(api):
    assert_plain_422(api.create(422, layer_sizes=[2, 0, 1]), "layer_sizes[1]")


def test_a_negative_seed_is_refused(api):
    assert_plain_422(api.create(422, init={"seed": -1}), "init.seed")


def test_a_huge_seed_is_refused(api):
    assert_plain_422(api.create(422, init={"seed": 2**64}), "init.seed")


def test_a_huge_integer_layer_size_is_refused_not_a_crash(api):
    body = api.create(422, layer_sizes=[2, 10**30, 1])

    assert body["field"] == "layer_sizes" and body["code"] == "limit_exceeded"
    assert body["params"] == {"limit": "max_units", "max": 32, "value": 1e30}


def test_404_answers_for_unknown_paths_in_json(client):
    response = client.get(f"{API}/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not Found", "field": None, "params": {}}


def test_a_wrong_method_is_405(client):
    response = client.put(f"{API}/networks")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.json()["params"] == {"allowed": ["POST"]} and response.headers["allow"] == "POST"


# ---- an unexpected failure is a plain 500 without a stack trace ----------------------------------
def test_an_unexpected_error_is_a_plain_500_without_details(unexpected_500):
    response = unexpected_500
    assert response.status_code == 500
    assert response.json() == {"code": "internal_error",
                               "detail": "Something went wrong on the server; the error was logged. Please try "
                                         "again, and report it if it keeps happening.", "field": None, "params": {}}
    assert "secret" not in response.text and "Traceback" not in response.text


# ---- limits of this server --------------------------------------------------------------------
def test_a_limit_is_an_api_rule_not_an_engine_error():
    from app.api.limits import LimitExceeded
    from app.nn import EngineError

    assert not issubclass(LimitExceeded, EngineError)


def test_a_request_over_a_limit_is_a_plain_422_naming_the_limit(make_client):
    api = Api(make_client(max_units=4))

    body = api.create(422, layer_sizes=[2, 5, 1])

    assert body == {"code": "limit_exceeded",
                    "detail": "layer_sizes has a layer of 5 units; at most 4 units per layer are allowed",
                    "field": "layer_sizes", "params": {"limit": "max_units", "max": 4, "value": 5}}


def test_an_engine_refusal_is_invalid_value_naming_the_field(api):
    body = api.create(422, loss="cross_entropy", output_activation="sigmoid")

    assert body["code"] == "invalid_value" and body["params"] == {}
    assert body["field"] == "loss"


def test_a_step_not_kept_is_404_with_the_step_and_the_steps_applied(api, worked_example):
    api.step(worked_example["id"])

    body = api.check(api.client.get(f"{API}/networks/{worked_example['id']}/steps/5/trace"), 404)

    assert body["code"] == "step_not_kept" and body["field"] == "step"
    assert body["params"] == {"step": 5, "applied": 1}


# ---- the parser's limits are refusals like any other --------------------------------------------
DEEP = 10_000


@pytest.mark.parametrize("raw", [b"[" * DEEP + b"]" * DEEP, b'{"inputs": ' + b"[" * DEEP + b"]" * DEEP + b"}",
                                 b'{"a": ' * DEEP + b"1" + b"}" * DEEP])
@pytest.mark.parametrize("path", ["/networks", "/networks/import", "{sid}/step", "{sid}/forward", "{sid}/train"])
def test_a_body_nested_too_deeply_is_422_naming_the_body(api, raw, path):
    sid = api.create(dataset={"n_samples": 20})["id"]

    body = api.post_raw(path.replace("{sid}", f"/networks/{sid}"), raw, 422)

    assert body == {"code": "invalid_json", "detail": "The request body is not valid JSON: it is nested too deeply "
                    "for this server.", "field": "body", "params": {}}


# ---- numbers are strict: no strings, no booleans ------------------------------------------------
@pytest.mark.parametrize("value", [True, False, "0.5", "1"])
@pytest.mark.parametrize(("body", "field"), [
    ({"optimizer": {"learning_rate": "{v}"}}, "optimizer.learning_rate"),
    ({"optimizer": {"name": "adam", "beta1": "{v}"}}, "optimizer.beta1"),
    ({"regularization": {"kind": "l2", "rate": "{v}"}}, "regularization.rate"),
    ({"batch_size": "{v}"}, "batch_size"),
    ({"layer_sizes": [2, "{v}", 1]}, "layer_sizes[1]"),
    ({"init": {"seed": "{v}"}}, "init.seed"),
    ({"init": {"bias_value": "{v}"}}, "init.bias_value"),
    ({"dataset": {"noise": "{v}"}}, "dataset.noise"),
    ({"weights": [[["{v}", 0.0], [0.0, 0.0]], [[0.0], [0.0]]], "layer_sizes": [2, 2, 1]}, "weights[0][0][0]"),
])
def test_a_string_or_boolean_is_not_a_number_when_creating(api, body, field, value):
    body = json.loads(json.dumps(body).replace('"{v}"', json.dumps(value)))

    assert_plain_422(api.create(422, **body), field)


@pytest.mark.parametrize("value", [True, "2"])
def test_a_string_or_boolean_is_not_a_number_in_other_calls(api, worked_example, value):
    sid = worked_example["id"]
    assert_plain_422(api.patch(sid, 422, batch_size=value), "batch_size")
    assert_plain_422(api.patch(sid, 422, optimizer={"learning_rate": value}), "optimizer.learning_rate")
    assert_plain_422(api.step(sid, 422, inputs=[[value]], targets=[[4.0]]), "inputs[0][0]")
    assert_plain_422(api.train(sid, 422, steps=value), "steps")
    assert_plain_422(api.train(sid, 422, boundary={"resolution": value}), "boundary.resolution")
    assert_plain_422(api.import_({**api.export(sid), "step": value}, 422), "step")
    assert api.get(sid)["step"] == 0


def test_use_bias_is_a_boolean_not_a_number(api):
    assert_plain_422(api.create(422, use_bias=1), "use_bias")


def test_integers_are_taken_where_reals_are_expected(api):
    state = api.create(optimizer={"name": "sgd", "learning_rate": 1}, init={"bias_value": 0, "seed": 1},
                       dataset={"n_samples": 20})

    assert state["spec"]["optimizer"]["learning_rate"] == 1.0
