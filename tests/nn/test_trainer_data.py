"""Own data put in place of a network's data (Trainer.replace_data): what changes and what is kept."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, OptimizerSettings, Settings, Trainer

POINTS = {"inputs": [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [2.0, 2.0]],
          "targets": [[1.0], [1.0], [0.0], [0.0], [1.0]]}


def trained(steps: int = 6) -> Trainer:
    trainer = Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=4), batch_size=7,
                               optimizer=OptimizerSettings("adam", 0.05),
                               dataset=DatasetSettings("xor", 40, 0.0, 0.5, seed=2)))
    for _ in range(steps):
        trainer.step()
    return trainer


def test_the_new_data_is_trained_on_and_the_weights_step_and_optimizer_state_are_kept():
    trainer = trained()
    params, slots, t = trainer.network.params.copy(), {k: [a.copy() for a in v] for k, v in trainer.slots.items()}, \
        trainer.optimizer_steps

    trainer.replace_data(POINTS)

    np.testing.assert_array_equal(trainer.network.params, params)
    for name, arrays in slots.items():
        np.testing.assert_array_equal(trainer.slots[name][0], arrays[0])
    assert (trainer.step_count, trainer.optimizer_steps) == (6, t)
    assert (trainer.epoch, trainer.epoch_position, trainer.n_train) == (0, 0, 5)
    assert trainer.custom_data and trainer.settings.dataset is None and trainer.data.task == "custom"
    trace = trainer.step()  # batch 7 > 5 samples: the whole new set, in the (seed, epoch 0) order
    assert sorted(trace["sample_indices"].tolist()) == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(trace["inputs"], np.array(POINTS["inputs"])[trace["sample_indices"]])
    assert trainer.step_count == 7


def test_the_step_on_the_new_data_is_the_step_a_fresh_network_would_take_from_the_same_state():
    trainer = trained()
    trainer.replace_data(POINTS)
    twin = Trainer.from_export(trainer.export())  # an independent network: built from the document
    assert twin.data.train_inputs.tolist() == POINTS["inputs"]
    mine, theirs = trainer.step(), twin.step()
    np.testing.assert_array_equal(mine["update"][0]["weight_deltas"], theirs["update"][0]["weight_deltas"])


def test_a_test_part_is_kept_apart_and_evaluated():
    trainer = trained()
    trainer.replace_data({**POINTS, "test_inputs": [[5.0, 5.0]], "test_targets": [[0.0]]})
    assert (trainer.n_train, len(trainer.data.test_inputs)) == (5, 1)
    y = trainer.predict([[5.0, 5.0]])[0, 0]
    want = -np.log(1.0 - y)  # binary cross-entropy of target 0, computed here
    assert trainer.evaluate()["test_loss"] == pytest.approx(want, rel=1e-12)
    assert trainer.data.extent[0][1] == pytest.approx(5.0 + 0.5)  # padded around the test point too
    assert trainer.export()["data"]["test_inputs"].tolist() == [[5.0, 5.0]]


def test_reset_goes_back_to_the_initial_weights_on_the_new_data():
    trainer = trained()
    initial = Trainer(trainer.settings).initial_weights
    trainer.replace_data(POINTS)
    trainer.reset()
    assert trainer.step_count == 0 and trainer.n_train == 5
    for w, w0 in zip(trainer.network.weights, initial):
        np.testing.assert_array_equal(w, w0)


@pytest.mark.parametrize("data, field, message", [
    ({"inputs": [[1.0]], "targets": [[1.0]]}, "data.inputs", "data.inputs has 1 column(s), but the network's input "
                                                             "layer has 2 unit(s)"),
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0, 0.0]]}, "data.targets", "the network's output layer has 1 unit(s)"),
    ({"inputs": [[1.0, 2.0]], "targets": [[2.0]]}, "data.targets", "needs targets between 0 and 1"),
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0], [0.0]]}, "data", "1 rows but data.targets has 2"),
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0]], "test_inputs": [[1.0, 2.0]]}, "data", "together"),
    ({"inputs": [[1.0, 2.0]], "targets": [[1.0]], "test_inputs": [[1.0]], "test_targets": [[1.0]]},
     "data.test_inputs", "1 column(s) but data.inputs has 2"),
    ({"inputs": [], "targets": []}, "data.inputs", "non-empty"),
])
def test_data_that_does_not_fit_is_refused_and_changes_nothing(data, field, message):
    trainer = trained()
    before = trainer.export()
    with pytest.raises(EngineError) as err:
        trainer.replace_data(data)
    assert err.value.field == field and message in err.value.message
    after = trainer.export()
    assert after["spec"] == before["spec"] and after["data"] is None and trainer.data_edits == 0
    assert trainer.n_train == 20
