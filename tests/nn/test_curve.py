"""The loss along one weight of a kept step: the worked example's curve, and any network's."""

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
from app.nn.curve import default_range
from app.nn.network import Network


def worked_example(learning_rate: float = 0.1) -> Trainer:
    return Trainer(Settings(layer_sizes=[1, 1], activation="linear", output_activation="linear", loss="mse",
                            use_bias=False, optimizer=OptimizerSettings("sgd", learning_rate), batch_size=1,
                            dataset=DatasetSettings("worked_example", seed=0)), weights=[[[1.0]]])


def test_the_worked_example_walks_from_w_1_to_1_4_and_from_e_2_to_0_72():
    t = worked_example()
    t.step()
    c = t.loss_curve(t.kept.find(1), 0, 0, 0, points=5)
    assert (c["w_before"], c["loss_before"], c["grad"]) == (1.0, 2.0, -4.0)
    assert c["delta_w"] == pytest.approx(0.4, abs=1e-15) and c["w_after"] == pytest.approx(1.4, abs=1e-15)
    assert c["loss_at_w_after"] == c["loss_after"] == pytest.approx(0.72, abs=1e-15)  # one weight: the same
    # E(w) = ½(2w − 4)²: the minimum at w = 2 is on the default curve.
    np.testing.assert_allclose(c["loss"], 0.5 * (2 * c["w"] - 4) ** 2, rtol=1e-14, atol=1e-15)
    assert c["w"][0] < 1.0 and c["w"][-1] > 2.0


def test_a_later_step_starts_where_the_last_one_ended():
    t = worked_example()
    t.step(), t.step()
    c = t.loss_curve(t.kept.find(2), 0, 0, 0, points=3)
    assert c["w_before"] == pytest.approx(1.4, abs=1e-15) and c["w_after"] == pytest.approx(1.64, abs=1e-15)


def test_every_point_is_the_batch_loss_with_that_weight_alone_changed():
    t = Trainer(Settings(layer_sizes=[2, 3, 3], output_activation="softmax", loss="cross_entropy", batch_size=8,
                         init=InitSettings(seed=1), regularization=RegularizationSettings("l2", 0.02),
                         dataset=DatasetSettings("three_class", 40, 0.2, 0.5, seed=2)))
    t.step()
    record = t.kept.find(1)
    c = t.loss_curve(record, 1, 2, 0, points=7, lo=-3.0, hi=2.0)
    assert c["loss_before"] == t.replay(record)[0]["loss"]
    for w, loss in zip(c["w"], c["loss"]):
        weights = [m.copy() for m in t.network.layout.weights(record.params)]
        weights[1][2, 0] = w
        net = Network(t.arch, weights, t.network.layout.biases(record.params))
        y = net.forward(record.inputs).a[-1]
        expected = -np.mean(np.sum(record.targets * np.log(y), axis=1)) + 0.02 * 0.5 * sum(
            float(np.sum(m * m)) for m in weights)
        assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(c["w"], np.linspace(-3.0, 2.0, 7))


def test_the_default_range_shows_the_step_with_room_on_both_sides():
    assert default_range(1.0, 1.4) == pytest.approx((0.2, 2.2))
    assert default_range(1.4, 1.0) == pytest.approx((0.2, 2.2))
    lo, hi = default_range(3.0, 3.0)  # no step: still a curve around w
    assert lo < 3.0 < hi


@pytest.mark.parametrize("args, field", [((1, 0, 0), "layer"), ((0, 1, 0), "source"), ((0, 0, 1), "target")])
def test_a_weight_the_network_has_not_is_refused(args, field):
    t = worked_example()
    t.step()
    with pytest.raises(EngineError) as refused:
        t.loss_curve(t.kept.find(1), *args, points=5)
    assert refused.value.field == field


def test_a_range_needs_both_ends_in_order():
    t = worked_example()
    t.step()
    with pytest.raises(EngineError, match="both"):
        t.loss_curve(t.kept.find(1), 0, 0, 0, points=5, lo=0.0)
    with pytest.raises(EngineError, match="below"):
        t.loss_curve(t.kept.find(1), 0, 0, 0, points=5, lo=2.0, hi=1.0)
