"""The classic one-weight example, driven through HTTP: every number to float64 rounding.

Linear output, no bias, mse (E = ½ (y − t)²), w = 1, x = 2, t = 4, η = 0.1:
forward y = 2, E = 2; ∂E/∂y = −2, ∂E/∂w = −4; Δw = +0.4, w = 1.4; then y = 2.8, E = 0.72.
"""

from __future__ import annotations

import pytest

TOL = 1e-12


def close(value: float) -> object:
    return pytest.approx(value, abs=TOL, rel=0)


def test_worked_example_network_starts_at_w_1_with_the_single_sample(worked_example):
    assert worked_example["weights"] == [[[1.0]]]
    assert worked_example["biases"] is None
    assert worked_example["step"] == 0
    assert (worked_example["n_train"], worked_example["n_test"]) == (1, 0)


def test_worked_example_step_matches_the_hand_computation(api, worked_example):
    trace = api.step(worked_example["id"])

    assert trace["applied"] is True and trace["diverged"] is None
    assert trace["step"] == 1
    assert trace["inputs"] == [[2.0]] and trace["targets"] == [[4.0]]
    assert trace["sample_indices"] == [0]
    [fwd] = trace["forward"]
    assert fwd["z"][0][0] == close(2.0) and fwd["a"][0][0] == close(2.0)
    assert trace["loss"] == close(2.0) and trace["data_loss"] == close(2.0)
    assert trace["loss_per_sample"][0] == close(2.0)
    [bwd] = trace["backward"]
    assert bwd["grad_a"][0][0] == close(-2.0)
    assert bwd["grad_z"][0][0] == close(-2.0)
    assert bwd["grad_weights"][0][0] == close(-4.0)
    assert bwd["grad_biases"] is None
    [upd] = trace["update"]
    assert upd["weight_deltas"][0][0] == close(0.4)
    assert upd["weights"][0][0] == close(1.4)
    assert upd["bias_deltas"] is None and upd["biases"] is None


def test_worked_example_forward_after_the_step_gives_y_2_8_and_loss_0_72(api, worked_example):
    sid = worked_example["id"]
    api.step(sid)

    preview = api.forward(sid)

    assert preview["step"] == 1
    assert preview["forward"][0]["a"][0][0] == close(2.8)
    assert preview["loss"] == close(0.72)
    assert preview["loss_per_sample"][0] == close(0.72)
    assert api.get(sid)["weights"][0][0][0] == close(1.4)
