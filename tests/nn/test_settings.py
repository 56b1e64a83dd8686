"""Settings the engine refuses, each with a plain message and the field at fault."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import (
    DatasetSettings,
    EngineError,
    InitSettings,
    OptimizerSettings,
    RegularizationSettings,
    Settings,
    Trainer,
)


def circle(**kw) -> Settings:
    base = dict(layer_sizes=[2, 3, 1], init=InitSettings(seed=0), dataset=DatasetSettings("circle", 20, seed=0))
    return Settings(**{**base, **kw})


@pytest.mark.parametrize("settings, field, message", [
    (circle(output_activation="linear", loss="binary_cross_entropy"), "loss",
     "loss 'binary_cross_entropy' needs output_activation 'sigmoid', not 'linear'"),
    (circle(output_activation="tanh", loss="binary_cross_entropy"), "loss", "needs output_activation 'sigmoid'"),
    (circle(output_activation="sigmoid", loss="cross_entropy"), "loss", "needs output_activation 'softmax'"),
    (circle(output_activation="softmax", loss="cross_entropy"), "output_activation",
     "a softmax output needs at least 2 output units"),
    (circle(optimizer=OptimizerSettings("sgd", 0.1, {"momentum": 0.9})), "optimizer.momentum",
     "optimizer 'sgd' has no hyperparameter 'momentum' (it takes: none)"),
    (circle(optimizer=OptimizerSettings("momentum", 0.1, {"beta1": 0.9})), "optimizer.beta1",
     "(it takes: momentum)"),
    (circle(optimizer=OptimizerSettings("adam", 0.1, {"beta2": 1.0})), "optimizer.beta2", "must be in [0, 1)"),
    (circle(optimizer=OptimizerSettings("rmsprop", 0.1, {"epsilon": 0.0})), "optimizer.epsilon", "positive"),
    (circle(optimizer=OptimizerSettings("adam", 0.1, {"epsilon": 2.0})), "optimizer.epsilon",
     "optimizer.epsilon must be in (0, 1] (positive and at most 1), got 2.0"),
    (circle(optimizer=OptimizerSettings("momentum", 0.1, {"momentum": -0.5})), "optimizer.momentum",
     "optimizer.momentum must be in [0, 1) (at least 0 and below 1)"),
    (circle(optimizer=OptimizerSettings("sgd", 0.0)), "optimizer.learning_rate", "positive"),
    (circle(optimizer=OptimizerSettings("newton", 0.1)), "optimizer.name", "'newton' is not one of"),
    (circle(activation="softmax"), "activation", "activation 'softmax' is not one of"),
    (circle(activation="gelu"), "activation", "is not one of: linear, sigmoid, tanh, relu, leaky_relu"),
    (circle(output_activation="relu"), "output_activation", "is not one of"),
    (circle(loss="hinge"), "loss", "is not one of"),
    (circle(init=InitSettings("orthogonal", 0)), "init.scheme", "is not one of"),
    (circle(regularization=RegularizationSettings("l3", 0.1)), "regularization.kind", "is not one of"),
    (circle(dataset=DatasetSettings("moons", seed=0)), "dataset.name", "is not one of"),
    (circle(layer_sizes=[2]), "layer_sizes", "at least an input and an output size"),
    (circle(layer_sizes=[2, 0, 1]), "layer_sizes", "at least 1"),
    (circle(batch_size=0), "batch_size", "at least 1"),
    (circle(dataset=None), "dataset", "give either a dataset or your own data"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_invalid_settings_are_refused(settings, field, message):
    with pytest.raises(EngineError) as err:
        Trainer(settings)
    assert err.value.field == field
    assert message in err.value.message


def test_layer_sizes_that_do_not_fit_the_dataset_are_refused_with_a_clear_message():
    with pytest.raises(EngineError) as err:
        Trainer(circle(layer_sizes=[3, 4, 2]))
    assert err.value.field == "layer_sizes"
    assert err.value.message == ("dataset 'circle' has 2 input(s) and 1 target column(s), but layer_sizes [3, 4, 2] "
                                 "expects 3 input(s) and 2 output(s): make the first entry 2 and the last 1")


def test_custom_data_that_does_not_fit_is_refused():
    with pytest.raises(EngineError, match=r"^data has 1 input\(s\)") as err:
        Trainer(circle(dataset=None), data={"inputs": [[1.0], [2.0]], "targets": [[0.0], [1.0]]})
    assert err.value.field == "layer_sizes"


@pytest.mark.parametrize("data, field, message", [
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0], [0.0]]}, "data", "1 rows but data.targets has 2"),
    ({"inputs": [[1.0, 2.0], [1.0]], "targets": [[1.0], [0.0]]}, "data.inputs", "rectangular"),
    ({"inputs": [[1.0, float("nan")]], "targets": [[1.0]]}, "data.inputs", "non-finite"),
    ({"inputs": [], "targets": []}, "data.inputs", "non-empty"),
    ({"inputs": [[1.0, 2.0]], "targets": [[2.0]]}, "loss", "needs targets between 0 and 1"),
])
def test_invalid_custom_data_is_refused(data, field, message):
    with pytest.raises(EngineError) as err:
        Trainer(circle(dataset=None), data=data)
    assert err.value.field == field
    assert message in err.value.message


def test_a_cross_entropy_on_a_regression_set_is_refused():
    with pytest.raises(EngineError, match="needs targets between 0 and 1") as err:
        Trainer(circle(dataset=DatasetSettings("plane", 20, seed=0)))
    assert err.value.field == "loss"


@pytest.mark.parametrize("weights, biases, field, message", [
    ([[[1.0]]], None, "weights", "weights must hold 2 matrices"),
    ([np.zeros((3, 2)), np.zeros((3, 1))], None, "weights", "weights[0] must have shape [2, 3]"),
    ([[[1.0, None, 0.0], [0.0, 0.0, 0.0]], np.zeros((3, 1))], None, "weights", "weights[0] contains a non-finite"),
    ([[[1.0, 0.0], [0.0, 0.0, 0.0]], np.zeros((3, 1))], None, "weights", "rectangular"),
    (None, [np.zeros(3)], "biases", "biases must hold 2 vectors"),
    (None, [np.zeros(3), np.zeros(2)], "biases", "biases[1] must have 1 entries"),
    (None, [[0.0, float("inf"), 0.0], [0.0]], "biases", "biases[0] contains a non-finite"),
])
def test_given_weights_and_biases_are_checked(weights, biases, field, message):
    with pytest.raises(EngineError) as err:
        Trainer(circle(), weights=weights, biases=biases)
    assert err.value.field == field
    assert message in err.value.message


def test_biases_without_use_bias_are_refused():
    with pytest.raises(EngineError, match="use_bias is false"):
        Trainer(circle(use_bias=False), biases=[np.zeros(3), np.zeros(1)])


def test_given_weights_and_biases_are_used_as_they_are():
    w = [np.arange(6.0).reshape(2, 3), np.ones((3, 1))]
    b = [np.array([0.1, 0.2, 0.3]), np.array([-1.0])]
    trainer = Trainer(circle(), weights=[x.tolist() for x in w], biases=b)
    for got, want in zip(trainer.network.weights + trainer.network.biases, w + b, strict=True):
        np.testing.assert_array_equal(got, want)
    b[0][0] = 9.0  # the trainer keeps its own copy
    assert trainer.network.biases[0][0] == 0.1


def test_bias_value_sets_every_initial_bias():
    trainer = Trainer(circle(init=InitSettings(seed=0, bias_value=0.25)))
    assert all((b == 0.25).all() for b in trainer.network.biases)


@pytest.mark.parametrize("scheme", ["xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform", "zeros"])
def test_init_schemes_are_seeded(scheme):
    def weights(seed: int) -> list[np.ndarray]:
        return Trainer(circle(init=InitSettings(scheme, seed))).network.weights

    for a, b in zip(weights(1), weights(1), strict=True):
        np.testing.assert_array_equal(a, b)
    if scheme == "zeros":
        assert all(not w.any() for w in weights(1))
    else:
        assert not np.array_equal(weights(1)[0], weights(2)[0])
