"""Trainer.set_parameters: a weight or a bias set by hand, the rest of the state kept."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, OptimizerSettings, Settings, Trainer

ETA, MU = 0.3, 0.9


def momentum_trainer(**kw) -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=5), batch_size=4,
                            optimizer=OptimizerSettings("momentum", ETA, {"momentum": MU}),
                            dataset=DatasetSettings("xor", 40, 0.1, 0.5, seed=2), **kw))


def slots(trainer: Trainer) -> np.ndarray:
    return trainer.slots["v"][0].copy()


def by_hand(W, b, v, x, t):
    """One momentum step of tanh → sigmoid with binary cross-entropy, written out (not the engine's code)."""
    a1 = np.tanh(x @ W[0] + b[0])  # (batch, 3)
    y = 1 / (1 + np.exp(-(a1 @ W[1] + b[1])))  # (batch, 1)
    dz2 = (y - t) / len(x)  # sigmoid with cross-entropy: dE/dz = y - t, averaged over the batch
    dz1 = dz2 @ W[1].T * (1 - a1 ** 2)  # (batch, 3)
    grads = [x.T @ dz1, a1.T @ dz2, dz1.sum(0), dz2.sum(0)]
    params = [W[0], W[1], b[0], b[1]]
    flat_v = np.split(v, np.cumsum([g.size for g in grads])[:-1])
    new_v = [MU * vi.reshape(g.shape) + g for vi, g in zip(flat_v, grads)]
    return [p - ETA * vi for p, vi in zip(params, new_v)]


def test_setting_a_weight_and_a_bias_keeps_the_optimizer_state_bit_for_bit():
    trainer = momentum_trainer()
    for _ in range(3):
        trainer.step()
    before, t, step, place = slots(trainer), trainer.optimizer_steps, trainer.step_count, trainer.epoch_position
    trainer.set_parameters([{"layer": 0, "kind": "weight", "index": [1, 2], "value": -1.25},
                            {"layer": 1, "kind": "bias", "index": [0], "value": 0.5}])
    assert trainer.network.weights[0][1, 2] == -1.25 and trainer.network.biases[1][0] == 0.5
    assert slots(trainer).tobytes() == before.tobytes()
    assert (trainer.optimizer_steps, trainer.step_count, trainer.epoch_position) == (t, step, place)


def test_the_next_step_starts_from_the_edited_weights():
    trainer = momentum_trainer()
    for _ in range(2):
        trainer.step()
    trainer.set_parameters([{"layer": 1, "kind": "weight", "index": [2, 0], "value": 3.0}])
    W = [w.copy() for w in trainer.network.weights]
    assert W[1][2, 0] == 3.0
    b = [x.copy() for x in trainer.network.biases]
    v = slots(trainer)
    trace = trainer.step()
    expected = by_hand(W, b, v, trace["inputs"], trace["targets"])
    got = [trainer.network.weights[0], trainer.network.weights[1], trainer.network.biases[0],
           trainer.network.biases[1]]
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14)


def test_reset_after_an_edit_returns_to_the_initial_weights():
    trainer = momentum_trainer()
    initial = trainer.network.params.copy()
    trainer.step()
    trainer.set_parameters([{"layer": 0, "kind": "weight", "index": [0, 0], "value": 7.0}])
    trainer.reset()
    assert trainer.network.params.tobytes() == initial.tobytes()


def test_an_edit_never_writes_a_kept_step():
    trainer = momentum_trainer()
    trainer.step()
    trainer.step()
    kept = trainer.kept.find(2).params.copy()
    trainer.set_parameters([{"layer": 0, "kind": "bias", "index": [1], "value": 9.0}])
    assert trainer.kept.find(2).params.tobytes() == kept.tobytes()


@pytest.mark.parametrize(("change", "field"), [
    ({"layer": 2, "kind": "weight", "index": [0, 0], "value": 1.0}, "parameters[1].layer"),
    ({"layer": 0, "kind": "weight", "index": [2, 0], "value": 1.0}, "parameters[1].index"),
    ({"layer": 0, "kind": "weight", "index": [0, 3], "value": 1.0}, "parameters[1].index"),
    ({"layer": 0, "kind": "weight", "index": [0], "value": 1.0}, "parameters[1].index"),
    ({"layer": 1, "kind": "bias", "index": [1], "value": 1.0}, "parameters[1].index"),
    ({"layer": 1, "kind": "bias", "index": [-1], "value": 1.0}, "parameters[1].index"),
    ({"layer": 0, "kind": "gain", "index": [0], "value": 1.0}, "parameters[1].kind"),
    ({"layer": 0, "kind": "weight", "index": [0, 0], "value": float("nan")}, "parameters[1].value"),
    ({"layer": 0, "kind": "weight", "index": [0, 0], "value": float("inf")}, "parameters[1].value"),
])
def test_a_bad_edit_names_its_field_and_changes_nothing(change, field):
    trainer = momentum_trainer()
    before = trainer.network.params.copy()
    good = {"layer": 0, "kind": "weight", "index": [0, 0], "value": 2.0}
    with pytest.raises(EngineError) as refused:
        trainer.set_parameters([good, change])
    assert refused.value.field == field
    assert trainer.network.params.tobytes() == before.tobytes()


def test_a_bias_of_a_network_without_biases_is_refused():
    trainer = momentum_trainer(use_bias=False)
    with pytest.raises(EngineError, match="no biases") as refused:
        trainer.set_parameters([{"layer": 0, "kind": "bias", "index": [0], "value": 1.0}])
    assert refused.value.field == "parameters[0].kind"
