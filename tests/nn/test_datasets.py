"""Dataset generators: seeded, well shaped, labelled by their rule, split as promised."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, Settings, Trainer
from app.nn.datasets import DATASETS, custom, generate

NAMES = sorted(DATASETS)
BINARY = [n for n in NAMES if DATASETS[n].task == "binary"]


def all_of(data) -> tuple[np.ndarray, np.ndarray]:
    return (np.concatenate([data.train_inputs, data.test_inputs]),
            np.concatenate([data.train_targets, data.test_targets]))


@pytest.mark.parametrize("name", NAMES)
def test_generator_is_deterministic_for_a_seed(name):
    a = generate(name, 50, 0.2, 0.6, 7, "sigmoid")
    b = generate(name, 50, 0.2, 0.6, 7, "sigmoid")
    for part in ("train_inputs", "train_targets", "test_inputs", "test_targets"):
        np.testing.assert_array_equal(getattr(a, part), getattr(b, part))


@pytest.mark.parametrize("name", [n for n in NAMES if n != "worked_example"])
def test_generator_depends_on_the_seed(name):
    a = generate(name, 50, 0.2, 0.6, 7, "sigmoid")
    b = generate(name, 50, 0.2, 0.6, 8, "sigmoid")
    assert not np.array_equal(a.train_inputs, b.train_inputs)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "worked_example"])
def test_generator_shapes_and_extent(name):
    kind = DATASETS[name]
    data = generate(name, 41, 0.1, 0.5, 3, "sigmoid")
    assert data.train_inputs.shape == (20, kind.n_inputs)
    assert data.train_targets.shape == (20, kind.n_targets)
    assert data.test_inputs.shape == (21, kind.n_inputs)
    assert data.test_targets.shape == (21, kind.n_targets)
    assert data.task == kind.task
    assert data.extent == [list(kind.extent)] * kind.n_inputs
    x, t = all_of(data)
    assert np.isfinite(x).all() and np.isfinite(t).all()


@pytest.mark.parametrize("n, fraction", [(10, 0.5), (101, 0.3), (7, 0.99), (500, 0.8), (3, 1.0), (33, 0.1)])
def test_train_test_split_sizes(n, fraction):
    data = generate("gauss", n, 0.0, fraction, 1, "sigmoid")
    n_train = math.floor(n * fraction)
    assert (len(data.train_inputs), len(data.test_inputs)) == (n_train, n - n_train)


def test_split_is_a_shuffle_of_the_generated_samples():
    data = generate("gauss", 40, 0.0, 0.5, 1, "sigmoid")
    _, t = all_of(data)
    assert t.sum() == 20  # gauss makes exactly half of each class
    assert 0 < data.train_targets.sum() < 20  # and the split mixes them


def test_a_split_that_leaves_no_training_data_is_refused():
    with pytest.raises(EngineError, match="leaves no training data") as err:
        generate("circle", 10, 0.0, 0.05, 1, "sigmoid")
    assert err.value.field == "dataset.train_fraction"


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("output, labels", [("sigmoid", {0.0, 1.0}), ("linear", {0.0, 1.0}), ("tanh", {-1.0, 1.0})])
def test_binary_targets_are_zero_one_or_plus_minus_one_for_tanh(name, output, labels):
    _, t = all_of(generate(name, 60, 0.1, 0.5, 2, output))
    assert set(np.unique(t)) == labels


@pytest.mark.parametrize("output, low", [("softmax", 0.0), ("tanh", -1.0)])
def test_three_class_targets_are_one_hot(output, low):
    _, t = all_of(generate("three_class", 60, 0.1, 0.5, 2, output))
    assert set(np.unique(t)) == {low, 1.0}
    assert ((t == 1.0).sum(axis=1) == 1).all()
    assert ((t == 1.0).sum(axis=0) == 20).all()  # balanced classes


def test_circle_without_noise_labels_by_radius():
    x, t = all_of(generate("circle", 300, 0.0, 0.5, 4, "sigmoid"))
    r = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_array_equal(t[:, 0], (r < 2.5).astype(float))
    assert (r <= 5.0).all()
    assert not ((r >= 2.5) & (r < 3.5)).any()  # the gap between disc and ring


def test_circle_noise_flips_some_labels_near_the_rim():
    x, t = all_of(generate("circle", 300, 0.5, 0.5, 4, "sigmoid"))
    r = np.hypot(x[:, 0], x[:, 1])
    assert ((r < 2.5).astype(float) != t[:, 0]).any()


def test_xor_without_noise_labels_by_quadrant():
    x, t = all_of(generate("xor", 300, 0.0, 0.5, 4, "sigmoid"))
    np.testing.assert_array_equal(t[:, 0], (x[:, 0] * x[:, 1] > 0).astype(float))
    assert (np.abs(x) >= 0.3).all()  # padded off the axes


def test_gauss_classes_sit_on_either_side_of_the_diagonal():
    x, t = all_of(generate("gauss", 400, 0.0, 0.5, 4, "sigmoid"))
    side = (x[:, 0] + x[:, 1] > 0).astype(float)
    assert (side == t[:, 0]).mean() > 0.95


@pytest.mark.parametrize("name, rule", [
    ("plane", lambda x: (x[:, 0] + x[:, 1]) / 10.0),
    ("sine", lambda x: np.sin(x[:, 0])),
])
def test_regression_targets_follow_their_formula_without_noise(name, rule):
    x, t = all_of(generate(name, 100, 0.0, 0.5, 4, "linear"))
    np.testing.assert_allclose(t[:, 0], rule(x), rtol=1e-14, atol=1e-15)


def test_multi_gauss_targets_lie_in_minus_one_to_one():
    _, t = all_of(generate("multi_gauss", 300, 0.0, 0.5, 4, "linear"))
    assert t.min() >= -1.0 and t.max() <= 1.0 and t.min() < 0 < t.max()


def test_worked_example_is_its_single_sample():
    data = generate("worked_example", 500, 0.3, 0.5, 4, "linear")
    assert data.train_inputs.tolist() == [[2.0]] and data.train_targets.tolist() == [[4.0]]
    assert len(data.test_inputs) == 0


def test_custom_data_is_all_training_data_with_a_padded_extent():
    data = custom(np.array([[0.0, 10.0], [2.0, 10.0]]), np.array([[1.0], [0.0]]))
    assert len(data.train_inputs) == 2 and data.test_inputs.shape == (0, 2) and data.test_targets.shape == (0, 1)
    assert data.extent == [[-0.5, 2.5], [9.5, 10.5]]
    assert data.task == "custom"


@pytest.mark.parametrize("name", [n for n in NAMES if n != "worked_example"])
def test_trainer_reports_the_split_sizes(name):
    kind = DATASETS[name]
    output, loss = {"binary": ("sigmoid", "binary_cross_entropy"), "multiclass": ("softmax", "cross_entropy"),
                    "regression": ("linear", "mse")}[kind.task]
    trainer = Trainer(Settings(layer_sizes=[kind.n_inputs, 3, kind.n_targets], output_activation=output, loss=loss,
                               init=InitSettings(seed=0), dataset=DatasetSettings(name, 45, 0.1, 0.6, seed=1)))
    state = trainer.state()
    assert (state["n_train"], state["n_test"]) == (27, 18)
