"""Trainer: the worked example, mini-batches, divergence, training and live changes."""

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


def gauss_trainer(n_samples: int = 46, batch_size: int = 5, seed: int = 4, **kw) -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=seed), batch_size=batch_size,
                            dataset=DatasetSettings("gauss", n_samples, 0.1, 0.5, seed=9), **kw))


# ---- the worked example -------------------------------------------------------------------------

def test_worked_example_holds_exactly():
    trainer = Trainer(Settings(layer_sizes=[1, 1], output_activation="linear", loss="mse", use_bias=False,
                               optimizer=OptimizerSettings("sgd", 0.1), batch_size=1,
                               dataset=DatasetSettings("worked_example", seed=0)), weights=[[[1.0]]])
    trace = trainer.step()
    assert trace["applied"]
    assert trace["inputs"].tolist() == [[2.0]] and trace["targets"].tolist() == [[4.0]]
    assert trace["forward"][0]["a"][0, 0] == pytest.approx(2.0, abs=1e-12)
    assert trace["loss"] == pytest.approx(2.0, abs=1e-12)
    assert trace["backward"][0]["grad_a"][0, 0] == pytest.approx(-2.0, abs=1e-12)
    assert trace["backward"][0]["grad_z"][0, 0] == pytest.approx(-2.0, abs=1e-12)
    assert trace["backward"][0]["grad_weights"][0, 0] == pytest.approx(-4.0, abs=1e-12)
    assert trace["backward"][0]["grad_biases"] is None
    assert trace["update"][0]["weight_deltas"][0, 0] == pytest.approx(0.4, abs=1e-12)
    assert trace["update"][0]["weights"][0, 0] == pytest.approx(1.4, abs=1e-12)
    after = trainer.forward_trace()
    assert after["forward"][0]["a"][0, 0] == pytest.approx(2.8, abs=1e-12)
    assert after["loss"] == pytest.approx(0.72, abs=1e-12)


# ---- mini-batches -------------------------------------------------------------------------------

def test_every_training_sample_is_used_once_per_epoch_with_a_short_last_batch():
    trainer = gauss_trainer(n_samples=46, batch_size=5)  # 23 training samples: 5 + 5 + 5 + 5 + 3
    assert trainer.n_train == 23
    epochs = []
    for epoch in range(3):
        traces = [trainer.step() for _ in range(5)]
        assert [len(t["sample_indices"]) for t in traces] == [5, 5, 5, 5, 3]
        assert {t["epoch"] for t in traces} == {epoch}
        order = np.concatenate([t["sample_indices"] for t in traces])
        assert sorted(order.tolist()) == list(range(23))
        for t in traces:
            np.testing.assert_array_equal(t["inputs"], trainer.data.train_inputs[t["sample_indices"]])
            np.testing.assert_array_equal(t["targets"], trainer.data.train_targets[t["sample_indices"]])
        epochs.append(order)
    assert not np.array_equal(epochs[0], epochs[1])  # a new permutation every epoch
    assert not np.array_equal(epochs[1], epochs[2])
    assert trainer.epoch == 2 and trainer.epoch_position == 23 and trainer.step_count == 15


def test_epoch_permutations_come_from_the_seed():
    def order(seed: int) -> list[int]:
        trainer = gauss_trainer(seed=seed)
        return np.concatenate([trainer.step()["sample_indices"] for _ in range(10)]).tolist()

    assert order(4) == order(4)
    assert order(4) != order(5)


def test_batch_size_above_the_training_set_uses_the_whole_set_each_step():
    trainer = gauss_trainer(n_samples=46, batch_size=100)
    for epoch in range(3):
        trace = trainer.step()
        assert sorted(trace["sample_indices"].tolist()) == list(range(23))
        assert trace["epoch"] == epoch


def test_forward_trace_previews_the_next_batch_without_consuming_it():
    trainer = gauss_trainer()
    trainer.step()
    preview = trainer.forward_trace()
    again = trainer.forward_trace()
    assert (trainer.step_count, trainer.epoch_position) == (1, 5)
    np.testing.assert_array_equal(preview["sample_indices"], again["sample_indices"])
    trace = trainer.step()
    np.testing.assert_array_equal(preview["sample_indices"], trace["sample_indices"])
    for p, s in zip(preview["forward"], trace["forward"], strict=True):
        np.testing.assert_array_equal(p["a"], s["a"])
    assert preview["loss"] == trace["loss"]
    assert preview["step"] == 1 and trace["step"] == 2


def test_forward_trace_with_inputs_only_has_no_loss():
    trainer = gauss_trainer()
    trace = trainer.forward_trace([[0.5, -0.5], [1.0, 2.0]])
    assert trace["loss"] is None and trace["loss_per_sample"] is None and trace["sample_indices"] is None
    assert trace["forward"][-1]["a"].shape == (2, 1)
    np.testing.assert_array_equal(trainer.predict([[0.5, -0.5], [1.0, 2.0]]), trace["forward"][-1]["a"])


def test_a_step_on_given_inputs_leaves_the_epoch_position_alone():
    trainer = gauss_trainer()
    trainer.step()
    trace = trainer.step([[0.5, -0.5]], [[1.0]])
    assert trace["applied"] and trace["sample_indices"] is None
    assert trainer.step_count == 2 and trainer.epoch_position == 5


def test_step_with_inputs_but_no_targets_is_refused():
    with pytest.raises(EngineError, match="targets are needed") as err:
        gauss_trainer().step([[0.5, -0.5]])
    assert err.value.field == "targets"


def test_step_targets_outside_a_cross_entropy_range_are_refused():
    trainer = gauss_trainer()  # sigmoid + binary cross-entropy
    with pytest.raises(EngineError, match="between 0 and 1") as err:
        trainer.step([[0.5, -0.5]], [[3.0]])
    assert err.value.field == "targets"
    with pytest.raises(EngineError, match="between 0 and 1"):
        trainer.forward_trace([[0.5, -0.5]], [[-1.0]])
    assert trainer.step_count == 0


# ---- divergence -------------------------------------------------------------------------------

def exploding_trainer() -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 3, 1], activation="linear", output_activation="linear", loss="mse",
                            init=InitSettings(seed=3), optimizer=OptimizerSettings("sgd", 5.0), batch_size=5,
                            dataset=DatasetSettings("plane", 40, 0.0, 0.5, seed=1)))


def test_a_huge_learning_rate_stops_at_the_last_finite_state():
    trainer = exploding_trainer()
    for _ in range(100):
        weights = [w.copy() for w in trainer.network.weights]
        biases = [b.copy() for b in trainer.network.biases]
        step, position, state = trainer.step_count, trainer.epoch_position, trainer.optimizer_state()
        trace = trainer.step()
        if not trace["applied"]:
            break
    else:
        pytest.fail("η = 5 never diverged")
    assert all(np.isfinite(w).all() for w in weights)
    d = trace["diverged"]
    assert set(d) == {"phase", "layer", "quantity", "message"}
    assert d["phase"] in {"forward", "loss", "backward", "update"}
    assert d["message"].startswith("The step was not applied") and "learning rate" in d["message"]
    assert "Traceback" not in d["message"] and "nan" not in d["message"].lower()
    assert trace["step"] == step == trainer.step_count
    assert trainer.epoch_position == position
    assert trainer.optimizer_state() == state
    for w, kept in zip(weights, trainer.network.weights, strict=True):
        np.testing.assert_array_equal(w, kept)
    for b, kept in zip(biases, trainer.network.biases, strict=True):
        np.testing.assert_array_equal(b, kept)
    assert not trainer.step()["applied"]  # the same batch diverges again: nothing moved


def test_train_stops_at_the_diverging_step():
    result = exploding_trainer().train(100)
    assert result["diverged"] is not None
    assert result["steps_run"] == len(result["loss"]) < 100
    assert all(np.isfinite(result["loss"]))


@pytest.mark.parametrize("output, loss, weights, t, loss_value", [
    # z = 40: y = σ(40) rounds to exactly 1, so ∂E/∂y = (y − t)/(y(1 − y)) = ∞ for t = 0.
    ("sigmoid", "binary_cross_entropy", [[20.0], [20.0]], [[0.0]], 40.0),
    # z = (800, −800): y = (1, 0) exactly, so ∂E/∂y_2 = −t_2/y_2 = −∞ for t = (0, 1).
    ("softmax", "cross_entropy", [[400.0, -400.0], [400.0, -400.0]], [[0.0, 1.0]], 1600.0),
])
def test_saturated_cross_entropy_output_is_not_a_divergence(output, loss, weights, t, loss_value):
    trainer = Trainer(Settings(layer_sizes=[2, len(t[0])], output_activation=output, loss=loss, use_bias=False,
                               init=InitSettings(seed=0), optimizer=OptimizerSettings("sgd", 1e-4), dataset=None),
                      weights=[weights], data={"inputs": [[1.0, 1.0]], "targets": t})
    trace = trainer.step()
    assert np.isinf(trace["backward"][-1]["grad_a"]).any()
    np.testing.assert_array_equal(trace["backward"][-1]["grad_z"], trace["forward"][-1]["a"] - np.array(t))
    assert trace["loss"] == pytest.approx(loss_value, rel=1e-12)
    assert trace["applied"] and trace["diverged"] is None
    assert trainer.step_count == 1


def test_an_overflowing_z_is_a_divergence_even_where_tanh_hides_it():
    trainer = Trainer(Settings(layer_sizes=[2, 2, 1], init=InitSettings(seed=0), dataset=None),
                      weights=[np.full((2, 2), 1e200), np.ones((2, 1))],
                      data={"inputs": [[1e200, 1e200]], "targets": [[1.0]]})
    trace = trainer.step()
    assert not trace["applied"]
    assert (trace["diverged"]["phase"], trace["diverged"]["layer"], trace["diverged"]["quantity"]) == (
        "forward", 0, "z")
    assert trainer.step_count == 0
    np.testing.assert_array_equal(trainer.network.weights[0], np.full((2, 2), 1e200))


# ---- training, evaluation, live changes -------------------------------------------------------

def test_tanh_network_learns_xor():
    trainer = Trainer(Settings(layer_sizes=[2, 6, 1], activation="tanh", output_activation="sigmoid",
                               loss="binary_cross_entropy", init=InitSettings(seed=1),
                               optimizer=OptimizerSettings("adam", 0.03), batch_size=10,
                               dataset=DatasetSettings("xor", 400, 0.0, 0.5, seed=2)))
    before = trainer.evaluate()
    result = trainer.train(1000, eval_every=250)
    assert result["steps_run"] == 1000 and result["diverged"] is None
    assert [e["step"] for e in result["evaluations"]] == [250, 500, 750, 1000]
    after = trainer.evaluate()
    assert result["evaluations"][-1] == {"step": 1000, **after}
    assert after["train_loss"] < 0.1 < before["train_loss"]
    assert after["test_loss"] < 0.1
    assert after["test_accuracy"] >= 0.95


def test_evaluate_reports_no_accuracy_for_regression_and_nothing_without_a_test_set():
    trainer = Trainer(Settings(layer_sizes=[1, 4, 1], output_activation="linear", loss="mse",
                               init=InitSettings(seed=0), dataset=DatasetSettings("sine", 20, 0.0, 1.0, seed=0)))
    result = trainer.evaluate()
    assert result["train_loss"] > 0 and result["train_accuracy"] is None
    assert result["test_loss"] is None and result["test_accuracy"] is None


def test_regularization_change_applies_to_the_next_step():
    trainer = gauss_trainer()
    preview = trainer.forward_trace()
    trainer.update(regularization=RegularizationSettings("l2", 0.5))
    trace = trainer.step()
    penalty = 0.5 * 0.5 * sum((w * w).sum() for w in (u["weights"] - u["weight_deltas"] for u in trace["update"]))
    assert trace["data_loss"] == preview["data_loss"]
    assert trace["loss"] == pytest.approx(preview["data_loss"] + penalty, rel=1e-12)


def test_batch_size_change_applies_to_the_next_batch():
    trainer = gauss_trainer(batch_size=5)
    trainer.step()
    trainer.update(batch_size=7)
    assert len(trainer.step()["sample_indices"]) == 7
    with pytest.raises(EngineError, match="batch_size"):
        trainer.update(batch_size=0)


def test_reset_returns_to_the_initial_weights_and_clears_progress():
    trainer = gauss_trainer(optimizer=OptimizerSettings("adam", 0.1))
    first = trainer.step()
    for _ in range(6):
        trainer.step()
    trainer.reset()
    assert (trainer.step_count, trainer.epoch, trainer.epoch_position) == (0, 0, 0)
    assert trainer.optimizer_state()["t"] == 0
    again = trainer.step()
    np.testing.assert_array_equal(again["sample_indices"], first["sample_indices"])
    for a, b in zip(again["update"], first["update"], strict=True):
        np.testing.assert_array_equal(a["weights"], b["weights"])


def test_a_trace_is_never_written_by_later_steps():
    trainer = gauss_trainer(optimizer=OptimizerSettings("momentum", 0.1))
    trace = trainer.step()
    copies = [u["weights"].copy() for u in trace["update"]]
    grads = [b["grad_z"].copy() for b in trace["backward"]]
    for _ in range(5):
        trainer.step()
    trainer.reset()
    for u, c in zip(trace["update"], copies, strict=True):
        np.testing.assert_array_equal(u["weights"], c)
    for b, g in zip(trace["backward"], grads, strict=True):
        np.testing.assert_array_equal(b["grad_z"], g)


def test_boundary_grid_is_row_major_from_the_bottom():
    trainer = gauss_trainer()
    result = trainer.boundary(5)
    assert result["x1"].tolist() == np.linspace(-6, 6, 5).tolist() == result["x2"].tolist()
    assert [a.shape for a in result["a"]] == [(25, 3), (25, 1)]
    # Row i is x2 = x2s[i], column j is x1 = x1s[j]: compare one point with a direct prediction.
    i, j = 1, 3
    expected = trainer.predict([[result["x1"][j], result["x2"][i]]])[0, 0]
    # The picture grid is computed in float32 (it is sent as 8-bit levels): float32 agreement.
    assert result["a"][-1][i * 5 + j, 0] == pytest.approx(expected, rel=1e-6)
