"""The limits of app.api.limits follow the app's own settings: an app made with smaller limits refuses
what the defaults allow, one made with larger limits accepts what the defaults refuse, and every
refusal is the usual 422 {code: limit_exceeded, detail, field, params}."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import API, WORKED_EXAMPLE, Api

ONE_WEIGHT: dict[str, Any] = {"layer_sizes": [1, 1], "output_activation": "linear", "loss": "mse", "use_bias": False,
                              "dataset": {"name": "worked_example"}}
SMALL: dict[str, Any] = {"layer_sizes": [2, 2, 1], "dataset": {"name": "circle", "n_samples": 20, "seed": 1},
                         "init": {"seed": 1}}


def refused(response: Any, field: str, *words: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"code", "detail", "field", "params"} and body["field"] == field
    assert body["code"] == "limit_exceeded" and set(body["params"]) >= {"limit", "max", "value"}
    assert body["detail"].endswith(".") or "at most" in body["detail"]
    assert all(w in body["detail"] for w in words), body["detail"]


# ---- smaller limits refuse what the defaults allow ----------------------------------------------
@pytest.mark.parametrize(("change", "field"), [
    ({"weights": [[[11.0]]]}, "weights[0][0][0]"),
    ({"optimizer": {"name": "sgd", "learning_rate": 10.5}}, "optimizer.learning_rate"),
    ({"regularization": {"kind": "l2", "rate": 12.0}}, "regularization.rate"),
    ({"init": {"bias_value": -11.0}, "use_bias": True}, "init.bias_value"),
    ({"data": {"inputs": [[1.0], [-20.0]], "targets": [[0.0], [1.0]]}, "dataset": None}, "data.inputs[1][0]"),
])
def test_a_small_max_abs_value_refuses_a_creation_the_defaults_allow(make_client, api, change, field):
    body = {**ONE_WEIGHT, **change}
    assert api.create(**body)["id"]

    refused(make_client(max_abs_value=10).post(f"{API}/networks", json=body), field, "±10 ")


def test_a_small_max_abs_value_refuses_inputs_patches_and_imports(make_client):
    client = make_client(max_abs_value=10)
    api = Api(client)
    sid = api.create(**WORKED_EXAMPLE)["id"]
    api.step(sid)
    export = api.export(sid)
    export["optimizer_state"]["t"] = 1
    export["weights"] = [[[42.0]]]

    refused(client.post(f"{API}/networks/{sid}/step", json={"inputs": [[11.0]], "targets": [[0.0]]}),
            "inputs[0][0]")
    refused(client.post(f"{API}/networks/{sid}/forward", json={"inputs": [[0.0]], "targets": [[-11.0]]}),
            "targets[0][0]")
    refused(client.post(f"{API}/networks/{sid}/predict", json={"inputs": [[1.0], [2.0, 30.0]]}), "inputs[1][1]")
    refused(client.patch(f"{API}/networks/{sid}", json={"optimizer": {"learning_rate": 11.0}}),
            "optimizer.learning_rate")
    refused(client.post(f"{API}/networks/import", json=export), "weights[0][0][0]")
    assert api.get(sid)["step"] == 1


def test_small_count_limits_refuse_what_the_defaults_allow(make_client):
    client = make_client(max_train_steps=20, max_batch_size=5, max_boundary_resolution=10)
    sid = Api(client).create(**SMALL, batch_size=5)["id"]

    refused(client.post(f"{API}/networks/{sid}/train", json={"steps": 1, "eval_every": 21}), "eval_every",
            "at most 20")
    refused(client.patch(f"{API}/networks/{sid}", json={"batch_size": 6}), "batch_size", "at most 5")
    refused(client.post(f"{API}/networks/{sid}/train", json={"steps": 1, "boundary": {"resolution": 11}}),
            "resolution", "at most 10")
    refused(client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 5, "hidden_resolution": 11}),
            "hidden_resolution", "at most 10")


# ---- larger limits accept what the defaults refuse ----------------------------------------------
def test_a_large_max_abs_value_accepts_numbers_the_defaults_refuse(make_client, api):
    body = {**ONE_WEIGHT, "weights": [[[5e6]]], "optimizer": {"name": "sgd", "learning_rate": 2e6}}
    api.create(422, **body)

    state = Api(make_client(max_abs_value=1e9)).create(**body)

    assert state["weights"] == [[[5e6]]] and state["spec"]["optimizer"]["learning_rate"] == 2e6


def test_larger_count_limits_accept_what_the_defaults_refuse(make_client, api):
    default_sid = api.create(**SMALL)["id"]
    api.create(422, **{**SMALL, "batch_size": 5001})
    api.create(422, **{**SMALL, "dataset": {"name": "circle", "n_samples": 5001, "seed": 1}})
    api.train(default_sid, 422, steps=1, eval_every=10_001)
    api.boundary(default_sid, 422, resolution=101)

    large = Api(make_client(max_batch_size=6000, max_samples=6000, max_train_steps=20_000,
                            max_boundary_resolution=120))
    sid = large.create(**{**SMALL, "batch_size": 5001, "dataset": {"name": "circle", "n_samples": 5001,
                                                                    "seed": 1}})["id"]

    assert large.get(sid)["spec"]["batch_size"] == 5001
    assert large.train(sid, steps=1, eval_every=10_001)["steps_run"] == 1
    assert large.boundary(sid, resolution=101)["resolution"] == 101
    assert large.patch(sid, batch_size=5500)["spec"]["batch_size"] == 5500
