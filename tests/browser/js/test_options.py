"""static/js/options.js and colours.js's valueScale in the real browser: the page reads the
server's rules from GET /options and keeps no copy of them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("task", "pair"), [
    ("binary", {"outputActivation": "sigmoid", "loss": "binary_cross_entropy"}),
    ("multiclass", {"outputActivation": "softmax", "loss": "cross_entropy"}),
    ("regression", {"outputActivation": "linear", "loss": "mse"}),
    ("custom", {"outputActivation": "linear", "loss": "mse"}),
])
def test_the_natural_pair_of_a_task_is_the_servers(js, options, task, pair):
    assert js.call("options.js", "naturalPair", options, task) == pair


def test_the_natural_pairs_follow_the_options_document_not_a_copy(js, options):
    changed = options | {"tasks": options["tasks"] | {"binary": {"output_activation": "tanh", "loss": "mse"}}}
    assert js.call("options.js", "naturalPair", changed, "binary") == {"outputActivation": "tanh", "loss": "mse"}


@pytest.mark.parametrize(("loss", "output", "natural"), [
    ("mse", "linear", True), ("mse", "sigmoid", False), ("binary_cross_entropy", "sigmoid", True),
    ("cross_entropy", "softmax", True), ("cross_entropy", "sigmoid", False),
])
def test_a_pair_is_natural_when_the_loss_says_so(js, options, loss, output, natural):
    assert js.call("options.js", "isNaturalPair", options, loss, output) is natural


@pytest.mark.parametrize(("name", "range_"), [("tanh", [-1, 1]), ("sigmoid", [0, 1]), ("softmax", [0, 1]),
                                              ("relu", None), ("linear", None)])
def test_activation_ranges_come_from_the_server(js, options, name, range_):
    assert js.call("options.js", "activationRange", options, name) == range_


def test_each_optimizer_has_its_own_hyperparameters(js, options):
    assert js.call("options.js", "hyperparametersOf", options, "adam") == ["beta1", "beta2", "epsilon"]
    assert js.call("options.js", "hyperparametersOf", options, "sgd") == []
    assert js.call("options.js", "hyperparameterBounds", options, "epsilon") | {"symbol": "", "description": ""} == {
        "symbol": "", "description": "", "min": 0, "max": 1, "min_inclusive": False, "max_inclusive": True}


@pytest.mark.parametrize(("range_", "map_", "scale"), [
    ([0, 1], {"lo": 0.2, "hi": 0.3}, {"centre": 0.5, "half": 0.5}),
    ([-1, 1], {"lo": 0.2, "hi": 0.3}, {"centre": 0, "half": 1}),
    (None, {"lo": -3, "hi": 2}, {"centre": 0, "half": 3}),
    (None, {"lo": 0, "hi": 0}, {"centre": 0, "half": 1e-9}),
])
def test_a_bounded_quantity_fills_the_colour_scale_and_an_unbounded_one_spans_its_own(js, range_, map_, scale):
    assert js.call("colours.js", "valueScale", range_, map_) == scale


def test_there_is_one_diverging_ramp_with_the_pages_middle(js):
    assert js.call("colours.js", "diverging", 0) == [0xF4, 0xF4, 0xF2]
    assert js.call("colours.js", "diverging", -1) == [0xD5, 0x5E, 0x00]
    assert js.call("colours.js", "diverging", 2) == [0x00, 0x72, 0xB2]  # clamped
    assert js.call("colours.js", "divergingColor", 0.5, 1) == "rgb(122, 179, 210)"
