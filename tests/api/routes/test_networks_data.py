"""PATCH /networks/{id} with `data`: own samples put in place of the network's, the rest kept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import AppSettings
from app.main import create_app

from ..conftest import API

SMALL = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5},
         "optimizer": {"name": "momentum", "learning_rate": 0.1}}
POINTS = {"inputs": [[0.0, 1.0], [1.0, 0.0], [1.5, 1.5]], "targets": [[1.0], [0.0], [1.0]]}


def test_patch_data_replaces_the_data_in_place_keeping_weights_step_and_optimizer_state(api):
    sid = api.create(**SMALL)["id"]
    for _ in range(3):
        api.step(sid)
    before = api.get(sid)

    state = api.patch(sid, data={**POINTS, "test_inputs": [[4.0, 4.0]], "test_targets": [[0.0]]})

    assert state["id"] == sid
    for key in ("weights", "biases", "step", "optimizer_state"):
        assert state[key] == before[key], key
    assert (state["n_train"], state["n_test"], state["epoch"], state["epoch_position"]) == (3, 1, 0, 0)
    assert state["spec"]["dataset"] is None and state["task"] == "custom"
    assert state["spec"]["optimizer"] == before["spec"]["optimizer"]
    data = api.data(sid)
    assert data["train"] == POINTS and data["test"] == {"inputs": [[4.0, 4.0]], "targets": [[0.0]]}
    trace = api.step(sid)  # the next step trains on the new samples
    assert trace["step"] == 4 and sorted(trace["sample_indices"]) == [0, 1, 2]
    assert api.export(sid)["data"]["inputs"] == POINTS["inputs"]


def test_patch_data_with_other_settings_changes_both(api):
    sid = api.create(**SMALL)["id"]
    state = api.patch(sid, data=POINTS, batch_size=2, optimizer={"learning_rate": 0.5})
    assert (state["n_train"], state["spec"]["batch_size"], state["spec"]["optimizer"]["learning_rate"]) == (3, 2, 0.5)


@pytest.mark.parametrize("data, field, code", [
    ({"inputs": [[1.0, 2.0, 3.0]], "targets": [[1.0]]}, "data.inputs", "invalid_value"),
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0, 0.0]]}, "data.targets", "invalid_value"),
    ({"inputs": [[1.0, 2.0]], "targets": [[3.0]]}, "data.targets", "invalid_value"),
    ({"inputs": [[1.0, 2e9]], "targets": [[1.0]]}, "data.inputs[0][1]", "limit_exceeded"),
])
def test_patch_data_that_does_not_fit_is_422_naming_the_field_and_changes_nothing(api, data, field, code):
    sid = api.create(**SMALL)["id"]
    api.step(sid)
    before = api.get(sid)

    body = api.patch(sid, 422, data=data, batch_size=3)

    assert (body["field"], body["code"]) == (field, code)
    assert api.get(sid) == before  # the batch size asked for beside it is not applied either


def test_patch_data_over_max_samples_counts_the_test_part_too(make_client):
    client = make_client(max_samples=3)
    sid = client.post(f"{API}/networks", json={**SMALL, "dataset": {"name": "xor", "n_samples": 3}}).json()["id"]
    data = {**POINTS, "test_inputs": [[0.0, 0.0]], "test_targets": [[0.0]]}
    body = client.patch(f"{API}/networks/{sid}", json={"data": data}).json()
    assert (body["field"], body["code"], body["params"]["value"]) == ("data.inputs", "limit_exceeded", 4)


def test_patch_data_spends_no_network_creation():
    s = AppSettings(store="memory", create_rate_per_minute=6, create_burst=1)
    with TestClient(create_app(s)) as client:
        sid = client.post(f"{API}/networks", json=SMALL).json()["id"]  # the only creation the bucket holds
        for i in range(4):
            points = {"inputs": [*POINTS["inputs"], [float(i), 0.0]], "targets": [*POINTS["targets"], [0.0]]}
            assert client.patch(f"{API}/networks/{sid}", json={"data": points}).status_code == 200
        assert client.post(f"{API}/networks", json=SMALL).status_code == 429  # the bucket was empty all along


def test_own_data_with_a_test_part_is_created_exported_and_imported_whole(api):
    data = {**POINTS, "test_inputs": [[4.0, 4.0], [5.0, 5.0]], "test_targets": [[0.0], [1.0]]}
    sid = api.create(**{**SMALL, "dataset": None}, data=data)["id"]
    assert (api.get(sid)["n_train"], api.get(sid)["n_test"]) == (3, 2)
    api.step(sid)
    doc = api.export(sid)
    assert doc["data"] == data
    copy = api.import_(doc)
    assert (copy["n_train"], copy["n_test"], copy["step"]) == (3, 2, 1)
    assert api.evaluation(copy["id"]) == api.evaluation(sid)


def test_own_data_without_a_test_part_exports_as_before(api):
    sid = api.create(**{**SMALL, "dataset": None}, data=POINTS)["id"]
    assert api.export(sid)["data"] == POINTS  # no test keys: older readers see what they always saw


def test_a_test_part_without_its_targets_is_refused(api):
    body = api.create(422, **{**SMALL, "dataset": None}, data={**POINTS, "test_inputs": [[1.0, 1.0]]})
    assert body["field"] == "data" and "together" in body["detail"]


def test_new_data_is_undone_when_another_change_of_the_same_patch_is_refused(api):
    sid = api.create(**SMALL)["id"]
    before = api.data(sid)
    body = api.patch(sid, 422, data=POINTS, parameters=[{"layer": 9, "kind": "weight", "index": [0, 0], "value": 1.0}])
    assert body["field"].startswith("parameters[0]")
    assert api.data(sid) == before and api.get(sid)["spec"]["dataset"] is not None


def test_data_over_the_servers_bound_in_bytes_is_refused_naming_data(make_client):
    client = make_client(max_answer_bytes=20_000)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
    many = {"inputs": [[float(i), 0.0] for i in range(2000)], "targets": [[1.0]] * 2000}
    answer = client.patch(f"{API}/networks/{sid}", json={"data": many})
    assert answer.status_code == 422 and answer.json()["field"] == "data.inputs"
    assert client.get(f"{API}/networks/{sid}").json()["n_train"] == 20
