"""GET /api/v1/options: what the server offers, for clients to build their controls from."""

from __future__ import annotations

import pytest

from app.nn import EngineError, Settings
from app.nn.activations import ACTIVATIONS
from app.nn.datasets import DATASETS, TASK_LOSSES
from app.nn.losses import LOSSES
from app.nn.optimizers import ALL_HYPERPARAMETERS, HYPERPARAMETERS, OPTIMIZERS

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


def test_options_gives_each_activation_its_range(client):
    body = client.get(f"{API}/options").json()
    ranges = {a["name"]: a["range"] for a in body["activations"]["hidden"] + body["activations"]["output"]}

    assert ranges == {"linear": None, "sigmoid": [0, 1], "tanh": [-1, 1], "relu": None, "leaky_relu": None,
                      "softmax": [0, 1]}


def test_options_gives_each_loss_its_natural_output_and_target_range(client):
    losses = {loss["name"]: loss for loss in client.get(f"{API}/options").json()["losses"]}

    assert {n: l["natural_output"] for n, l in losses.items()} == {
        "mse": "linear", "binary_cross_entropy": "sigmoid", "cross_entropy": "softmax"}
    assert {n: l["target_range"] for n, l in losses.items()} == {
        "mse": None, "binary_cross_entropy": [0, 1], "cross_entropy": [0, 1]}


def test_options_names_the_natural_pair_of_each_task(client):
    tasks = client.get(f"{API}/options").json()["tasks"]

    assert tasks == {"binary": {"output_activation": "sigmoid", "loss": "binary_cross_entropy"},
                     "multiclass": {"output_activation": "softmax", "loss": "cross_entropy"},
                     "regression": {"output_activation": "linear", "loss": "mse"},
                     "custom": {"output_activation": "linear", "loss": "mse"}}


def test_options_gives_each_optimizer_its_own_learning_rate(client):
    optimizers = client.get(f"{API}/options").json()["optimizers"]

    assert {o["name"]: o["learning_rate"] for o in optimizers} == {
        "sgd": 0.03, "momentum": 0.03, "adagrad": 0.03, "rmsprop": 0.03, "adam": 0.03}


def test_options_states_each_hyperparameter_with_its_bounds(client):
    table = client.get(f"{API}/options").json()["hyperparameters"]

    assert set(table) == {"momentum", "rho", "beta1", "beta2", "epsilon"}
    assert table["momentum"] == {"symbol": "μ", "description": table["momentum"]["description"], "min": 0,
                                 "max": 1, "min_inclusive": True, "max_inclusive": False}
    assert [table[k]["symbol"] for k in ("rho", "beta1", "beta2", "epsilon")] == ["ρ", "β1", "β2", "ε"]
    assert all((table[k]["min_inclusive"], table[k]["max_inclusive"]) == (True, False)
               for k in ("rho", "beta1", "beta2"))
    assert table["epsilon"] | {"description": ""} == {"symbol": "ε", "description": "", "min": 0, "max": 1,
                                                       "min_inclusive": False, "max_inclusive": True}
    assert all(h["description"] for h in table.values())


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


# ---- /options says what the engine says: one source for names, defaults and pairs ----------------
def test_options_optimizers_and_hyperparameters_are_the_engines(client):
    body = client.get(f"{API}/options").json()

    assert {o["name"]: (o["learning_rate"], o["hyperparameters"]) for o in body["optimizers"]} == {
        o.name: (o.learning_rate, o.hyperparameters) for o in OPTIMIZERS.values()}
    assert list(body["hyperparameters"]) == list(ALL_HYPERPARAMETERS) == list(HYPERPARAMETERS)
    assert {k for o in OPTIMIZERS.values() for k in o.hyperparameters} == set(HYPERPARAMETERS)
    for name, h in HYPERPARAMETERS.items():
        served = body["hyperparameters"][name]
        assert (served["min"], served["max"], served["min_inclusive"], served["max_inclusive"]) == (
            h.min, h.max, h.min_inclusive, h.max_inclusive)


def test_options_defaults_are_the_engines_creation_defaults(client):
    defaults = client.get(f"{API}/options").json()["defaults"]
    defaults["optimizer"] = {k: v for k, v in defaults["optimizer"].items() if v is not None}

    assert defaults == Settings().to_dict()


def test_options_ranges_and_natural_pairs_are_the_engines(client):
    body = client.get(f"{API}/options").json()

    for a in body["activations"]["hidden"] + body["activations"]["output"]:
        assert a["range"] == (None if ACTIVATIONS[a["name"]].range is None else list(ACTIVATIONS[a["name"]].range))
    for loss in body["losses"]:
        assert loss["natural_output"] == LOSSES[loss["name"]].natural_output
        assert loss["requires_output"] == LOSSES[loss["name"]].requires_output
    assert {t: p["loss"] for t, p in body["tasks"].items()} == TASK_LOSSES
    assert {d.task for d in DATASETS.values()} | {"custom"} == set(body["tasks"])


def engine_accepts(output_activation: str, loss: str) -> bool:
    try:
        Settings(layer_sizes=[2, 3], output_activation=output_activation, loss=loss, dataset=None).validate()
    except EngineError:
        return False
    return True


def test_options_valid_pairs_are_the_pairs_the_engine_accepts(client):
    body = client.get(f"{API}/options").json()
    outputs = [a["name"] for a in body["activations"]["output"]]

    for loss in body["losses"]:
        for output in outputs:
            valid = loss["requires_output"] in (None, output)
            assert valid == engine_accepts(output, loss["name"]), (output, loss["name"])
    for pair in body["tasks"].values():
        assert engine_accepts(pair["output_activation"], pair["loss"])


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_options_natural_pair_of_each_task_creates_a_network_on_its_datasets(client, api, task):
    pair = client.get(f"{API}/options").json()["tasks"][task]
    dataset = next(d for d in DATASETS.values() if d.task == task)

    state = api.create(layer_sizes=[dataset.n_inputs, 3, dataset.n_targets], **pair,
                       dataset={"name": dataset.name, "n_samples": 20, "seed": 1})

    assert (state["spec"]["output_activation"], state["spec"]["loss"]) == (pair["output_activation"], pair["loss"])


@pytest.mark.parametrize("output", ["sigmoid", "tanh", "linear"])
def test_options_decision_threshold_is_the_midpoint_of_a_binary_tasks_labels(client, api, output):
    outputs = {a["name"]: a for a in client.get(f"{API}/options").json()["activations"]["output"]}
    state = api.create(dataset={"name": "xor", "n_samples": 40, "seed": 1}, output_activation=output, loss="mse")

    targets = {t[0] for t in api.data(state["id"])["train"]["targets"]}

    assert len(targets) == 2
    assert outputs[output]["decision_threshold"] == sum(targets) / 2
