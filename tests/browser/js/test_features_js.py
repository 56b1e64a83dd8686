"""static/js/features.js (and its rows in url-config.js) in the real browser, with the server's own GET
/options: which features a dataset offers, how a list of them is kept, the hash key and the bodies."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def fit(js, names, dataset, options):
    return js.call("features.js", "fitFeatures", names, options, dataset)


def test_a_two_input_set_offers_every_feature_and_a_one_input_set_three(js, options):
    names = lambda dataset: [f["name"] for f in js.call("features.js", "offeredFeatures", options,  # noqa: E731
                                                       next(d for d in options["datasets"] if d["name"] == dataset))]
    assert names("xor") == ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]
    assert names("sine") == ["x1", "x1_squared", "sin_x1"]


def test_a_list_is_kept_in_the_servers_order_and_the_raw_inputs_are_null(js, options):
    assert fit(js, ["sin_x2", "x1"], "xor", options) == ["x1", "sin_x2"]
    assert fit(js, ["x2", "x1"], "xor", options) is None  # exactly the raw inputs: no key in the link
    assert fit(js, ["x1"], "sine", options) is None
    assert fit(js, ["x1", "x2_squared", "sin_x1"], "sine", options) == ["x1", "sin_x1"]  # sine has no x2
    assert fit(js, ["x2_squared"], "sine", options) is None


def test_the_labels_follow_the_number_of_inputs(js, options):
    xor = {"name": "xor", "seed": 1}
    labels = js.call("features.js", "inputLabels", {"input_features": ["x1_x2", "sin_x2"], "dataset": xor}, options)
    assert labels == ["x₁x₂", "sin x₂"]
    sine = {"input_features": ["x1", "x1_squared", "sin_x1"], "dataset": {"name": "sine"}}
    assert js.call("features.js", "inputLabels", sine, options) == ["x", "x²", "sin x"]
    assert js.call("features.js", "inputLabels", {"dataset": xor}, options) is None


def test_the_feat_key_round_trips_and_makes_the_body(js, options):
    result = js.call("url-config.js", "fromHash", "#data=xor&feat=x1,x2,x1_x2", options)
    config = result["config"]
    assert config["features"] == ["x1", "x2", "x1_x2"] and result["ignored"] == []
    assert "feat=x1,x2,x1_x2" in js.call("url-config.js", "toHash", config, options)
    body = js.call("url-config.js", "toCreateBody", config, options)
    assert body["input_features"] == ["x1", "x2", "x1_x2"] and body["layer_sizes"][0] == 3
    plain = js.call("url-config.js", "fromHash", "#data=xor", options)["config"]
    assert plain["features"] is None and "feat" not in js.call("url-config.js", "toHash", plain, options)
    assert "input_features" not in js.call("url-config.js", "toCreateBody", plain, options)


@pytest.mark.parametrize("hash_", ["#data=sine&feat=x1,x2_squared", "#feat=x1,x1", "#feat=x9"])
def test_a_feat_key_the_page_cannot_follow_is_named_as_ignored(js, options, hash_):
    assert "feat" in js.call("url-config.js", "fromHash", hash_, options)["ignored"]


def test_a_spec_with_features_gives_them_back_to_the_configuration(js, options):
    spec = {**options["defaults"], "layer_sizes": [2, 4, 1], "input_features": ["x1_squared", "x2_squared"]}
    assert js.call("url-config.js", "fromSpec", spec, options)["features"] == ["x1_squared", "x2_squared"]
