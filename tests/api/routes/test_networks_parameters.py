"""PATCH /networks/{id} with `parameters`: a weight or a bias set by hand, the rest of the state kept."""

from __future__ import annotations

import pytest

from ..conftest import API, WORKED_EXAMPLE

SMALL = {"dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}, "layer_sizes": [2, 3, 1]}
MOMENTUM_EXAMPLE = {**WORKED_EXAMPLE, "optimizer": {"name": "momentum", "learning_rate": 0.1, "momentum": 0.9}}


def test_setting_a_weight_keeps_the_optimizer_state_and_every_other_number(api):
    state = api.create(optimizer={"name": "adam", "learning_rate": 0.05}, **SMALL)
    for _ in range(3):
        api.step(state["id"])
    before = api.get(state["id"])

    after = api.patch(state["id"], parameters=[{"layer": 0, "kind": "weight", "index": [1, 2], "value": -0.75},
                                               {"layer": 1, "kind": "bias", "index": [0], "value": 0.5}])

    assert after["weights"][0][1][2] == -0.75 and after["biases"][1][0] == 0.5
    before["weights"][0][1][2], before["biases"][1][0] = -0.75, 0.5
    assert after == before  # the optimizer's slots and t, the step, the epoch place, the spec: unchanged


def test_the_next_step_starts_from_the_edited_weight_with_the_kept_momentum(api):
    # Worked example with momentum (x = 2, t = 4, η = 0.1, μ = 0.9): from w = 1 one step makes g = (2 − 4)·2 = −4,
    # v = −4, w = 1.4. Set w = 3: then y = 6, g = (6 − 4)·2 = 4, v = 0.9·(−4) + 4 = 0.4, w = 3 − 0.1·0.4 = 2.96.
    state = api.create(**MOMENTUM_EXAMPLE)
    api.step(state["id"])
    edited = api.patch(state["id"], parameters=[{"layer": 0, "kind": "weight", "index": [0, 0], "value": 3}])
    assert edited["optimizer_state"]["slots"]["v"]["weights"] == [[[-4.0]]]

    trace = api.step(state["id"])

    assert trace["forward"][0]["a"] == [[6.0]]
    assert trace["update"][0]["weights"][0][0] == pytest.approx(2.96, abs=1e-12)
    assert api.get(state["id"])["optimizer_state"]["slots"]["v"]["weights"][0][0][0] == pytest.approx(0.4, abs=1e-12)


def test_reset_after_an_edit_returns_to_the_initial_weights(api):
    state = api.create(**MOMENTUM_EXAMPLE)
    api.patch(state["id"], parameters=[{"layer": 0, "kind": "weight", "index": [0, 0], "value": -5}])

    assert api.reset(state["id"])["weights"] == [[[1.0]]]


def test_an_edit_and_an_optimizer_change_go_together(api):
    state = api.create(**SMALL)

    after = api.patch(state["id"], optimizer={"learning_rate": 0.5},
                      parameters=[{"layer": 1, "kind": "weight", "index": [2, 0], "value": 1.5}])

    assert after["spec"]["optimizer"]["learning_rate"] == 0.5 and after["weights"][1][2][0] == 1.5


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"layer": 0, "kind": "weight", "index": [2, 0], "value": 1}, "parameters[0].index", "invalid_value"),
    ({"layer": 0, "kind": "weight", "index": [0, 3], "value": 1}, "parameters[0].index", "invalid_value"),
    ({"layer": 1, "kind": "bias", "index": [0, 0], "value": 1}, "parameters[0].index", "invalid_value"),
    ({"layer": 0, "kind": "weight", "index": [-1, 0], "value": 1}, "parameters[0].index[0]", "invalid_value"),
    ({"layer": 2, "kind": "weight", "index": [0, 0], "value": 1}, "parameters[0].layer", "invalid_value"),
    ({"layer": 0, "kind": "gain", "index": [0], "value": 1}, "parameters[0].kind", "invalid_value"),
    ({"layer": 0, "kind": "weight", "index": [0, 0], "value": "1"}, "parameters[0].value", "invalid_value"),
    ({"layer": 0, "kind": "weight", "index": [0, 0], "value": 1e300}, "parameters[0].value", "limit_exceeded"),
])
def test_a_bad_edit_is_422_naming_its_field_and_changes_nothing(api, change, field, code):
    state = api.create(**SMALL)

    refused = api.patch(state["id"], expect=422, parameters=[change])

    assert (refused["field"], refused["code"]) == (field, code), refused
    assert api.get(state["id"]) == state


def test_a_non_finite_value_is_422_naming_its_field(api):
    state = api.create(**SMALL)
    body = b'{"parameters": [{"layer": 0, "kind": "weight", "index": [0, 0], "value": NaN}]}'
    response = api.client.patch(f"{API}/networks/{state['id']}", content=body,
                                headers={"content-type": "application/json"})

    refused = api.check(response, 422)
    assert (refused["field"], refused["code"]) == ("parameters[0].value", "invalid_value")


def test_a_bias_of_a_network_without_biases_is_422(api):
    state = api.create(**WORKED_EXAMPLE)

    refused = api.patch(state["id"], expect=422, parameters=[{"layer": 0, "kind": "bias", "index": [0], "value": 1}])

    assert refused["field"] == "parameters[0].kind" and "no biases" in refused["detail"]
