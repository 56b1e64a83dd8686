"""POST /networks/import against crafted and extreme exports: whatever the server exports it imports
(any finite float64 in the state), and what the engine cannot hold is a 422 naming the field."""

from __future__ import annotations

import pytest

from app.nn.snapshot import MAX_COUNT

from ..conftest import API


def one_weight(optimizer: dict, x: float = 1000.0, t: float = 1000.0) -> dict:
    """y = w·x with w = 0 and E = ½(y − t)² on one sample: the first gradient is g = −x·t."""
    return {"layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
            "use_bias": False, "weights": [[[0.0]]], "optimizer": optimizer, "batch_size": 1,
            "data": {"inputs": [[x]], "targets": [[t]]}}


def test_adagrads_g_after_one_step_on_data_around_1000_round_trips(api):
    sid = api.create(**one_weight({"name": "adagrad", "learning_rate": 0.03}))["id"]
    api.step(sid)
    doc = api.export(sid)
    (g,) = doc["optimizer_state"]["slots"]["G"]["weights"][0][0]
    assert g == 1e12  # g = −1000 · 1000 = −1e6, G = g²: beyond the ±1e6 a person may type

    copy = api.import_(doc)["id"]

    assert api.export(copy) == doc  # every number, bit for bit (and the counters)
    assert api.step(copy) == api.step(sid)


def test_a_weight_of_1e7_round_trips(api):
    sid = api.create(**one_weight({"name": "sgd", "learning_rate": 10.0}))["id"]
    api.step(sid)
    doc = api.export(sid)
    assert doc["weights"][0][0][0] == 1e7  # w = 0 − 10 · (−1e6)

    copy = api.import_(doc)["id"]

    assert api.export(copy) == doc


def test_the_largest_finite_numbers_round_trip_in_the_state(api):
    doc = api.export(api.create(**one_weight({"name": "adam"}))["id"])
    doc["weights"][0][0][0] = -1.7976931348623157e308
    doc["initial_weights"][0][0][0] = 5e-324
    doc["optimizer_state"]["slots"]["m"]["weights"][0][0][0] = 1.7976931348623157e308
    doc["optimizer_state"]["slots"]["v"]["weights"][0][0][0] = 1e300

    copy = api.import_(doc)["id"]

    assert api.export(copy) == doc


def test_what_a_person_typed_keeps_the_max_abs_value_bound(api):
    doc = api.export(api.create(**one_weight({"name": "sgd"}))["id"])

    assert api.import_({**doc, "data": {"inputs": [[1e7]], "targets": [[1.0]]}}, 422)["field"] == "data.inputs[0][0]"
    assert api.import_({**doc, "spec": {**doc["spec"], "init": {**doc["spec"]["init"], "bias_value": 2e6}}},
                       422)["field"] == "spec.init.bias_value"


@pytest.mark.parametrize("value", [MAX_COUNT + 1, 2**63, 2**64 - 1, 2**70])
@pytest.mark.parametrize("field", ["step", "epoch", "optimizer_state.t"])
def test_a_counter_the_engine_cannot_hold_is_refused(api, field, value):
    doc = api.export(api.create(**one_weight({"name": "adam"}))["id"])
    part = doc["optimizer_state"] if field == "optimizer_state.t" else doc
    part[field.rpartition(".")[2]] = value

    body = api.import_(doc, 422)

    assert body["field"] == field


@pytest.mark.parametrize("field", ["step", "epoch", "optimizer_state.t"])
def test_a_counter_at_the_limit_imports_and_steps_on(api, client, field):
    doc = api.export(api.create(**one_weight({"name": "adam"}))["id"])
    part = doc["optimizer_state"] if field == "optimizer_state.t" else doc
    part[field.rpartition(".")[2]] = MAX_COUNT

    copy = api.import_(doc)["id"]

    for _ in range(2):
        api.step(copy)
    assert api.get(copy)["step"] >= 2
    assert client.get(f"{API}/networks/{copy}/export").status_code == 200


@pytest.mark.parametrize(("optimizer", "slot"), [("adagrad", "G"), ("rmsprop", "S"), ("adam", "v")])
def test_a_negative_second_moment_is_refused(api, optimizer, slot):
    doc = api.export(api.create(**one_weight({"name": optimizer}))["id"])
    doc["optimizer_state"]["slots"][slot]["weights"][0][0][0] = -1.0

    body = api.import_(doc, 422)

    assert body["field"] == f"optimizer_state.slots.{slot}"
    assert "negative" in body["detail"]
