"""Input features: their values and shapes, the checks on their names, and a trainer fed through them
(steps, gradients against finite differences, given batches, evaluation, boundary, exports)."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, OptimizerSettings, Settings, Trainer
from app.nn.features import FEATURES, available, features
from app.nn.snapshot import EXPORT_FORMAT, EXPORT_FORMAT_FEATURES

ALL = list(FEATURES)
X = np.array([[0.5, -2.0], [3.0, 1.5], [-1.25, 0.0]])


def by_hand(x: np.ndarray) -> dict[str, np.ndarray]:
    """Each feature written out, column by column (the independent computation)."""
    x1, x2 = x[:, 0], x[:, 1]
    return {"x1": x1, "x2": x2, "x1_squared": x1**2, "x2_squared": x2**2, "x1_x2": x1 * x2,
            "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}


def test_every_feature_has_its_value_in_the_order_given():
    names = ["sin_x2", "x1_x2", "x1", "x2_squared", "x1_squared", "x2", "sin_x1"]
    out = features(names, X)
    assert out.shape == (3, 7) and out.dtype == np.float64
    expected = by_hand(X)
    for j, name in enumerate(names):
        np.testing.assert_allclose(out[:, j], expected[name], rtol=0, atol=1e-15)
    assert features(["x1_x2"], X)[1, 0] == 4.5


def test_features_keep_float32_for_pictures():
    assert features(["x1", "sin_x2"], X.astype(np.float32)).dtype == np.float32


def test_a_one_input_set_offers_x_x_squared_and_sin_x():
    assert available(1) == ["x1", "x1_squared", "sin_x1"]
    assert available(2) == ALL
    assert [FEATURES[n].label_one_input for n in available(1)] == ["x", "x²", "sin x"]
    assert [FEATURES[n].label for n in ALL] == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]


def settings(names: list[str] | None, hidden: int = 3, **kw) -> Settings:
    n_in = 2 if names is None else len(names)
    base = dict(layer_sizes=[n_in, hidden, 1], init=InitSettings(seed=5), batch_size=6,
                optimizer=OptimizerSettings("sgd", 0.1), dataset=DatasetSettings("circle", 40, 0.0, 0.5, seed=3),
                input_features=names)
    return Settings(**{**base, **kw})


@pytest.mark.parametrize("names,field,words", [
    (["x1", "x1"], "input_features", "more than once"),
    ([], "input_features", "at least one"),
    (["x3"], "input_features", "not one of"),
    (["x1", "x2", "x1_x2"], "layer_sizes", "make the first entry 3"),
])
def test_bad_feature_lists_are_refused_naming_the_field(names, field, words):
    s = settings(names)
    if field == "layer_sizes" or not names:
        s.layer_sizes = [2, 3, 1]
    with pytest.raises(EngineError, match=words) as e:
        Trainer(s)
    assert e.value.field == field


def test_a_feature_needing_x2_is_refused_on_a_one_input_set():
    s = settings(["x1", "x2_squared"], loss="mse", output_activation="linear",
                 dataset=DatasetSettings("sine", 40, 0.0, 0.5, seed=3))
    with pytest.raises(EngineError, match="x2_squared") as e:
        Trainer(s)
    assert e.value.field == "input_features"


def test_a_one_input_set_trains_on_its_features():
    s = settings(["x1", "x1_squared", "sin_x1"], loss="mse", output_activation="linear",
                 dataset=DatasetSettings("sine", 40, 0.0, 0.5, seed=3))
    trainer = Trainer(s)
    trace = trainer.step()
    raw = trainer.data.train_inputs[trace["sample_indices"]]
    np.testing.assert_array_equal(trace["inputs"], np.column_stack([raw[:, 0], raw[:, 0] ** 2, np.sin(raw[:, 0])]))


def test_data_with_more_than_two_inputs_takes_no_features():
    data = {"inputs": [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0]], "targets": [[1.0], [0.0]]}
    with pytest.raises(EngineError, match="3 inputs") as e:
        Trainer(settings(["x1"], dataset=None), data=data)
    assert e.value.field == "input_features"


def test_without_features_the_trainer_is_unchanged_and_the_spec_has_no_field():
    trainer = Trainer(settings(None))
    assert "input_features" not in trainer.state()["spec"]
    assert trainer.features(X) is X
    assert trainer.export()["format"] == EXPORT_FORMAT


def test_a_step_feeds_the_features_of_its_raw_batch_as_layer_0():
    names = ["x1", "x2", "x1_squared", "x2_squared", "sin_x1"]
    trainer = Trainer(settings(names))
    trace = trainer.step()
    raw = trainer.data.train_inputs[trace["sample_indices"]]  # /data's raw rows
    assert trainer.data.train_inputs.shape[1] == 2
    np.testing.assert_array_equal(trace["inputs"], np.column_stack([by_hand(raw)[n] for n in names]))
    w0 = trace["update"][0]["weights"] - trace["update"][0]["weight_deltas"]
    np.testing.assert_allclose(trace["forward"][0]["z"], trace["inputs"] @ w0 + 0.0, rtol=1e-12)


def raw_loss(weights: list[np.ndarray], biases: list[np.ndarray], raw: np.ndarray, t: np.ndarray,
             names: list[str]) -> float:
    """The batch's binary cross-entropy of a tanh → sigmoid network on the features of raw inputs, by hand."""
    a = np.column_stack([by_hand(raw)[n] for n in names])
    a = np.tanh(a @ weights[0] + biases[0])
    y = 1.0 / (1.0 + np.exp(-(a @ weights[1] + biases[1])))
    return float(np.mean(-(t * np.log(y) + (1 - t) * np.log(1 - y))))


def test_gradients_through_the_features_match_finite_differences():
    names = ["x1_x2", "sin_x2", "x1_squared", "x2"]
    trainer = Trainer(settings(names, hidden=4))
    before_w = [w.copy() for w in trainer.network.weights]
    before_b = [b.copy() for b in trainer.network.biases]
    trace = trainer.step()
    raw = trainer.data.train_inputs[trace["sample_indices"]]
    t = trace["targets"]
    eps = 1e-6
    for l, grad in enumerate(layer["grad_weights"] for layer in trace["backward"]):
        numeric = np.zeros_like(grad)
        for i, j in np.ndindex(grad.shape):
            up = [w.copy() for w in before_w]
            down = [w.copy() for w in before_w]
            up[l][i, j] += eps
            down[l][i, j] -= eps
            plus, minus = raw_loss(up, before_b, raw, t, names), raw_loss(down, before_b, raw, t, names)
            numeric[i, j] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)
    check = Trainer(settings(names, hidden=4)).gradient_check()
    assert check["max_relative_error"] < 1e-6


def test_given_batches_and_predictions_take_raw_inputs():
    names = ["sin_x1", "x1_x2"]
    trainer = Trainer(settings(names))
    expected = np.column_stack([np.sin(X[:, 0]), X[:, 0] * X[:, 1]])
    np.testing.assert_array_equal(trainer.forward_trace(X.tolist())["inputs"], expected)
    w, b = trainer.network.weights, trainer.network.biases
    by_hand_y = 1 / (1 + np.exp(-(np.tanh(expected @ w[0] + b[0]) @ w[1] + b[1])))
    np.testing.assert_allclose(trainer.predict(X.tolist()), by_hand_y, rtol=1e-12)
    with pytest.raises(EngineError, match="2 column") as e:
        trainer.predict([[0.1]])
    assert e.value.field == "inputs"


def test_evaluation_uses_the_features():
    names = ["x1_squared", "x2_squared"]
    trainer = Trainer(settings(names))
    y = trainer.predict(trainer.data.test_inputs)
    t = trainer.data.test_targets
    expected = float(np.mean(-(t * np.log(y) + (1 - t) * np.log(1 - y))))
    assert trainer.evaluate()["test_loss"] == pytest.approx(expected, rel=1e-12)


def test_the_boundary_shows_each_input_units_feature_over_the_plane():
    trainer = Trainer(settings(["x1_x2", "x2_squared", "sin_x1"]))
    b = trainer.boundary(5)
    grid = np.stack(np.meshgrid(b["x1"], b["x2"]), axis=-1).reshape(-1, 2)
    expected = by_hand(grid)
    for j, name in enumerate(["x1_x2", "x2_squared", "sin_x1"]):
        np.testing.assert_allclose(b["inputs"][:, j], expected[name], rtol=1e-5, atol=1e-5)  # float32 pictures
    np.testing.assert_allclose(b["a"][-1], trainer.predict(grid), rtol=1e-4, atol=1e-5)


def test_an_export_of_a_network_with_features_is_format_2_and_continues_identically():
    names = ["x1", "x2", "x1_x2"]
    trainer = Trainer(settings(names))
    for _ in range(3):
        trainer.step()
    doc = orjson.loads(orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY))
    assert doc["format"] == EXPORT_FORMAT_FEATURES and doc["spec"]["input_features"] == names
    again = Trainer.from_export(doc)
    assert again.settings.input_features == names
    a, b = trainer.step(), again.step()
    np.testing.assert_array_equal(a["inputs"], b["inputs"])
    assert a["loss"] == b["loss"]


def test_a_format_1_export_imports_as_raw_inputs_and_cannot_carry_features():
    old = orjson.loads(orjson.dumps(Trainer(settings(None)).export(), option=orjson.OPT_SERIALIZE_NUMPY))
    assert old["format"] == EXPORT_FORMAT and "input_features" not in old["spec"]
    assert Trainer.from_export(old).settings.input_features is None
    bad = {**old, "spec": {**old["spec"], "layer_sizes": [1, 3, 1], "input_features": ["x1_x2"]}}
    with pytest.raises(EngineError, match="backprop-playground/2") as e:
        Trainer.from_export(bad)
    assert e.value.field == "format"


def test_a_race_of_networks_with_features_steps_as_lone_networks():
    from app.nn.race import racers, train_race

    names = ["x1_squared", "x2_squared", "x1_x2"]
    optimizers = [OptimizerSettings("sgd", 0.1), OptimizerSettings("adam", 0.01)]
    race = racers(Trainer(settings(names, optimizer=optimizers[0])), optimizers)
    assert all(r.settings.input_features == names for r in race)
    results = train_race(race, 4)  # stacked passes
    for optimizer, result in zip(optimizers, results):
        alone = Trainer(settings(names, optimizer=optimizer)).train(4)
        np.testing.assert_allclose(result["loss"], alone["loss"], rtol=1e-12)


def test_the_loss_surface_of_a_network_with_features_is_its_training_loss():
    from app.nn.surface import axes_plane, plane_view

    trainer = Trainer(settings(["sin_x1", "x2"], hidden=2))
    net = trainer.network
    plane = axes_plane(net, ((0, 0, 0), (0, 1, 0)))
    view = plane_view(net, plane, trainer.train_a0, trainer.data.train_targets, "none", 0.0, (None, None), 3,
                      False, [])
    assert view["current"]["loss"] == pytest.approx(trainer.evaluate()["train_loss"], rel=1e-12)


def test_new_own_data_is_fed_through_the_features():
    names = ["x1_x2", "sin_x1"]
    trainer = Trainer(settings(names))
    trainer.replace_data({"inputs": X.tolist(), "targets": [[1.0], [0.0], [1.0]]})
    assert trainer.n_raw == 2 and trainer.data.train_inputs.shape == (3, 2)  # /data stays raw
    np.testing.assert_array_equal(trainer.train_a0, np.column_stack([X[:, 0] * X[:, 1], np.sin(X[:, 0])]))
    trace = trainer.step()
    np.testing.assert_array_equal(trace["inputs"], trainer.train_a0[trace["sample_indices"]])
    with pytest.raises(EngineError, match="2 unit") as e:
        trainer.replace_data({"inputs": [[1.0, 2.0, 3.0]], "targets": [[1.0]]})
    assert e.value.field == "data.inputs"
