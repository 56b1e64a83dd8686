"""static/js/url-config.js in the real browser, with the server's own GET /options: the URL hash
table, the defaults it fills in (each optimizer's own) and the request bodies it makes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

# Links already shared use these keys: they never change.
HASH_KEYS = ["data", "noise", "train", "samples", "seed", "hidden", "bias", "act", "slope", "out", "loss", "wseed",
             "batch", "opt", "lr", "mom", "rho", "b1", "b2", "eps", "reg", "regrate"]


def from_hash(js, hash_: str, options) -> dict[str, Any]:
    return js.call("url-config.js", "fromHash", hash_, options)


def test_the_hash_keys_are_the_ones_links_already_use(js, options):
    rows = js.call("url-config.js", "propertiesOf", options)
    assert [row["key"] for row in rows] == HASH_KEYS


def test_an_adam_link_without_epsilon_takes_adams_own_defaults(js, options):
    config = from_hash(js, "#opt=adam", options)["config"]
    adam = next(o for o in options["optimizers"] if o["name"] == "adam")
    assert (config["beta1"], config["beta2"], config["epsilon"]) == (0.9, 0.999, 1e-8)
    assert config["learningRate"] == adam["learning_rate"]
    assert config["momentum"] is None and config["rho"] is None  # not Adam's


def test_an_adagrad_link_takes_adagrads_epsilon(js, options):
    assert from_hash(js, "#opt=adagrad", options)["config"]["epsilon"] == 1e-10


def test_values_in_the_link_win_over_the_optimizers_defaults(js, options):
    config = from_hash(js, "#opt=adam&eps=0.001&b1=0.5&lr=0.2", options)["config"]
    assert (config["epsilon"], config["beta1"], config["beta2"], config["learningRate"]) == (0.001, 0.5, 0.999, 0.2)


@pytest.mark.parametrize(("hash_", "ignored"), [
    ("#opt=momentum&mom=1", ["mom"]),        # μ < 1: the server's bound, not inclusive
    ("#opt=momentum&mom=0", []),             # μ ≥ 0 inclusive
    ("#opt=adam&eps=0", ["eps"]),            # ε > 0
    ("#opt=adam&eps=1", []),                 # ε ≤ 1
    ("#opt=nesterov", ["opt"]),
    ("#hidden=4,x", ["hidden"]),
    ("#colour=red", ["colour"]),
])
def test_values_outside_the_servers_bounds_are_ignored_and_named(js, options, hash_, ignored):
    assert from_hash(js, hash_, options)["ignored"] == ignored


def test_a_configuration_round_trips_through_its_hash(js, options):
    config = from_hash(js, "#data=xor&hidden=5,3&act=relu&opt=rmsprop&rho=0.8&lr=0.1&seed=7&wseed=11&batch=4",
                       options)["config"]
    hash_ = js.call("url-config.js", "toHash", config, options)
    assert from_hash(js, hash_, options) == {"config": config, "ignored": [], "empty": False}


def test_the_hash_holds_only_the_chosen_optimizers_hyperparameters(js, options):
    config = from_hash(js, "#opt=adam", options)["config"]
    hash_ = js.call("url-config.js", "toHash", config, options)
    assert "&opt=adam&lr=0.03&b1=0.9&b2=0.999&eps=1e-8&" in hash_
    assert "mom=" not in hash_ and "rho=" not in hash_


def test_the_optimizer_body_carries_its_own_hyperparameters_only(js, options):
    config = from_hash(js, "#opt=adam", options)["config"]
    body = js.call("url-config.js", "optimizerBody", config, options)
    assert body == {"name": "adam", "learning_rate": 0.03, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}


def test_the_default_configuration_is_the_servers_creation_defaults(js, options):
    config = js.call("url-config.js", "defaultConfig", options)
    d = options["defaults"]
    assert (config["dataset"], config["optimizer"], config["learningRate"], config["batchSize"]) == (
        d["dataset"]["name"], d["optimizer"]["name"], d["optimizer"]["learning_rate"], d["batch_size"])
    assert all(config[name] is None for name in options["hyperparameters"])  # the default optimizer (SGD) has none


@pytest.mark.parametrize(("dataset", "pair"), [
    ("xor", ("sigmoid", "binary_cross_entropy")), ("sine", ("linear", "mse")),
])
def test_a_link_without_output_and_loss_takes_the_tasks_natural_pair(js, options, dataset, pair):
    config = from_hash(js, f"#data={dataset}", options)["config"]
    task = next(d["task"] for d in options["datasets"] if d["name"] == dataset)
    assert (config["outputActivation"], config["loss"]) == pair
    assert pair == (options["tasks"][task]["output_activation"], options["tasks"][task]["loss"])


def test_an_invalid_pair_is_fixed_and_named(js, options):
    out = from_hash(js, "#data=xor&out=tanh&loss=binary_cross_entropy", options)
    assert (out["config"]["outputActivation"], out["config"]["loss"]) == ("tanh", "mse")
    assert out["ignored"] == ["out", "loss"]  # the pair was refused: both keys are named


def test_changing_the_optimizer_starts_from_its_defaults_and_keeps_the_learning_rate(js, options):
    config = from_hash(js, "#opt=momentum&mom=0.5&lr=0.2", options)["config"]
    after = js.call("url-config.js", "withOptimizerDefaults", config | {"optimizer": "adam"}, options, ["learningRate"])
    assert (after["learningRate"], after["momentum"], after["epsilon"]) == (0.2, None, 1e-8)


@pytest.mark.parametrize(("name", "live"), [("learningRate", True), ("epsilon", True), ("momentum", True),
                                            ("batchSize", True), ("hidden", False), ("dataset", False)])
def test_live_settings_keep_the_weights(js, name, live):
    assert js.call("url-config.js", "isLive", name) is live


def test_a_spec_read_back_fills_what_it_lacks_from_its_optimizer(js, options):
    spec: dict[str, Any] = {"layer_sizes": [2, 3, 1], "use_bias": True, "activation": "tanh", "leaky_relu_slope": 0.01,
                            "output_activation": "sigmoid", "loss": "binary_cross_entropy", "batch_size": 10,
                            "optimizer": {"name": "adam", "learning_rate": 0.05, "beta1": 0.8},
                            "regularization": {"kind": "none", "rate": 0}}
    config = js.call("url-config.js", "fromSpec", spec, options)
    assert (config["learningRate"], config["beta1"], config["beta2"], config["epsilon"]) == (0.05, 0.8, 0.999, 1e-8)
    assert config["hidden"] == [3]


def test_a_classroom_links_hide_key_is_the_pages_not_a_setting(js, options):
    plain = from_hash(js, "#data=xor&lr=0.1", options)
    hidden = from_hash(js, "#data=xor&lr=0.1&hide=optimizer,data", options)
    assert hidden == plain  # not ignored (no notice), not configured
    assert from_hash(js, "#hide=optimizer", options)["empty"] is True  # a link that only hides restores as one without


def test_the_hash_written_for_a_configuration_keeps_the_pages_hide_key(js, options):
    config = from_hash(js, "#data=xor&lr=0.1", options)["config"]
    hash_ = js.call("url-config.js", "toHash", config, options, "#data=circle&hide=optimizer,data")
    assert hash_.endswith("&hide=optimizer,data") and "data=xor" in hash_
    assert "hide=" not in js.call("url-config.js", "toHash", config, options, "#data=circle")
