"""GET /api/v1/options: what the server offers, for clients to build their controls from."""

from __future__ import annotations

from ..conftest import API


def test_options_lists_the_activations(client):
    body = client.get(f"{API}/options").json()

    assert [a["name"] for a in body["activations"]["hidden"]] == ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
    assert [a["name"] for a in body["activations"]["output"]] == ["linear", "sigmoid", "tanh", "softmax"]
    assert all(a["formula"] for a in body["activations"]["hidden"] + body["activations"]["output"])


def test_options_lists_the_losses_with_the_output_they_need(client):
    losses = {loss["name"]: loss for loss in client.get(f"{API}/options").json()["losses"]}

    assert set(losses) == {"mse", "binary_cross_entropy", "cross_entropy"}
    assert losses["mse"]["requires_output"] is None
    assert losses["binary_cross_entropy"]["requires_output"] == "sigmoid"
    assert losses["cross_entropy"]["requires_output"] == "softmax"
    assert "½" in losses["mse"]["formula"]


def test_options_lists_the_optimizers_with_their_default_hyperparameters(client):
    optimizers = {o["name"]: o for o in client.get(f"{API}/options").json()["optimizers"]}

    assert optimizers["sgd"]["hyperparameters"] == {}
    assert optimizers["momentum"]["hyperparameters"] == {"momentum": 0.9}
    assert optimizers["adagrad"]["hyperparameters"] == {"epsilon": 1e-10}
    assert optimizers["rmsprop"]["hyperparameters"] == {"rho": 0.9, "epsilon": 1e-8}
    assert optimizers["adam"]["hyperparameters"] == {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    assert all(o["rule"] for o in optimizers.values())


def test_options_lists_init_schemes_regularizations_and_datasets(client):
    body = client.get(f"{API}/options").json()

    assert body["init_schemes"] == ["xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform", "zeros"]
    assert [r["name"] for r in body["regularizations"]] == ["none", "l1", "l2"]
    datasets = {d["name"]: d for d in body["datasets"]}
    assert set(datasets) == {"circle", "xor", "gauss", "spiral", "plane", "multi_gauss", "sine", "three_class",
                             "worked_example"}
    assert (datasets["circle"]["task"], datasets["circle"]["n_inputs"], datasets["circle"]["n_targets"]) == (
        "binary", 2, 1)
    assert datasets["three_class"]["n_targets"] == 3
    assert datasets["sine"]["n_inputs"] == 1
    assert datasets["circle"]["extent"] == [-6.0, 6.0]


def test_options_states_the_limits(client):
    limits = client.get(f"{API}/options").json()["limits"]

    assert limits["max_hidden_layers"] == 8
    assert limits["max_units"] == 32
    assert limits["max_inputs"] == 64
    assert limits["max_samples"] == 5000
    assert limits["max_train_steps"] == 10_000
    assert limits["max_boundary_resolution"] == 100
    assert limits["max_abs_value"] == 1e6
    assert limits["max_body_bytes"] == 1 << 20


def test_options_states_the_limits_of_this_app(make_client):
    limits = make_client(max_units=8, max_train_steps=50).get(f"{API}/options").json()["limits"]

    assert (limits["max_units"], limits["max_train_steps"]) == (8, 50)


def test_options_states_the_defaults_of_a_new_network(client):
    defaults = client.get(f"{API}/options").json()["defaults"]

    assert defaults["layer_sizes"] == [2, 4, 2, 1]
    assert defaults["optimizer"]["name"] == "sgd" and defaults["optimizer"]["learning_rate"] == 0.03
    assert defaults["dataset"]["name"] == "circle" and defaults["batch_size"] == 10
    assert "weights" not in defaults and "data" not in defaults


def test_options_defaults_create_a_network(client, api):
    defaults = client.get(f"{API}/options").json()["defaults"]
    defaults["optimizer"] = {k: v for k, v in defaults["optimizer"].items() if v is not None}

    assert api.create(**defaults)["spec"]["layer_sizes"] == [2, 4, 2, 1]


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
