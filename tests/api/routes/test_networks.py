"""Creating, reading, changing, resetting, deleting, exporting and importing networks."""

from __future__ import annotations

import json

import pytest

from app.api.routes import networks

from ..conftest import API, strict_json

SMALL = {"dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}}


# ---- POST /networks ---------------------------------------------------------------------------
def test_create_with_an_empty_body_uses_the_playground_defaults(api):
    state = api.create()

    spec = state["spec"]
    assert spec["layer_sizes"] == [2, 4, 2, 1]
    assert (spec["activation"], spec["output_activation"], spec["loss"]) == ("tanh", "sigmoid",
                                                                             "binary_cross_entropy")
    assert spec["optimizer"] == {"name": "sgd", "learning_rate": 0.03}
    assert spec["batch_size"] == 10
    assert spec["init"]["scheme"] == "xavier_uniform"
    assert spec["use_bias"] is True
    assert spec["regularization"] == {"kind": "none", "rate": 0.0}
    dataset = spec["dataset"]
    assert (dataset["name"], dataset["n_samples"], dataset["noise"], dataset["train_fraction"]) == (
        "circle", 500, 0.0, 0.5)
    assert (state["n_train"], state["n_test"]) == (250, 250)
    assert (state["step"], state["epoch"], state["epoch_position"]) == (0, 0, 0)
    assert state["task"] == "binary"
    assert state["extent"] == [[-6.0, 6.0], [-6.0, 6.0]]


def test_create_without_a_body_is_the_same_as_an_empty_one(client):
    response = client.post(f"{API}/networks")

    assert response.status_code == 201
    assert response.json()["spec"]["layer_sizes"] == [2, 4, 2, 1]


def test_create_answers_an_id_and_weights_of_the_right_shapes(api):
    state = api.create(layer_sizes=[2, 3, 1], **SMALL)

    assert isinstance(state["id"], str) and len(state["id"]) >= 16
    assert [(len(w), len(w[0])) for w in state["weights"]] == [(2, 3), (3, 1)]
    assert [len(b) for b in state["biases"]] == [3, 1]
    assert state["biases"] == [[0.0, 0.0, 0.0], [0.0]]
    assert state["optimizer_state"] == {"t": 0, "slots": {}}


def test_create_draws_missing_seeds_and_reports_them(api):
    spec = api.create()["spec"]

    assert isinstance(spec["init"]["seed"], int)
    assert isinstance(spec["dataset"]["seed"], int)


def test_create_with_the_same_seeds_gives_the_same_network(api):
    first = api.create(**SMALL)
    second = api.create(**SMALL)

    assert first["id"] != second["id"]
    assert first["weights"] == second["weights"]
    assert first["spec"] == second["spec"]


def test_create_with_another_seed_gives_other_weights(api):
    first = api.create(**SMALL)
    second = api.create(**{**SMALL, "init": {"seed": 6}})

    assert first["weights"] != second["weights"]


def test_create_keeps_explicit_weights_and_biases(api):
    weights = [[[0.1, -0.2], [0.3, 0.4]], [[0.5], [-0.6]]]
    biases = [[0.01, 0.02], [-0.03]]

    state = api.create(layer_sizes=[2, 2, 1], weights=weights, biases=biases, **SMALL)

    assert state["weights"] == weights
    assert state["biases"] == biases


def test_create_without_bias_reports_null_biases(api):
    state = api.create(layer_sizes=[2, 3, 1], use_bias=False, **SMALL)

    assert state["biases"] is None
    assert state["spec"]["use_bias"] is False


def test_create_with_biases_but_use_bias_false_is_refused(api):
    body = api.create(422, layer_sizes=[2, 1], use_bias=False, biases=[[0.0]], **SMALL)

    assert body["field"] == "biases"
    assert "use_bias" in body["detail"]


def test_create_with_own_data_uses_all_of_it_for_training(api):
    data = {"inputs": [[0.0], [1.0], [2.0]], "targets": [[0.0], [0.5], [1.0]]}

    state = api.create(layer_sizes=[1, 2, 1], output_activation="linear", loss="mse", data=data)

    assert (state["n_train"], state["n_test"]) == (3, 0)
    assert state["spec"]["dataset"] is None
    assert state["task"] == "custom"


def test_create_with_each_generated_dataset_fits_its_widths(api):
    for name, sizes, output, loss in [
        ("sine", [1, 4, 1], "linear", "mse"),
        ("three_class", [2, 4, 3], "softmax", "cross_entropy"),
        ("plane", [2, 1], "linear", "mse"),
        ("spiral", [2, 3, 1], "tanh", "mse"),
    ]:
        state = api.create(layer_sizes=sizes, output_activation=output, loss=loss,
                           dataset={"name": name, "n_samples": 30})
        assert state["spec"]["dataset"]["name"] == name


@pytest.mark.parametrize(("output", "loss", "field"), [
    ("sigmoid", "cross_entropy", "loss"),
    ("linear", "binary_cross_entropy", "loss"),
    ("softmax", "binary_cross_entropy", "loss"),
    ("tanh", "cross_entropy", "loss"),
])
def test_create_refuses_an_output_that_does_not_fit_the_loss(api, output, loss, field):
    body = api.create(422, output_activation=output, loss=loss, **SMALL)

    assert body["field"] == field
    assert loss in body["detail"] and output in body["detail"]


def test_create_refuses_softmax_with_a_single_output(api):
    body = api.create(422, output_activation="softmax", loss="mse", **SMALL)

    assert body["field"] == "output_activation"
    assert "at least 2 output units" in body["detail"]


def test_create_refuses_a_hyperparameter_of_another_optimizer(api):
    body = api.create(422, optimizer={"name": "sgd", "momentum": 0.9})

    assert body["field"] == "optimizer"
    assert "'momentum' does not belong to optimizer 'sgd'" in body["detail"]


def test_create_refuses_an_unknown_activation_naming_the_allowed_ones(api):
    body = api.create(422, activation="swish")

    assert body["field"] == "activation"
    assert "'relu'" in body["detail"] and "'tanh'" in body["detail"]


def test_create_refuses_a_dataset_whose_width_does_not_fit(api):
    body = api.create(422, layer_sizes=[3, 4, 1], dataset={"name": "circle", "n_samples": 20})

    assert body["field"] == "layer_sizes"
    assert "make the first entry 2" in body["detail"]


def test_create_refuses_data_with_more_target_columns_than_outputs(api):
    data = {"inputs": [[0.0], [1.0]], "targets": [[0.0, 1.0], [1.0, 0.0]]}

    body = api.create(422, layer_sizes=[1, 1], output_activation="linear", loss="mse", data=data)

    assert body["field"] == "layer_sizes"
    assert "2 target column(s)" in body["detail"]


def test_create_refuses_data_with_unequal_rows(api):
    data = {"inputs": [[0.0], [1.0]], "targets": [[0.0]]}

    body = api.create(422, layer_sizes=[1, 1], output_activation="linear", loss="mse", data=data)

    assert body["field"] == "data"
    assert "2 rows" in body["detail"]


def test_create_refuses_ragged_data(api):
    data = {"inputs": [[0.0, 1.0], [1.0]], "targets": [[0.0], [1.0]]}

    body = api.create(422, layer_sizes=[2, 1], output_activation="linear", loss="mse", data=data)

    assert body["field"] == "data.inputs"
    assert "rectangular" in body["detail"]


def test_create_refuses_cross_entropy_targets_outside_0_1(api):
    data = {"inputs": [[0.0], [1.0]], "targets": [[-1.0], [1.0]]}

    body = api.create(422, layer_sizes=[1, 1], data=data)

    assert body["field"] == "loss"
    assert "between 0 and 1" in body["detail"]


def test_create_refuses_weights_of_the_wrong_shape(api):
    body = api.create(422, layer_sizes=[2, 2, 1], weights=[[[1.0, 2.0]], [[1.0], [1.0]]], **SMALL)

    assert body["field"] == "weights"
    assert "weights[0] must have shape [2, 2]" in body["detail"]


def test_create_refuses_the_wrong_number_of_weight_matrices(api):
    body = api.create(422, layer_sizes=[2, 2, 1], weights=[[[1.0, 2.0], [3.0, 4.0]]], **SMALL)

    assert body["field"] == "weights"
    assert "2 matrices" in body["detail"]


def test_create_refuses_a_train_fraction_that_leaves_no_training_data(api):
    body = api.create(422, dataset={"name": "circle", "n_samples": 3, "train_fraction": 0.1})

    assert body["field"] == "dataset.train_fraction"


def test_create_refuses_an_unknown_field_naming_it(api):
    body = api.create(422, layers=[2, 1])

    assert body["field"] == "layers"
    assert "layers" in body["detail"]


# ---- limits: refused with 422, before any work ---------------------------------------------------
@pytest.fixture
def no_work(monkeypatch):
    """Fails the test if the request gets as far as building a network."""
    def build(body):
        raise AssertionError("a request over a limit reached the engine")

    monkeypatch.setattr(networks, "trainer_from_body", build)


def test_create_refuses_more_than_8_hidden_layers_before_work(api, no_work):
    body = api.create(422, layer_sizes=[2, *[4] * 9, 1])

    assert body["field"] == "layer_sizes"
    assert "9 hidden layers" in body["detail"] and "at most 8" in body["detail"]


def test_create_accepts_8_hidden_layers_of_32_units(api):
    state = api.create(layer_sizes=[2, *[32] * 8, 1], dataset={"name": "circle", "n_samples": 10})

    assert len(state["weights"]) == 9


def test_create_refuses_more_than_32_units_before_work(api, no_work):
    body = api.create(422, layer_sizes=[2, 33, 1])

    assert body["field"] == "layer_sizes"
    assert "33 units" in body["detail"] and "at most 32" in body["detail"]


def test_create_refuses_more_than_64_inputs_before_work(api, no_work):
    body = api.create(422, layer_sizes=[65, 4, 1])

    assert body["field"] == "layer_sizes"
    assert "65 inputs" in body["detail"] and "at most 64" in body["detail"]


def test_create_refuses_more_than_5000_generated_samples_before_work(api, no_work):
    body = api.create(422, dataset={"name": "circle", "n_samples": 5001})

    assert body["field"] == "dataset.n_samples"
    assert "5000" in body["detail"]


def test_create_refuses_more_than_5000_own_samples_before_work(api, no_work):
    data = {"inputs": [[0]] * 5001, "targets": [[0]] * 5001}

    body = api.create(422, layer_sizes=[1, 1], output_activation="linear", loss="mse", data=data)

    assert body["field"] == "data.inputs"
    assert "5001 samples" in body["detail"] and "at most 5000" in body["detail"]


def test_create_follows_the_limits_of_the_app_settings(make_client):
    client = make_client(max_units=8, max_samples=100)

    too_wide = client.post(f"{API}/networks", json={"layer_sizes": [2, 9, 1]})
    too_many = client.post(f"{API}/networks", json={"dataset": {"n_samples": 101}})

    assert too_wide.status_code == 422 and "at most 8" in too_wide.json()["detail"]
    assert too_many.status_code == 422 and "at most 100" in too_many.json()["detail"]


def test_create_refuses_a_batch_size_over_the_app_limit(make_client):
    client = make_client(max_batch_size=50)

    response = client.post(f"{API}/networks", json={"batch_size": 51})

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "batch_size"
    assert "at most 50" in response.json()["detail"]


# ---- GET /networks/{id} -----------------------------------------------------------------------
def test_get_answers_the_same_state_as_create(api):
    created = api.create(**SMALL)

    assert api.get(created["id"]) == created


def test_get_of_an_unknown_id_is_404_with_a_helpful_message(api):
    body = api.get("no-such-network", 404)

    assert body["code"] == "network_not_found" and body["params"] == {"idle_minutes": 60}
    assert body["field"] == "network_id"
    assert "No network with this id" in body["detail"]
    assert "expired" in body["detail"] and "import" in body["detail"]


def test_get_of_an_over_long_id_is_422(api):
    body = api.get("x" * 65, 422)

    assert body["field"] == "network_id" and body["code"] == "invalid_value"


# ---- PATCH /networks/{id} ---------------------------------------------------------------------
def test_patch_changes_the_learning_rate_and_keeps_weights(api):
    state = api.create(**SMALL)
    api.step(state["id"])
    before = api.get(state["id"])

    after = api.patch(state["id"], optimizer={"name": "sgd", "learning_rate": 0.5})

    assert after["spec"]["optimizer"]["learning_rate"] == 0.5
    assert after["weights"] == before["weights"] and after["step"] == before["step"]


def test_patch_to_another_optimizer_starts_its_state_afresh(api):
    state = api.create(optimizer={"name": "momentum", "learning_rate": 0.1}, **SMALL)
    api.step(state["id"])
    api.step(state["id"])

    after = api.patch(state["id"], optimizer={"name": "adam"})

    # The learning rate is kept (it was not named); the new optimizer's hyperparameters are its defaults.
    assert after["spec"]["optimizer"] == {"name": "adam", "learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999,
                                          "epsilon": 1e-8}
    assert after["optimizer_state"]["t"] == 0
    assert set(after["optimizer_state"]["slots"]) == {"m", "v"}
    zeros = [[[0.0] * len(row) for row in w] for w in after["weights"]]
    assert after["optimizer_state"]["slots"]["m"]["weights"] == zeros
    assert after["step"] == 2


def test_patch_of_only_the_learning_rate_keeps_the_optimizer_and_its_hyperparameters(api):
    state = api.create(optimizer={"name": "rmsprop", "learning_rate": 0.1, "rho": 0.5}, **SMALL)

    after = api.patch(state["id"], optimizer={"learning_rate": 0.02})

    assert after["spec"]["optimizer"] == {"name": "rmsprop", "learning_rate": 0.02, "rho": 0.5, "epsilon": 1e-8}


def test_patch_to_another_optimizer_takes_the_given_learning_rate(api):
    state = api.create(optimizer={"name": "momentum", "learning_rate": 0.1}, **SMALL)

    after = api.patch(state["id"], optimizer={"name": "sgd", "learning_rate": 0.5})

    assert after["spec"]["optimizer"] == {"name": "sgd", "learning_rate": 0.5}
    assert after["optimizer_state"] == {"t": 0, "slots": {}}


def test_patch_of_the_learning_rate_keeps_the_optimizer_state(api):
    state = api.create(optimizer={"name": "momentum", "learning_rate": 0.1}, **SMALL)
    api.step(state["id"])
    before = api.get(state["id"])["optimizer_state"]

    after = api.patch(state["id"], optimizer={"name": "momentum", "learning_rate": 0.01, "momentum": 0.5})

    assert after["optimizer_state"] == before
    assert before["t"] == 1 and before["slots"]["v"]["weights"][0][0][0] != 0.0
    assert after["spec"]["optimizer"] == {"name": "momentum", "learning_rate": 0.01, "momentum": 0.5}


def test_patch_changes_regularization_and_batch_size(api):
    state = api.create(**SMALL)

    after = api.patch(state["id"], regularization={"kind": "l2", "rate": 0.01}, batch_size=4)

    assert after["spec"]["regularization"] == {"kind": "l2", "rate": 0.01}
    assert after["spec"]["batch_size"] == 4
    assert len(api.step(state["id"])["sample_indices"]) == 4


def test_patch_with_an_empty_body_changes_nothing(api):
    state = api.create(**SMALL)

    assert api.patch(state["id"]) == state


def test_patch_refuses_a_hyperparameter_of_another_optimizer(api):
    state = api.create(**SMALL)

    body = api.patch(state["id"], 422, optimizer={"name": "adam", "rho": 0.9})

    assert body["field"] == "optimizer.rho"
    assert "optimizer 'adam' has no hyperparameter 'rho'" in body["detail"]
    assert api.get(state["id"])["spec"]["optimizer"]["name"] == "sgd"


def test_patch_refuses_the_layer_sizes(api):
    state = api.create(**SMALL)

    body = api.patch(state["id"], 422, layer_sizes=[2, 1])

    assert body["field"] == "layer_sizes"


def test_patch_refuses_a_batch_size_over_the_app_limit(make_client):
    client = make_client(max_batch_size=50)
    sid = client.post(f"{API}/networks", json=SMALL).json()["id"]

    response = client.patch(f"{API}/networks/{sid}", json={"batch_size": 51})

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "batch_size"


def test_patch_of_an_unknown_id_is_404(api):
    body = api.patch("no-such-network", 404, batch_size=2)

    assert "No network with this id" in body["detail"]


# ---- POST /networks/{id}/reset ---------------------------------------------------------------
def test_reset_restores_the_initial_weights_and_clears_progress(api):
    state = api.create(optimizer={"name": "adam", "learning_rate": 0.1}, batch_size=7, **SMALL)
    for _ in range(4):
        api.step(state["id"])
    assert api.get(state["id"])["weights"] != state["weights"]

    after = api.reset(state["id"])

    assert after["weights"] == state["weights"] and after["biases"] == state["biases"]
    assert (after["step"], after["epoch"], after["epoch_position"]) == (0, 0, 0)
    assert after["optimizer_state"] == state["optimizer_state"]
    assert after["optimizer_state"]["t"] == 0


def test_reset_restores_given_weights(api):
    weights = [[[0.25], [-0.5]]]
    state = api.create(layer_sizes=[2, 1], weights=weights, **SMALL)
    api.step(state["id"])

    assert api.reset(state["id"])["weights"] == weights


def test_reset_then_step_repeats_the_first_trace(api):
    state = api.create(**SMALL)
    first = api.step(state["id"])
    api.step(state["id"])

    api.reset(state["id"])

    assert api.step(state["id"]) == first


def test_reset_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.reset("no-such-network", 404)["detail"]


# ---- DELETE /networks/{id} -------------------------------------------------------------------
def test_delete_answers_204_without_a_body(client, api):
    state = api.create(**SMALL)

    response = client.delete(f"{API}/networks/{state['id']}")

    assert response.status_code == 204
    assert response.content == b""


def test_delete_then_every_use_is_404_with_a_helpful_message(api):
    sid = api.create(**SMALL)["id"]
    api.delete(sid)

    body = api.get(sid, 404)
    api.step(sid, 404)
    api.delete(sid, 404)

    assert body["detail"].startswith("No network with this id")
    assert "create a new one, or import a saved export" in body["detail"]


def test_delete_leaves_other_networks_alone(api):
    kept = api.create(**SMALL)
    api.delete(api.create(**SMALL)["id"])

    assert api.get(kept["id"]) == kept


# ---- export and import -----------------------------------------------------------------------
def test_export_carries_the_whole_state(api):
    state = api.create(optimizer={"name": "momentum"}, **SMALL)
    api.step(state["id"])

    doc = api.export(state["id"])

    assert doc["format"] == "backprop-playground/1"
    current = api.get(state["id"])
    for key in ("spec", "weights", "biases", "step", "epoch", "epoch_position", "optimizer_state"):
        assert doc[key] == current[key], key
    assert doc["initial_weights"] == state["weights"]
    assert doc["initial_biases"] == state["biases"]


def test_export_of_a_generated_dataset_carries_its_spec_and_seed_not_its_points(api):
    state = api.create(**SMALL)

    doc = api.export(state["id"])

    assert doc["data"] is None
    assert doc["spec"]["dataset"] == {"name": "xor", "n_samples": 40, "noise": 0.0, "train_fraction": 0.5,
                                      "seed": 3}


def test_export_of_own_data_carries_the_points(api):
    data = {"inputs": [[0.0], [1.0], [2.0]], "targets": [[0.0], [0.5], [1.0]]}
    state = api.create(layer_sizes=[1, 1], output_activation="linear", loss="mse", data=data)

    doc = api.export(state["id"])

    assert doc["data"] == data
    assert doc["spec"]["dataset"] is None


def test_import_answers_201_with_a_new_id_and_the_same_state(api):
    state = api.create(**SMALL)
    api.step(state["id"])
    doc = api.export(state["id"])

    imported = api.import_(doc)

    assert imported["id"] != state["id"]
    original = api.get(state["id"])
    assert {k: v for k, v in imported.items() if k != "id"} == {k: v for k, v in original.items() if k != "id"}


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_import_continues_identically(api, optimizer):
    state = api.create(optimizer={"name": optimizer, "learning_rate": 0.05}, batch_size=7,
                       regularization={"kind": "l2", "rate": 0.001}, **SMALL)
    for _ in range(4):  # 28 samples: past the first epoch (20 training samples)
        api.step(state["id"])
    copy = api.import_(api.export(state["id"]))

    for _ in range(3):
        assert api.step(copy["id"]) == api.step(state["id"])
    assert api.export(copy["id"]) == api.export(state["id"])


def test_import_of_own_data_continues_identically(api):
    data = {"inputs": [[0.0], [1.0], [2.0], [3.0]], "targets": [[0.1], [0.4], [0.2], [0.9]]}
    state = api.create(layer_sizes=[1, 3, 1], output_activation="linear", loss="mse", data=data, batch_size=3,
                       init={"seed": 1})
    api.step(state["id"])
    copy = api.import_(api.export(state["id"]))

    assert api.step(copy["id"]) == api.step(state["id"])
    assert api.export(copy["id"])["data"] == data


def test_import_then_reset_goes_back_to_the_original_initial_weights(api):
    state = api.create(**SMALL)
    api.step(state["id"])
    copy = api.import_(api.export(state["id"]))

    assert api.reset(copy["id"])["weights"] == state["weights"]


def test_import_refuses_another_format(api):
    doc = api.export(api.create(**SMALL)["id"])

    body = api.import_({**doc, "format": "something-else/2"}, 422)

    assert body["field"] == "format"


def test_import_refuses_optimizer_state_of_another_optimizer(api):
    doc = api.export(api.create(optimizer={"name": "momentum"}, **SMALL)["id"])
    doc["optimizer_state"] = {"t": 1, "slots": {}}

    body = api.import_(doc, 422)

    assert body["field"] == "optimizer_state"
    assert "'v'" in body["detail"]


def test_import_refuses_an_epoch_position_past_the_training_set(api):
    doc = api.export(api.create(**SMALL)["id"])

    body = api.import_({**doc, "epoch_position": 21}, 422)

    assert body["field"] == "epoch_position"


def test_import_refuses_weights_of_the_wrong_shape(api):
    doc = api.export(api.create(**SMALL)["id"])
    doc["weights"][0] = [[1.0]]

    body = api.import_(doc, 422)

    assert body["field"] == "weights"


def test_import_refuses_an_architecture_over_the_limits(api):
    doc = api.export(api.create(**SMALL)["id"])
    doc["spec"]["layer_sizes"] = [2, 33, 1]

    body = api.import_(doc, 422)

    assert body["field"] == "layer_sizes"
    assert "at most 32" in body["detail"]


def test_import_refuses_own_data_over_the_sample_limit(make_client):
    client = make_client(max_samples=10)
    data = {"inputs": [[float(i)] for i in range(10)], "targets": [[0.0]] * 10}
    created = client.post(f"{API}/networks", json={"layer_sizes": [1, 1], "output_activation": "linear",
                                                     "loss": "mse", "data": data})
    doc = client.get(f"{API}/networks/{created.json()['id']}/export").json()
    doc["data"] = {"inputs": [[float(i)] for i in range(11)], "targets": [[0.0]] * 11}

    response = client.post(f"{API}/networks/import", json=doc)

    assert created.status_code == 201
    assert response.status_code == 422
    assert response.json()["field"] == "data.inputs" and "at most 10" in response.json()["detail"]


def test_import_refuses_a_body_that_is_not_an_export(api):
    body = api.import_({"hello": "world"}, 422)

    assert body["field"] == "format"


def test_export_of_an_unknown_id_is_404(api):
    assert "No network with this id" in api.export("no-such-network", 404)["detail"]


LARGEST = [64, *[32] * 8, 32]


def _largest_own_data_body(limit: int) -> bytes:
    """A creation body for the largest network with as many samples of own data as fit in `limit` bytes."""
    row_in = [0.123456789012345 + i * 1e-3 for i in range(64)]
    row_out = [0.987654321098765 - j * 1e-3 for j in range(32)]
    base = {"layer_sizes": LARGEST, "activation": "tanh", "output_activation": "linear", "loss": "mse",
            "optimizer": {"name": "adam", "learning_rate": 0.001}, "batch_size": 16, "init": {"seed": 1}}
    row_bytes = len(json.dumps(row_in)) + len(json.dumps(row_out)) + 2
    n = (limit - len(json.dumps(base)) - 200) // row_bytes
    body = {**base, "data": {"inputs": [row_in] * n, "targets": [row_out] * n}}
    return json.dumps(body).encode()


def test_export_of_the_largest_network_with_a_full_body_of_data_can_be_imported(client, api):
    raw = _largest_own_data_body(1 << 20)
    assert (1 << 20) - 10_000 < len(raw) <= 1 << 20
    state = api.post_raw("/networks", raw, 201)
    for _ in range(2):
        api.step(state["id"])

    response = client.get(f"{API}/networks/{state['id']}/export")
    assert response.status_code == 200
    assert len(response.content) > 1 << 20  # more than an ordinary request may carry
    doc = strict_json(response.content)

    imported = api.post_raw("/networks/import", response.content, 201)

    assert imported["step"] == 2 and imported["n_train"] == len(doc["data"]["inputs"])
    assert api.step(imported["id"]) == api.step(state["id"])
