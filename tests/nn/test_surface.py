"""Loss surfaces: the presets, planes of weight space, and points projected onto them. Every value is
checked against the loss computed here independently (plain NumPy, the formulas written out)."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import InitSettings, RegularizationSettings, Settings, Trainer
from app.nn.errors import EngineError
from app.nn.surface import SURFACES, axes_plane, default_axes, plane_view, random_plane


def two_weight(preset: str, reg: RegularizationSettings | None = None) -> Trainer:
    spec = SURFACES[preset].spec()
    settings = Settings(layer_sizes=[2, 1], activation="linear", output_activation="linear", loss="mse",
                        use_bias=False, init=InitSettings(seed=0), dataset=None, batch_size=spec["batch_size"],
                        regularization=reg or RegularizationSettings())
    return Trainer(settings, weights=spec["weights"], data=spec["data"])


def mse_loss(x, t, w, l2=0.0) -> float:
    """E = mean_b ½ (x_b · w − t_b)², plus a penalty computed by the caller."""
    y = x @ np.asarray(w).reshape(-1, 1)
    return float(np.mean(0.5 * (y - t) ** 2)) + l2


def test_presets_fit_exactly_at_their_minimum_and_the_valley_is_a_hundred_times_narrower():
    for preset in SURFACES.values():
        x, t = preset.inputs, preset.targets
        assert mse_loss(x, t, preset.minimum) == pytest.approx(0.0, abs=1e-28)
        curvatures = np.linalg.eigvalsh(x.T @ x / len(x))  # the Hessian of E = mean ½ (x·w − t)²
        ratio = curvatures[-1] / curvatures[0]
        assert ratio == pytest.approx(1.0 if preset.name == "bowl" else 100.0)


@pytest.mark.parametrize("preset", list(SURFACES))
def test_an_axes_surface_of_the_two_weight_model_is_its_full_batch_loss_at_each_w1_w2(preset):
    t = two_weight(preset)
    plane = axes_plane(t.network, default_axes(t.network))

    view = plane_view(t.network, plane, t.data.train_inputs, t.data.train_targets, "none", 0.0,
                      ((-3.0, 2.0), (-1.0, 1.5)), 6, False, [])

    assert np.array_equal(view["alpha"], np.linspace(-3.0, 2.0, 6))
    for i, w2 in enumerate(view["beta"]):
        for j, w1 in enumerate(view["alpha"]):
            expected = mse_loss(t.data.train_inputs, t.data.train_targets, [w1, w2])
            assert view["loss"][i, j] == pytest.approx(expected, rel=1e-12)
    w = t.network.params
    assert (view["current"]["alpha"], view["current"]["beta"]) == (w[0], w[1])


def test_an_axes_surface_includes_the_penalty():
    t = two_weight("bowl", RegularizationSettings("l2", 0.1))
    plane = axes_plane(t.network, default_axes(t.network))

    view = plane_view(t.network, plane, t.data.train_inputs, t.data.train_targets, "l2", 0.1,
                      ((0.5, 1.0), (2.0, 3.0)), 2, False, [])

    for i, w2 in enumerate(view["beta"]):
        for j, w1 in enumerate(view["alpha"]):
            penalty = 0.1 * 0.5 * (w1 * w1 + w2 * w2)  # the engine's L2: rate · ½ Σ w²
            expected = mse_loss(t.data.train_inputs, t.data.train_targets, [w1, w2], penalty)
            assert view["loss"][i, j] == pytest.approx(expected, rel=1e-12)


def deep() -> Trainer:
    return Trainer(Settings(layer_sizes=[2, 4, 3, 1], init=InitSettings(seed=3),
                            regularization=RegularizationSettings("l1", 0.01)))


def bce_loss(trainer: Trainer, weights, biases) -> float:
    a = trainer.data.train_inputs
    for l, (w, b) in enumerate(zip(weights, biases)):
        z = a @ w + b
        a = 1 / (1 + np.exp(-z)) if l == len(weights) - 1 else np.tanh(z)
    t = trainer.data.train_targets
    data = float(np.mean(-(t * np.log(a) + (1 - t) * np.log(1 - a))))
    return data + 0.01 * sum(float(np.abs(w).sum()) for w in weights)


def test_a_random_plane_is_scaled_per_layer_and_its_values_are_the_loss_there():
    t = deep()
    net = t.network
    plane = random_plane(net, seed=9)

    view = plane_view(net, plane, t.data.train_inputs, t.data.train_targets, "l1", 0.01, (None, None), 3, True, [])

    for d in (view["d1"], view["d2"]):
        for dl, w in zip(d, net.weights):
            assert np.linalg.norm(dl) == pytest.approx(np.linalg.norm(w), rel=1e-12)
    assert list(view["alpha"]) == [-1.0, 0.0, 1.0]
    for i, beta in enumerate(view["beta"]):
        for j, alpha in enumerate(view["alpha"]):
            weights = [w + alpha * d1 + beta * d2 for w, d1, d2 in zip(net.weights, view["d1"], view["d2"])]
            assert view["loss"][i, j] == pytest.approx(bce_loss(t, weights, net.biases), rel=1e-12)
    assert view["current"]["alpha"] == pytest.approx(0.0, abs=1e-12)
    assert view["loss"][1, 1] == pytest.approx(view["current"]["loss"], rel=1e-12)


def test_points_are_projected_onto_the_plane_with_their_distance():
    t = deep()
    net = t.network
    plane = random_plane(net, seed=2)
    on = plane.at(0.3, -0.7)
    off = on.copy()
    off[-1] += 0.5  # a bias: the directions never move biases

    view = plane_view(net, plane, t.data.train_inputs, t.data.train_targets, "none", 0.0, (None, None), 2, True,
                      [(7, on), (None, off)])

    first, second = view["trajectory"]
    assert first["step"] == 7 and first["alpha"] == pytest.approx(0.3) and first["beta"] == pytest.approx(-0.7)
    assert first["distance"] == pytest.approx(0.0, abs=1e-12)
    assert second["alpha"] == pytest.approx(0.3) and second["distance"] == pytest.approx(0.5)


def test_axes_must_be_two_different_weights_of_the_network():
    net = deep().network
    with pytest.raises(EngineError):
        axes_plane(net, ((0, 0, 0), (0, 0, 0)))
    with pytest.raises(EngineError):
        axes_plane(net, ((0, 0, 0), (3, 0, 0)))
    with pytest.raises(EngineError):
        axes_plane(net, ((0, 0, 0), (0, 2, 0)))
