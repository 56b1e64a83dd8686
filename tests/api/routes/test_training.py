"""Running a network: forward previews, steps with their whole trace, training, predictions, boundaries."""

from __future__ import annotations

import base64
import time

import numpy as np
import pytest

from ..conftest import API, strict_json

SMALL = {"dataset": {"name": "circle", "n_samples": 60, "seed": 11}, "init": {"seed": 12}}


def shape(matrix) -> tuple[int, int]:
    return len(matrix), len(matrix[0])


@pytest.fixture
def net(api) -> dict:
    """[2, 4, 2, 1] on 30 training samples of `circle`, batch 10."""
    return api.create(**SMALL)


# ---- POST /networks/{id}/forward --------------------------------------------------------------
def test_forward_previews_the_next_batch_without_consuming_it(api, net):
    first = api.forward(net["id"])
    second = api.forward(net["id"])

    assert first == second
    assert len(first["sample_indices"]) == 10
    assert api.step(net["id"])["sample_indices"] == first["sample_indices"]
    assert api.get(net["id"])["step"] == 1


def test_forward_answers_one_entry_per_non_input_layer(api, net):
    trace = api.forward(net["id"])

    assert [shape(layer["z"]) for layer in trace["forward"]] == [(10, 4), (10, 2), (10, 1)]
    assert [shape(layer["a"]) for layer in trace["forward"]] == [(10, 4), (10, 2), (10, 1)]
    assert trace["step"] == 0
    assert len(trace["loss_per_sample"]) == 10
    assert trace["loss"] == pytest.approx(np.mean(trace["loss_per_sample"]))
    assert "backward" not in trace and "update" not in trace


def test_forward_of_given_inputs_without_targets_has_no_losses(api, net):
    trace = api.forward(net["id"], inputs=[[0.0, 0.0], [1.0, -1.0], [3.0, 3.0]])

    assert trace["inputs"] == [[0.0, 0.0], [1.0, -1.0], [3.0, 3.0]]
    assert trace["targets"] is None and trace["sample_indices"] is None
    assert trace["loss"] is None and trace["data_loss"] is None and trace["loss_per_sample"] is None
    assert shape(trace["forward"][-1]["a"]) == (3, 1)


def test_forward_of_given_inputs_and_targets_has_losses(api, net):
    trace = api.forward(net["id"], inputs=[[0.0, 0.0], [5.0, 0.0]], targets=[[1.0], [0.0]])

    assert trace["targets"] == [[1.0], [0.0]]
    assert len(trace["loss_per_sample"]) == 2
    assert trace["data_loss"] == pytest.approx(sum(trace["loss_per_sample"]) / 2)


def test_forward_refuses_inputs_of_the_wrong_width(api, net):
    body = api.forward(net["id"], 422, inputs=[[1.0, 2.0, 3.0]])

    assert body["field"] == "inputs"
    assert "2 column(s)" in body["detail"]


def test_forward_refuses_targets_of_the_wrong_shape(api, net):
    body = api.forward(net["id"], 422, inputs=[[1.0, 2.0]], targets=[[1.0, 0.0]])

    assert body["field"] == "targets"


def test_forward_refuses_more_rows_than_the_sample_limit(make_client):
    client = make_client(max_samples=50)
    sid = client.post(f"{API}/networks", json=SMALL | {"dataset": {"n_samples": 50}}).json()["id"]

    response = client.post(f"{API}/networks/{sid}/forward", json={"inputs": [[0.0, 0.0]] * 51})

    assert response.status_code == 422
    assert response.json()["field"] == "inputs" and "at most 50" in response.json()["detail"]


def test_forward_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.forward("no-such-network", 404)["detail"]


# ---- POST /networks/{id}/step -----------------------------------------------------------------
def test_step_answers_the_whole_trace_with_the_contract_fields(api, net):
    trace = api.step(net["id"])

    assert set(trace) == {"step", "applied", "diverged", "epoch", "inputs", "targets", "sample_indices",
                          "forward", "loss", "data_loss", "loss_per_sample", "backward", "update",
                          "loss_after", "optimizer"}
    assert trace["step"] == 1 and trace["applied"] is True and trace["diverged"] is None
    assert shape(trace["inputs"]) == (10, 2) and shape(trace["targets"]) == (10, 1)
    assert len(set(trace["sample_indices"])) == 10
    assert all(0 <= i < 30 for i in trace["sample_indices"])
    assert len(trace["loss_per_sample"]) == 10
    assert trace["loss"] == trace["data_loss"]  # no regularization


def test_step_has_one_backward_and_update_entry_per_non_input_layer_with_weight_shapes(api, net):
    trace = api.step(net["id"])

    sizes = [(2, 4), (4, 2), (2, 1)]
    assert len(trace["forward"]) == len(trace["backward"]) == len(trace["update"]) == 3
    for (n_in, n_out), bwd, upd in zip(sizes, trace["backward"], trace["update"]):
        assert shape(bwd["grad_a"]) == shape(bwd["grad_z"]) == (10, n_out)
        assert shape(bwd["grad_weights"]) == (n_in, n_out)
        assert len(bwd["grad_biases"]) == n_out
        assert shape(upd["weight_deltas"]) == shape(upd["weights"]) == (n_in, n_out)
        assert len(upd["bias_deltas"]) == len(upd["biases"]) == n_out


def test_step_update_is_old_weights_plus_deltas_and_becomes_the_state(api, net):
    trace = api.step(net["id"])

    for old, upd in zip(net["weights"], trace["update"]):
        np.testing.assert_allclose(np.add(old, upd["weight_deltas"]), upd["weights"], rtol=0, atol=1e-15)
    state = api.get(net["id"])
    assert state["weights"] == [upd["weights"] for upd in trace["update"]]
    assert state["biases"] == [upd["biases"] for upd in trace["update"]]


def test_step_with_sgd_moves_against_the_gradient(api, net):
    trace = api.step(net["id"])

    for bwd, upd in zip(trace["backward"], trace["update"]):
        np.testing.assert_allclose(upd["weight_deltas"], -0.03 * np.array(bwd["grad_weights"]), rtol=1e-12)


def test_step_counts_and_walks_through_the_epoch(api, net):
    traces = [api.step(net["id"]) for _ in range(4)]

    assert [t["step"] for t in traces] == [1, 2, 3, 4]
    assert [t["epoch"] for t in traces] == [0, 0, 0, 1]
    first_epoch = [i for t in traces[:3] for i in t["sample_indices"]]
    assert sorted(first_epoch) == list(range(30))
    state = api.get(net["id"])
    assert (state["step"], state["epoch"], state["epoch_position"]) == (4, 1, 10)


def test_step_uses_a_short_last_batch(api):
    sid = api.create(batch_size=7, **SMALL)["id"]

    sizes = [len(api.step(sid)["sample_indices"]) for _ in range(5)]

    assert sizes == [7, 7, 7, 7, 2]


def test_step_with_a_batch_larger_than_the_training_set_uses_all_of_it(api):
    sid = api.create(batch_size=1000, **SMALL)["id"]

    assert sorted(api.step(sid)["sample_indices"]) == list(range(30))


def test_step_with_given_inputs_and_targets(api, net):
    trace = api.step(net["id"], inputs=[[0.5, 0.5]], targets=[[1.0]])

    assert trace["inputs"] == [[0.5, 0.5]] and trace["targets"] == [[1.0]]
    assert trace["sample_indices"] is None
    assert trace["step"] == 1
    assert api.get(net["id"])["epoch_position"] == 0  # the training set was not used


def test_step_with_inputs_but_no_targets_is_refused(api, net):
    body = api.step(net["id"], 422, inputs=[[0.5, 0.5]])

    assert body["field"] == "targets"
    assert api.get(net["id"])["step"] == 0


def test_targets_without_inputs_are_refused_not_ignored(api, net):
    body = api.step(net["id"], 422, targets=[[1.0]])

    assert body["field"] == "targets"
    assert "without inputs" in body["detail"]
    assert api.forward(net["id"], 422, targets=[[1.0]])["field"] == "targets"
    assert api.get(net["id"])["step"] == 0


def test_step_with_l2_reports_the_penalty_in_loss_not_data_loss(api):
    state = api.create(regularization={"kind": "l2", "rate": 0.1}, **SMALL)

    trace = api.step(state["id"])

    penalty = 0.1 * 0.5 * sum(float(np.sum(np.square(w))) for w in state["weights"])
    assert trace["loss"] - trace["data_loss"] == pytest.approx(penalty, rel=1e-9)


def test_step_in_float32_is_smaller_and_close(client, api):
    body = SMALL | {"layer_sizes": [2, 8, 8, 1], "batch_size": 30}
    a = api.create(**body)["id"]
    b = api.create(**body)["id"]

    exact = client.post(f"{API}/networks/{a}/step")
    rounded = client.post(f"{API}/networks/{b}/step", params={"precision": "float32"})

    assert exact.status_code == rounded.status_code == 200
    assert len(rounded.content) < 0.8 * len(exact.content)
    x, y = strict_json(exact.content), strict_json(rounded.content)
    assert set(x) == set(y) and x["step"] == y["step"] == 1
    for lx, ly in zip(x["backward"], y["backward"]):
        np.testing.assert_allclose(ly["grad_weights"], lx["grad_weights"], rtol=1e-6, atol=1e-7)
    for lx, ly in zip(x["update"], y["update"]):
        np.testing.assert_allclose(ly["weights"], lx["weights"], rtol=1e-6, atol=1e-7)
    # the stored state keeps full precision either way
    assert api.get(b)["weights"] == api.get(a)["weights"]


def test_step_in_compact_form_decodes_to_the_same_trace(client, api):
    body = SMALL | {"layer_sizes": [2, 8, 8, 1], "batch_size": 30}
    a = api.create(**body)["id"]
    b = api.create(**body)["id"]

    exact = client.post(f"{API}/networks/{a}/step")
    packed = client.post(f"{API}/networks/{b}/step", params={"precision": "compact"})

    assert exact.status_code == packed.status_code == 200
    assert len(packed.content) < 0.5 * len(exact.content)
    doc = strict_json(packed.content)
    assert doc["encoding"] == "float32-buffer"
    values = np.frombuffer(base64.b64decode(doc["buffer"]), dtype="<f4")

    def unpack(ref: dict) -> np.ndarray:
        return values[ref["offset"]:ref["offset"] + int(np.prod(ref["shape"]))].reshape(ref["shape"])

    x, y = strict_json(exact.content), doc["body"]
    assert y["step"] == x["step"] == 1 and y["applied"] is True
    assert y["sample_indices"] == x["sample_indices"]
    for lx, ly in zip(x["backward"], y["backward"]):
        np.testing.assert_allclose(unpack(ly["grad_weights"]), lx["grad_weights"], rtol=1e-6, atol=1e-7)
    for lx, ly in zip(x["forward"], y["forward"]):
        np.testing.assert_allclose(unpack(ly["a"]), lx["a"], rtol=1e-6, atol=1e-7)


def test_step_refuses_an_unknown_precision(client, net):
    response = client.post(f"{API}/networks/{net['id']}/step", params={"precision": "float16"})

    assert response.status_code == 422
    assert response.json()["field"] == "precision"


def test_step_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.step("no-such-network", 404)["detail"]


def test_same_seeds_give_identical_traces(api):
    body = {"dataset": {"name": "spiral", "n_samples": 80, "noise": 0.2, "seed": 4}, "init": {"seed": 9},
            "optimizer": {"name": "rmsprop", "learning_rate": 0.01}, "layer_sizes": [2, 5, 3, 1],
            "activation": "relu"}
    a = api.create(**body)["id"]
    b = api.create(**body)["id"]

    for _ in range(6):  # through an epoch boundary: the permutations match too
        assert api.step(a) == api.step(b)


# ---- divergence ---------------------------------------------------------------------------------
EXPLODING = {  # y = w x with x = 1e6 and η = 1e6: w grows ~1e18-fold per step until E overflows
    "layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
    "use_bias": False, "weights": [[[1.0]]], "optimizer": {"name": "sgd", "learning_rate": 1e6},
    "data": {"inputs": [[1e6]], "targets": [[0.0]]}, "batch_size": 1,
}


def step_until_diverged(client, sid: str, limit: int = 30) -> tuple[dict, dict, bytes]:
    """Steps until one is not applied; returns the state before it, and that step's body."""
    for _ in range(limit):
        before = client.get(f"{API}/networks/{sid}").json()
        response = client.post(f"{API}/networks/{sid}/step")
        assert response.status_code == 200, response.text
        if not response.json()["applied"]:
            return before, response.json(), response.content
    raise AssertionError(f"no divergence in {limit} steps")


def test_a_diverging_step_is_answered_200_and_not_applied(client, api):
    sid = api.create(**EXPLODING)["id"]

    before, trace, raw = step_until_diverged(client, sid)

    strict_json(raw)  # no NaN / Infinity literals anywhere
    assert trace["applied"] is False
    assert set(trace["diverged"]) == {"phase", "layer", "quantity", "message"}
    assert trace["diverged"]["phase"] in ("forward", "loss", "backward", "update")
    assert "learning rate" in trace["diverged"]["message"]
    assert "not applied" in trace["diverged"]["message"]
    assert trace["step"] == before["step"]
    assert api.get(sid) == before


def test_a_diverging_step_shows_non_finite_values_as_null(client, api):
    sid = api.create(**EXPLODING)["id"]

    _, trace, _ = step_until_diverged(client, sid)

    assert trace["diverged"] == {"phase": "loss", "layer": None, "quantity": "loss",
                                 "message": trace["diverged"]["message"]}
    assert trace["loss"] is None and trace["loss_per_sample"] == [None]
    assert trace["forward"][0]["z"][0][0] is not None  # the trace shows the last finite numbers too


def test_a_diverging_step_keeps_refusing_until_the_network_is_reset(client, api):
    sid = api.create(**EXPLODING)["id"]
    before, _, _ = step_until_diverged(client, sid)

    again = api.step(sid)
    api.reset(sid)
    after_reset = api.step(sid)

    assert again["applied"] is False and api.get(sid)["step"] == 1
    assert before["step"] > 1
    assert after_reset["applied"] is True and after_reset["update"][0]["weights"] != [[1.0]]


def test_train_stops_at_the_diverging_step_and_says_so(api):
    sid = api.create(**EXPLODING)["id"]

    result = api.train(sid, steps=50)

    assert 0 < result["steps_run"] < 50
    assert result["step"] == result["steps_run"] == result["state"]["step"]
    assert len(result["history"]["loss"]) == result["steps_run"]
    assert "learning rate" in result["diverged"]["message"]
    assert api.get(sid)["weights"] == result["state"]["weights"]


def test_an_infinite_output_grad_a_of_cross_entropy_is_null_and_the_step_is_applied(api):
    # z = 100: the sigmoid rounds to exactly 1, so ∂E/∂y = (1 − t)/(1 − y) is infinite for t = 0,
    # while δ = y − t (computed from z) is finite.
    sid = api.create(layer_sizes=[1, 1], output_activation="sigmoid", loss="binary_cross_entropy",
                     weights=[[[100.0]]], biases=[[0.0]], data={"inputs": [[1.0]], "targets": [[0.0]]})["id"]

    trace = api.step(sid)

    assert trace["applied"] is True and trace["diverged"] is None
    assert trace["backward"][0]["grad_a"] == [[None]]
    assert trace["backward"][0]["grad_z"] == [[1.0]]
    assert trace["loss"] == pytest.approx(100.0)
    assert trace["update"][0]["weights"] == [[pytest.approx(100.0 - 0.03)]]


# ---- POST /networks/{id}/train ----------------------------------------------------------------
def test_train_returns_one_loss_per_step_and_the_final_state(api, net):
    result = api.train(net["id"], steps=7)

    assert result["steps_run"] == 7 and result["step"] == 7 and result["diverged"] is None
    assert len(result["history"]["loss"]) == 7
    assert all(isinstance(v, float) for v in result["history"]["loss"])
    assert result["state"] == api.get(net["id"])
    assert result["boundary"] is None


def test_train_evaluates_every_eval_every_steps_and_after_the_last(api, net):
    result = api.train(net["id"], steps=7, eval_every=3)

    evaluations = result["history"]["evaluations"]
    assert [e["step"] for e in evaluations] == [3, 6, 7]
    for e in evaluations:
        assert set(e) == {"step", "train_loss", "test_loss", "train_accuracy", "test_accuracy"}
        assert e["train_loss"] > 0 and e["test_loss"] > 0
        assert 0 <= e["train_accuracy"] <= 1 and 0 <= e["test_accuracy"] <= 1


def test_train_without_eval_every_evaluates_once_at_the_end(api, net):
    result = api.train(net["id"], steps=5)

    assert [e["step"] for e in result["history"]["evaluations"]] == [5]


def test_train_losses_match_stepping_one_at_a_time(api):
    a = api.create(**SMALL)["id"]
    b = api.create(**SMALL)["id"]

    result = api.train(a, steps=4)

    assert result["history"]["loss"] == [api.step(b)["loss"] for _ in range(4)]
    assert api.get(a)["weights"] == api.get(b)["weights"]


def test_train_without_a_test_set_reports_null_test_numbers(api):
    data = {"inputs": [[0.0], [1.0], [2.0]], "targets": [[0.0], [1.0], [1.0]]}
    sid = api.create(layer_sizes=[1, 2, 1], data=data)["id"]

    [evaluation] = api.train(sid, steps=2)["history"]["evaluations"]

    assert evaluation["test_loss"] is None and evaluation["test_accuracy"] is None
    assert evaluation["train_loss"] is not None


def test_train_of_a_regression_reports_null_accuracy(api):
    sid = api.create(layer_sizes=[1, 3, 1], output_activation="linear", loss="mse",
                     dataset={"name": "sine", "n_samples": 40, "seed": 1})["id"]

    [evaluation] = api.train(sid, steps=2)["history"]["evaluations"]

    assert evaluation["train_accuracy"] is None and evaluation["test_accuracy"] is None
    assert evaluation["train_loss"] is not None and evaluation["test_loss"] is not None


def test_train_with_the_boundary_option_returns_the_boundary(api, net):
    result = api.train(net["id"], steps=2, boundary={"resolution": 10, "hidden_resolution": 4})

    assert result["boundary"]["resolution"] == 10
    assert result["boundary"]["hidden_resolution"] == 4
    assert len(base64.b64decode(result["boundary"]["output"][0]["data"])) == 100


def test_train_with_the_boundary_option_on_a_one_input_network_returns_null(api, worked_example):
    result = api.train(worked_example["id"], steps=1, boundary={"resolution": 10})

    assert result["boundary"] is None and result["steps_run"] == 1


def test_train_refuses_more_steps_than_allowed(api, net):
    body = api.train(net["id"], 422, steps=10_001)

    assert body["field"] == "steps"
    assert "10000" in body["detail"]


def test_train_refuses_more_steps_than_the_app_limit(make_client):
    client = make_client(max_train_steps=20)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]

    response = client.post(f"{API}/networks/{sid}/train", json={"steps": 21})

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "steps" and "at most 20" in response.json()["detail"]


def test_train_refuses_zero_steps(api, net):
    assert api.train(net["id"], 422, steps=0)["field"] == "steps"


def test_train_over_the_work_cap_is_refused_before_any_step(api):
    sid = api.create(layer_sizes=[2, *[32] * 8, 1], batch_size=250, dataset={"name": "circle", "seed": 1})["id"]

    started = time.perf_counter()
    body = api.train(sid, 422, steps=10_000)

    assert time.perf_counter() - started < 2.0  # 10,000 such steps would take far longer
    assert body["field"] == "steps"
    assert "work units" in body["detail"] and "Ask for at most about" in body["detail"]
    assert api.get(sid)["step"] == 0


def test_train_within_the_work_cap_suggested_by_the_refusal_runs(make_client):
    client = make_client(max_train_work=2_000_000)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]
    refused = client.post(f"{API}/networks/{sid}/train", json={"steps": 10_000}).json()["detail"]
    suggested = int(refused.split("Ask for at most about ")[1].split()[0])

    response = client.post(f"{API}/networks/{sid}/train", json={"steps": suggested})

    assert response.status_code == 200, response.text
    assert response.json()["steps_run"] == suggested


def test_train_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.train("no-such-network", 404, steps=1)["detail"]


# ---- POST /networks/{id}/predict --------------------------------------------------------------
def test_predict_answers_the_outputs_only(api, net):
    body = api.predict(net["id"], [[0.0, 0.0], [4.0, 4.0]])

    assert set(body) == {"outputs"}
    assert shape(body["outputs"]) == (2, 1)
    forward = api.forward(net["id"], inputs=[[0.0, 0.0], [4.0, 4.0]])
    assert body["outputs"] == forward["forward"][-1]["a"]


def test_predict_of_the_worked_example_is_w_times_x(api, worked_example):
    assert api.predict(worked_example["id"], [[2.0], [-3.0]])["outputs"] == [[2.0], [-3.0]]


def test_predict_refuses_inputs_of_the_wrong_width(api, net):
    body = api.predict(net["id"], [[1.0]], 422)

    assert body["field"] == "inputs"


def test_predict_refuses_no_inputs(api, net):
    assert api.predict(net["id"], [], 422)["field"] == "inputs"


def test_predict_refuses_a_missing_inputs_field(client, net):
    response = client.post(f"{API}/networks/{net['id']}/predict", json={})

    assert response.status_code == 422
    assert response.json()["field"] == "inputs"


def test_predict_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.predict("no-such-network", [[0.0, 0.0]], 404)["detail"]


# ---- GET /networks/{id}/boundary --------------------------------------------------------------
def test_boundary_answers_base64_maps_of_n_by_n_bytes(api, net):
    body = api.boundary(net["id"], resolution=12)

    assert body["resolution"] == body["hidden_resolution"] == 12
    assert body["extent"] == [[-6.0, 6.0], [-6.0, 6.0]]
    assert "row 0 is the bottom" in body["axis_order"]
    assert "uint8" in body["encoding"]
    [output] = body["output"]
    assert len(base64.b64decode(output["data"])) == 144
    assert output["lo"] <= output["hi"]


def test_boundary_has_a_map_per_hidden_unit(api, net):
    body = api.boundary(net["id"], resolution=5, hidden_resolution=3)

    assert [len(layer) for layer in body["hidden"]] == [4, 2]
    for layer in body["hidden"]:
        for unit in layer:
            assert unit["resolution"] == 3
            assert len(base64.b64decode(unit["data"])) == 9


def test_boundary_decodes_to_the_network_outputs_on_the_grid(api, net):
    body = api.boundary(net["id"], resolution=3)
    (x1_lo, x1_hi), (x2_lo, x2_hi) = body["extent"]
    [output] = body["output"]
    q = np.frombuffer(base64.b64decode(output["data"]), dtype=np.uint8).reshape(3, 3)
    decoded = output["lo"] + q / 255 * (output["hi"] - output["lo"])

    grid = [[x1, x2] for x2 in np.linspace(x2_lo, x2_hi, 3) for x1 in np.linspace(x1_lo, x1_hi, 3)]
    outputs = np.array(api.predict(net["id"], grid)["outputs"]).reshape(3, 3)

    np.testing.assert_allclose(decoded, outputs, atol=(output["hi"] - output["lo"]) / 255)


def test_boundary_defaults_to_resolution_50(api, net):
    body = api.boundary(net["id"])

    assert body["resolution"] == 50
    assert len(base64.b64decode(body["output"][0]["data"])) == 2500


def test_boundary_of_softmax_has_a_map_per_output(api):
    sid = api.create(layer_sizes=[2, 3], output_activation="softmax", loss="cross_entropy",
                     dataset={"name": "three_class", "n_samples": 30})["id"]

    assert len(api.boundary(sid, resolution=4)["output"]) == 3


def test_boundary_refuses_a_resolution_over_100(api, net):
    body = api.boundary(net["id"], 422, resolution=101)

    assert body["field"] == "resolution"
    assert "100" in body["detail"]


def test_boundary_refuses_a_resolution_over_the_app_limit(make_client):
    client = make_client(max_boundary_resolution=20)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]

    response = client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 21})

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "resolution" and "at most 20" in response.json()["detail"]


def test_boundary_over_the_work_cap_is_refused(make_client):
    client = make_client(max_boundary_work=25 * 100)  # [2, 4, 2, 1] has 25 parameters: a 10×10 grid at most
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]

    fits = client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 10})
    refused = client.get(f"{API}/networks/{sid}/boundary", params={"resolution": 11})

    assert fits.status_code == 200
    assert refused.status_code == 422
    assert refused.json()["field"] == "resolution" and "lower resolution" in refused.json()["detail"]


def test_train_with_a_boundary_over_the_work_cap_is_refused_before_training(make_client):
    client = make_client(max_boundary_work=25 * 100)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]

    response = client.post(f"{API}/networks/{sid}/train", json={"steps": 3, "boundary": {"resolution": 11}})

    assert response.status_code == 422
    assert response.json()["field"] == "resolution"
    assert client.get(f"{API}/networks/{sid}").json()["step"] == 0


def test_boundary_refuses_a_resolution_of_1(api, net):
    assert api.boundary(net["id"], 422, resolution=1)["field"] == "resolution"


def test_boundary_of_a_one_input_network_is_refused(api, worked_example):
    body = api.boundary(worked_example["id"], 422)

    assert "exactly 2 inputs" in body["detail"]


def test_boundary_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.boundary("no-such-network", 404)["detail"]


# ---- GET /networks/{id}/data and /evaluation -----------------------------------------------------
def test_data_returns_the_training_and_test_samples_of_a_generated_dataset(api, net):
    data = api.data(net["id"])

    assert data["task"] == "binary"
    assert data["extent"] == [[-6.0, 6.0], [-6.0, 6.0]]
    assert shape(data["train"]["inputs"]) == (30, 2) and shape(data["train"]["targets"]) == (30, 1)
    assert shape(data["test"]["inputs"]) == (30, 2) and shape(data["test"]["targets"]) == (30, 1)
    assert {t[0] for t in data["train"]["targets"] + data["test"]["targets"]} == {0.0, 1.0}
    # The rows are the ones the steps use: a step's inputs are rows of the training set.
    trace = api.step(net["id"])
    train = data["train"]["inputs"]
    assert [train[i] for i in trace["sample_indices"]] == trace["inputs"]


def test_data_of_your_own_samples_is_all_training_data(api):
    state = api.create(layer_sizes=[1, 3, 1], output_activation="linear", loss="mse",
                       data={"inputs": [[0.0], [1.0], [2.0]], "targets": [[1.0], [2.0], [3.0]]})

    data = api.data(state["id"])

    assert data["train"] == {"inputs": [[0.0], [1.0], [2.0]], "targets": [[1.0], [2.0], [3.0]]}
    assert data["test"] == {"inputs": [], "targets": []}


def test_evaluation_measures_the_network_as_it_is_now_without_changing_it(api, net):
    before = api.evaluation(net["id"])
    trained = api.train(net["id"], steps=30)
    after = api.evaluation(net["id"])

    assert before["step"] == 0 and after["step"] == 30
    assert 0.0 <= before["train_accuracy"] <= 1.0 and 0.0 <= before["test_accuracy"] <= 1.0
    last = trained["history"]["evaluations"][-1]
    assert {k: after[k] for k in last} == last  # and the units' health, which only GET /evaluation measures
    assert api.get(net["id"])["step"] == 30


def test_evaluation_of_a_regression_without_test_set_has_nulls(api):
    state = api.create(layer_sizes=[1, 1], activation="linear", output_activation="linear", loss="mse",
                       use_bias=False, weights=[[[1.0]]], dataset={"name": "worked_example"})

    body = api.evaluation(state["id"])
    health = body.pop("health")

    assert body == {"step": 0, "train_loss": 2.0, "test_loss": None, "train_accuracy": None,
                    "test_accuracy": None}
    # One sample: no hidden layer to judge, and an output over one sample is not called constant.
    assert health == {"layers": [], "output": {"spread": [0.0], "constant": False, "chance_accuracy": None,
                                               "at_chance": None}}


def test_evaluation_names_the_dead_units_of_a_relu_layer(api):
    # Unit 1's bias holds z = x1 + x2 − 100 below 0 on the whole plane of ±6: dead from the start.
    state = api.create(layer_sizes=[2, 3, 1], activation="relu", init={"seed": 2},
                       weights=[[[0.5, 1.0, -0.3], [0.2, 1.0, 0.8]], [[1.0], [1.0], [1.0]]],
                       biases=[[0.0, -100.0, 0.0], [0.0]], dataset={"name": "xor", "n_samples": 60, "seed": 1})

    health = api.evaluation(state["id"])["health"]

    assert health["layers"] == [{"layer": 0, "activation": "relu", "dead": [1], "saturated": []}]
    assert health["output"]["constant"] is False and health["output"]["at_chance"] is False


def test_evaluation_after_the_worked_case_of_issue_13_reports_a_dead_layer_and_a_constant_output(api):
    # Circle, ReLU 8,8, η = 1000: a hidden layer dies, the output is constant, the accuracy ~50 %.
    state = api.create(layer_sizes=[2, 8, 8, 1], activation="relu", init={"seed": 0}, optimizer={"learning_rate": 1000},
                       dataset={"name": "circle", "seed": 0})
    api.train(state["id"], steps=200)

    body = api.evaluation(state["id"])

    assert any(len(layer["dead"]) == 8 for layer in body["health"]["layers"])
    output = body["health"]["output"]
    assert output["constant"] and output["at_chance"]
    assert body["train_accuracy"] <= output["chance_accuracy"] <= 0.55


def test_data_and_evaluation_of_an_unknown_network_are_404(api):
    assert "expired" in api.data("no-such-id", 404)["detail"]
    assert "expired" in api.evaluation("no-such-id", 404)["detail"]


# ---- /train's gradients: one norm per layer and step, and the last step's gradients ----------
def relative_error(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


@pytest.mark.parametrize("regularization", [None, {"kind": "l2", "rate": 0.01}, {"kind": "l1", "rate": 0.003}])
def test_train_gradient_norms_are_the_norms_of_the_kept_steps_grad_weights(client, api, regularization):
    extra = {"regularization": regularization} if regularization else {}
    sid = api.create(**SMALL, layer_sizes=[2, 5, 3, 1], **extra)["id"]

    result = api.train(sid, steps=25)

    norms = result["history"]["gradient_norms"]
    assert len(norms) == len(result["history"]["loss"]) == 25
    for s in range(5, 25):  # the kept steps: the last 20 (step n is history entry n - 1)
        trace = api.check(client.get(f"{API}/networks/{sid}/steps/{s + 1}/trace"), 200)
        assert trace["loss"] == result["history"]["loss"][s]
        expected = [np.linalg.norm(np.asarray(layer["grad_weights"])) for layer in trace["backward"]]
        assert len(norms[s]) == 3
        assert relative_error(norms[s], expected) < 1e-12


def test_train_last_step_is_the_last_kept_steps_gradients_and_batch_means(client, api, net):
    result = api.train(net["id"], steps=6)

    trace = api.check(client.get(f"{API}/networks/{net['id']}/steps/6/trace"), 200)
    last = result["last_step"]
    assert last["grad_weights"] == [layer["grad_weights"] for layer in trace["backward"]]
    for l, layer in enumerate(trace["backward"]):
        grad_z = np.asarray(layer["grad_z"])  # (batch, n_out)
        assert relative_error(last["mean_grad_z"][l], grad_z.sum(axis=0) / len(grad_z)) < 1e-12
        assert relative_error(last["mean_abs_grad_z"][l], np.abs(grad_z).sum(axis=0) / len(grad_z)) < 1e-12


def test_train_that_diverges_at_once_has_no_norms_and_no_last_step(api):
    sid = api.create(**EXPLODING)["id"]
    api.train(sid, steps=50)  # runs up to the diverging step

    result = api.train(sid, steps=5)

    assert result["steps_run"] == 0 and result["diverged"] is not None
    assert result["history"]["gradient_norms"] == [] and result["last_step"] is None


def test_train_with_a_diverging_step_has_one_norm_per_applied_step(api):
    sid = api.create(**EXPLODING)["id"]

    result = api.train(sid, steps=50)

    assert len(result["history"]["gradient_norms"]) == result["steps_run"] > 0
    assert result["last_step"] is not None


# ---- /train's snapshots: states from inside the call, to draw one per frame --------------------
def test_train_snapshots_are_the_states_and_gradients_of_a_network_stepped_alone(client, api):
    a = api.create(**SMALL, layer_sizes=[2, 5, 3, 1], optimizer={"name": "adam", "learning_rate": 0.01})["id"]
    b = api.create(**SMALL, layer_sizes=[2, 5, 3, 1], optimizer={"name": "adam", "learning_rate": 0.01})["id"]
    api.train(a, steps=4)
    api.train(b, steps=4)

    result = api.train(a, steps=12, snapshots=3)

    snapshots = result["snapshots"]
    assert [s["step"] for s in snapshots] == [4 + 3, 4 + 6, 4 + 9]  # ⌊j·12/4⌋ steps into the call
    done = 4
    for snap in snapshots:
        alone = api.train(b, steps=snap["step"] - done)  # the lone network, stepped to the same count
        done = snap["step"]
        assert snap["weights"] == alone["state"]["weights"] and snap["biases"] == alone["state"]["biases"]
        assert snap["epoch"] == alone["state"]["epoch"]
        assert snap["last_step"] == alone["last_step"]
        assert snap["loss"] == alone["history"]["loss"][-1] == result["history"]["loss"][snap["step"] - 5]
    assert result["state"]["step"] == 16 and all(s["step"] < 16 for s in snapshots)


def test_train_snapshots_match_the_kept_steps_traces(client, api, net):
    result = api.train(net["id"], steps=10, snapshots=4)

    assert [s["step"] for s in result["snapshots"]] == [2, 4, 6, 8]
    for snap in result["snapshots"]:
        trace = api.check(client.get(f"{API}/networks/{net['id']}/steps/{snap['step']}/trace"), 200)
        assert snap["weights"] == [layer["weights"] for layer in trace["update"]]
        assert snap["last_step"]["grad_weights"] == [layer["grad_weights"] for layer in trace["backward"]]
        assert snap["loss"] == trace["loss"]


@pytest.mark.parametrize(("steps", "asked", "expected"), [(1, 5, []), (3, 16, [1, 2]), (5, 0, []), (100, 1, [50])])
def test_train_answers_at_most_steps_minus_one_snapshots(api, net, steps, asked, expected):
    result = api.train(net["id"], steps=steps, snapshots=asked)

    assert [s["step"] for s in result["snapshots"]] == expected


def test_train_without_snapshots_answers_an_empty_list(api, net):
    assert api.train(net["id"], steps=3)["snapshots"] == []


@pytest.mark.parametrize("snapshots", [-1, 17, 2.5, "3"])
def test_train_refuses_snapshots_out_of_range(api, net, snapshots):
    body = api.train(net["id"], 422, steps=20, snapshots=snapshots)

    assert body["field"] == "snapshots"


def test_train_snapshots_stop_before_a_diverging_step(api):
    sid = api.create(**EXPLODING)["id"]

    result = api.train(sid, steps=50, snapshots=16)

    final = result["state"]["step"]
    assert result["diverged"] is not None
    assert all(s["step"] < final for s in result["snapshots"])
    assert [s["step"] for s in result["snapshots"]] == [s for s in (50 * j // 17 for j in range(1, 17)) if s < final]
