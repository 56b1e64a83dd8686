"""Bounds in bytes (app.api.byte_limits): a network's memory (max_network_bytes) and every answer's
size (max_answer_bytes), with small configured bounds. Each refusal is a 422 network_too_large or
answer_too_large naming the field to lower, made before the work (nothing changes), and checked at
create, import and PATCH so that no accepted setting makes every later call fail."""

from __future__ import annotations

from typing import Any

import pytest

from app.api.byte_limits import GRADCHECK_ENTRY, OVERHEAD, answer_bytes, boundary_bytes, train_numbers
from app.api.routes.networks import trainer_from_body
from app.nn import Trainer
from app.nn.sizing import footprint, forward_numbers, step_numbers
from app.schemas import NetworkCreate

from .conftest import API, Api

NET: dict[str, Any] = {"layer_sizes": [2, 8, 8, 1], "dataset": {"name": "xor", "n_samples": 200, "seed": 1},
                       "init": {"seed": 1}, "batch_size": 10, "optimizer": {"name": "sgd", "learning_rate": 0.1}}


def built(body: dict[str, Any]) -> Trainer:
    """The trainer the server builds from this body (the seeds are fixed)."""
    return trainer_from_body(NetworkCreate.model_validate(body))


def step_bytes(body: dict[str, Any], rows: int, precision: str = "float64") -> int:
    t = built(body)
    return answer_bytes(step_numbers(t.arch.layer_sizes, rows, len(t.slots), t.settings.optimizer.name == "adam"),
                        precision)


def refused(response: Any, code: str, field: str | None) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == code and body["field"] == field, body
    params = body["params"]
    assert params["value"] > params["max"] and params["limit"] in ("max_network_bytes", "max_answer_bytes")
    return body


# ---- the estimates ---------------------------------------------------------------------------------
@pytest.mark.parametrize("layer_sizes", [[2, 1, 1], [2, 8, 8, 1], [2, 32, 32, 1]])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_each_answer_estimate_is_above_the_answer_and_not_far_above(api, layer_sizes, optimizer):
    body = {**NET, "layer_sizes": layer_sizes, "batch_size": 30, "optimizer": {"name": optimizer,
                                                                               "learning_rate": 0.1}}
    sid = api.create(**body)["id"]
    t = built(body)
    n_slots, adam = len(t.slots), optimizer == "adam"
    for precision in ("float64", "float32", "compact"):
        answer = api.client.post(f"{API}/networks/{sid}/step", params={"precision": precision}).content
        estimate = answer_bytes(step_numbers(layer_sizes, 30, n_slots, adam), precision)
        assert len(answer) <= estimate < 3 * len(answer) + 4096, (precision, len(answer), estimate)
        answer = api.client.post(f"{API}/networks/{sid}/forward", params={"precision": precision}).content
        assert len(answer) <= answer_bytes(forward_numbers(layer_sizes, 30), precision)
    csv = api.client.get(f"{API}/networks/{sid}/steps/3/trace", params={"format": "csv"}).content
    assert len(csv) <= answer_bytes(step_numbers(layer_sizes, 30, n_slots, adam), "csv")
    trained = api.client.post(f"{API}/networks/{sid}/train", json={"steps": 50, "eval_every": 10,
                                                                  "boundary": {"resolution": 30}}).content
    assert len(trained) <= answer_bytes(train_numbers(t, 50, 10, False)) + boundary_bytes(t, 30, None)
    trained = api.client.post(f"{API}/networks/{sid}/train", json={"steps": 20, "snapshots": 16}).content
    estimate = answer_bytes(train_numbers(t, 20, None, False, 16))
    assert len(trained) <= estimate < 3 * len(trained) + 4096
    assert len(api.client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 40}).content) <= \
        boundary_bytes(t, 40, None)
    checked = api.client.post(f"{API}/networks/{sid}/gradcheck", json={}).content
    assert len(checked) <= t.network.layout.size * GRADCHECK_ENTRY + OVERHEAD


# ---- a network's memory --------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "field"), [
    ({"batch_size": 2000, "dataset": {"name": "xor", "n_samples": 4000, "seed": 1}, "layer_sizes": [2, 2, 1]},
     "batch_size"),  # every kept step holds its own epoch's copy of the data
    ({"batch_size": 1, "dataset": {"name": "xor", "n_samples": 4000, "seed": 1}, "layer_sizes": [2, 2, 1]},
     "dataset.n_samples"),
    ({"layer_sizes": [2, 32, 32, 32, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 1}}, "layer_sizes"),
])
def test_a_network_over_max_network_bytes_is_refused_at_create_naming_what_to_lower(make_client, change, field):
    body = {**NET, **change}
    fp = footprint(built(body))
    client = make_client(max_network_bytes=fp.total - 1)
    answer = refused(client.post(f"{API}/networks", json=body), "network_too_large", field)
    assert answer["params"]["value"] == fp.total
    parts = answer["params"]
    assert parts["parameters"] + parts["optimizer"] + parts["data"] + parts["kept"] == fp.total
    Api(make_client(max_network_bytes=fp.total)).create(**body)  # exactly at the bound: accepted


def test_an_import_over_the_bound_is_refused_with_the_fields_of_the_export(make_client, api):
    body = {**NET, "batch_size": 100}
    export = api.export(api.create(**body)["id"])
    client = make_client(max_network_bytes=footprint(built(body)).total - 1)
    refused(client.post(f"{API}/networks/import", json=export), "network_too_large", "spec.batch_size")


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_patch_over_the_bounds_is_refused_and_leaves_the_network_as_it_was(make_client, tmp_path, store):
    fp = footprint(built(NET))
    client = make_client(store=store, data_dir=tmp_path, max_network_bytes=fp.total + 100)
    api = Api(client)
    sid = api.create(**NET)["id"]
    api.step(sid)

    refused(client.patch(f"{API}/networks/{sid}", json={"batch_size": 100}), "network_too_large", "batch_size")
    refused(client.patch(f"{API}/networks/{sid}", json={"optimizer": {"name": "adam"}}), "network_too_large",
            "optimizer")  # two slots more of every parameter, in each kept step too

    weight = api.get(sid)["weights"][0][0][0]
    set_too = {"batch_size": 100, "parameters": [{"layer": 0, "kind": "weight", "index": [0, 0], "value": 7.0}]}
    refused(client.patch(f"{API}/networks/{sid}", json=set_too), "network_too_large", "batch_size")

    state = api.get(sid)
    assert state["spec"]["batch_size"] == 10 and state["spec"]["optimizer"]["name"] == "sgd"
    assert state["weights"][0][0][0] == weight  # the weight the refused PATCH would have set: not set
    assert api.step(sid)["step"] == 2  # it still steps, from where it was
    assert api.patch(sid, batch_size=11)["spec"]["batch_size"] == 11  # within the bound: changed


def test_a_batch_whose_step_would_answer_too_much_is_refused_at_create_and_patch(make_client):
    bound = step_bytes(NET, 40)
    client = make_client(max_answer_bytes=bound)
    api = Api(client)
    over = refused(client.post(f"{API}/networks", json={**NET, "batch_size": 41}), "answer_too_large", "batch_size")
    most = over["params"]["most"]
    assert most == 40 and "at most 40 rows" in over["detail"]
    sid = api.create(**{**NET, "batch_size": most})["id"]  # the advice is admitted, and every step fits
    api.step(sid)
    refused(client.patch(f"{API}/networks/{sid}", json={"batch_size": 41}), "answer_too_large", "batch_size")
    assert api.get(sid)["spec"]["batch_size"] == 40


# ---- every answer, refused before its work ---------------------------------------------------------
def test_a_step_or_forward_pass_over_the_bound_is_refused_before_it_runs(make_client):
    bound = step_bytes(NET, 20)
    client = make_client(max_answer_bytes=bound)
    api = Api(client)
    sid = api.create(**NET)["id"]
    rows = {"inputs": [[0.1, 0.2]] * 21, "targets": [[1.0]] * 21}

    body = refused(client.post(f"{API}/networks/{sid}/step", json=rows), "answer_too_large", "inputs")
    assert body["params"]["most"] == 20 and "precision=compact" in body["detail"]
    refused(client.post(f"{API}/networks/{sid}/forward", json={"inputs": [[0.1, 0.2]] * 60}), "answer_too_large",
            "inputs")
    assert api.get(sid)["step"] == 0  # nothing ran
    assert api.client.post(f"{API}/networks/{sid}/step", json=rows, params={"precision": "compact"}).status_code == 200


def test_train_boundary_and_predict_over_the_bound_are_refused_before_they_run(make_client):
    t = built(NET)
    client = make_client(max_answer_bytes=answer_bytes(train_numbers(t, 400, 10, False)))
    api = Api(client)
    sid = api.create(**NET)["id"]

    body = refused(client.post(f"{API}/networks/{sid}/train", json={"steps": 600, "eval_every": 10}),
                   "answer_too_large", "steps")
    assert api.get(sid)["step"] == 0
    assert api.train(sid, steps=body["params"]["most"], eval_every=10)["steps_run"] == body["params"]["most"] == 400
    refused(client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 100}), "answer_too_large",
            "resolution")
    small = make_client(max_answer_bytes=step_bytes(NET, 10))
    sid = Api(small).create(**NET)["id"]
    refused(small.post(f"{API}/networks/{sid}/predict", json={"inputs": [[0.0, 0.0]] * 5000}), "answer_too_large",
            "inputs")


def test_kept_traces_explanations_and_checks_too_large_for_another_server_are_refused(make_client, tmp_path):
    """Two servers on one store: the first steps with a large batch; the second, with a smaller bound,
    refuses to send what that step would make it answer."""
    body = {**NET, "batch_size": 100}
    first = Api(make_client(store="sqlite", data_dir=tmp_path))
    sid = first.create(**body)["id"]
    first.step(sid)
    second = make_client(store="sqlite", data_dir=tmp_path, max_answer_bytes=step_bytes(body, 100) // 4)
    on = f"{API}/networks/{sid}"

    refused(second.get(f"{on}/steps/1/trace"), "answer_too_large", "precision")
    refused(second.get(f"{on}/steps/1/trace", params={"format": "csv"}), "answer_too_large", "precision")
    tiny = make_client(store="sqlite", data_dir=tmp_path, max_answer_bytes=5000)
    refused(tiny.get(f"{on}/explain/unit", params={"layer": 1, "unit": 0}), "answer_too_large", "step")
    refused(tiny.get(f"{on}/explain/weight", params={"layer": 0, "source": 0, "target": 0}), "answer_too_large",
            "step")
    refused(tiny.post(f"{on}/gradcheck", json={}), "answer_too_large", "layer_sizes")
    refused(tiny.post(f"{on}/surface", json={"resolution": 60}), "answer_too_large", "resolution")
    refused(tiny.get(f"{on}/data"), "answer_too_large", None)  # no estimate here: refused as it leaves
    assert first.get(sid)["step"] == 1


def test_races_over_the_bounds_are_refused_at_create_and_train(make_client):
    spec = {**NET, "batch_size": 100}
    client = make_client(max_network_bytes=footprint(built(spec)).total + 100)  # enough for SGD's racer only
    response = client.post(f"{API}/races", json={"network": spec})
    body = refused(response, "network_too_large", response.json()["field"])
    assert body["field"].startswith("network.")  # where the body's spec sits

    client = make_client(max_answer_bytes=100_000)
    api = Api(client)
    ids = [r["id"] for r in api.check(client.post(f"{API}/races", json={"network": NET}), 201)["racers"]]
    body = refused(client.post(f"{API}/races/train", json={"racers": ids, "steps": 2000}), "answer_too_large",
                   "steps")
    assert {api.get(sid)["step"] for sid in ids} == {0}
    trained = api.check(client.post(f"{API}/races/train", json={"racers": ids, "steps": body["params"]["most"]}),
                        200)
    assert {r["status"] for r in trained["racers"]} == {"trained"}


def test_an_answer_an_estimate_missed_is_refused_as_it_leaves_with_the_usual_headers(make_client):
    response = make_client(max_answer_bytes=200).get(f"{API}/options")
    refused(response, "answer_too_large", None)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "max_answer_bytes" in response.json()["detail"]
