"""Loss surfaces over HTTP: the presets, the loss over a plane of weight space, and paths projected onto
it. Values are checked against the loss computed here (plain NumPy) at those weights."""

from __future__ import annotations

import numpy as np
import pytest

from ..conftest import API


def presets(api) -> dict:
    return {p["name"]: p for p in api.check(api.client.get(f"{API}/surfaces"), 200)["surfaces"]}


def surface(api, sid: str, expect: int = 200, **body):
    return api.check(api.client.post(f"{API}/networks/{sid}/surface", json=body), expect)


def mse(spec: dict, w1: float, w2: float) -> float:
    x, t = np.asarray(spec["data"]["inputs"]), np.asarray(spec["data"]["targets"])
    return float(np.mean(0.5 * (x @ np.array([[w1], [w2]]) - t) ** 2))


def test_the_presets_are_a_bowl_and_a_valley_of_the_two_weight_model(api):
    found = presets(api)

    assert set(found) == {"bowl", "valley"}
    for p in found.values():
        spec = p["spec"]
        assert spec["layer_sizes"] == [2, 1] and spec["use_bias"] is False and spec["loss"] == "mse"
        assert mse(spec, *p["minimum"]) == pytest.approx(0.0, abs=1e-28)
        assert api.create(**spec)["weights"] == [[[p["start"][0]], [p["start"][1]]]]
    x = np.asarray(found["valley"]["spec"]["data"]["inputs"])
    assert np.allclose(x, np.asarray(found["bowl"]["spec"]["data"]["inputs"]) * [0.45, 4.5])  # scaled 1 : 10


@pytest.mark.parametrize("name", ["bowl", "valley"])
def test_a_two_weight_surface_is_the_full_training_sets_loss_at_each_w1_w2(api, name):
    p = presets(api)[name]
    sid = api.create(**p["spec"])["id"]

    s = surface(api, sid, alpha_range=p["window"][0], beta_range=p["window"][1], resolution=7)

    assert s["alpha"] == pytest.approx(list(np.linspace(*p["window"][0], 7)), rel=1e-15)
    assert s["axes"] == [{"layer": 0, "source": 0, "target": 0}, {"layer": 0, "source": 1, "target": 0}]
    for i, w2 in enumerate(s["beta"]):
        for j, w1 in enumerate(s["alpha"]):
            assert s["loss"][i][j] == pytest.approx(mse(p["spec"], w1, w2), rel=1e-12)
    assert [s["current"]["alpha"], s["current"]["beta"]] == p["start"]
    assert s["current"]["loss"] == pytest.approx(mse(p["spec"], *p["start"]), rel=1e-12)


def test_a_surface_adds_the_penalty(api):
    spec = presets(api)["bowl"]["spec"]
    sid = api.create(**spec, regularization={"kind": "l2", "rate": 0.2})["id"]

    s = surface(api, sid, alpha_range=[-1, 2], beta_range=[0, 1], resolution=3)

    for i, w2 in enumerate(s["beta"]):
        for j, w1 in enumerate(s["alpha"]):
            expected = mse(spec, w1, w2) + 0.2 * 0.5 * (w1 * w1 + w2 * w2)
            assert s["loss"][i][j] == pytest.approx(expected, rel=1e-12)


def test_kept_steps_are_the_path_of_the_weights_on_the_two_weight_surface(api):
    p = presets(api)["valley"]
    sid = api.create(**p["spec"])["id"]
    weights = [[p["start"][0], p["start"][1]]]
    for _ in range(3):
        w = api.step(sid)["update"][0]["weights"]
        weights.append([w[0][0], w[1][0]])

    s = surface(api, sid, resolution=2, kept_steps=True)

    assert [(q["step"], [q["alpha"], q["beta"]]) for q in s["trajectory"]] == list(enumerate(weights))
    for q in s["trajectory"]:
        assert q["distance"] == 0.0 and q["loss"] == pytest.approx(mse(p["spec"], q["alpha"], q["beta"]), rel=1e-12)


def forward_loss(state: dict, weights: list, data: dict) -> float:
    """Binary cross-entropy of a tanh network with a sigmoid output over the training set."""
    a = np.asarray(data["train"]["inputs"])
    for l, (w, b) in enumerate(zip(weights, state["biases"])):
        z = a @ np.asarray(w) + np.asarray(b)
        a = 1 / (1 + np.exp(-z)) if l == len(weights) - 1 else np.tanh(z)
    t = np.asarray(data["train"]["targets"])
    return float(np.mean(-(t * np.log(a) + (1 - t) * np.log(1 - a))))


def test_a_random_plane_of_a_larger_network_is_the_loss_at_those_weights(api):
    state = api.create(layer_sizes=[2, 5, 4, 1], init={"seed": 2}, dataset={"name": "xor", "n_samples": 60, "seed": 3})
    sid = state["id"]
    data = api.data(sid)

    s = surface(api, sid, directions="random", seed=5, resolution=3, alpha_range=[-0.5, 0.5])

    assert s["axes"] is None and s["seed"] == 5 and s["beta"] == [-1.0, 0.0, 1.0]
    for d in (s["d1"], s["d2"]):
        for dl, w in zip(d, state["weights"]):
            assert np.linalg.norm(dl) == pytest.approx(np.linalg.norm(w), rel=1e-12)  # scaled per layer
    for i, beta in enumerate(s["beta"]):
        for j, alpha in enumerate(s["alpha"]):
            weights = [np.asarray(w) + alpha * np.asarray(d1) + beta * np.asarray(d2)
                       for w, d1, d2 in zip(state["weights"], s["d1"], s["d2"])]
            assert s["loss"][i][j] == pytest.approx(forward_loss(state, weights, data), rel=1e-12)
    assert s["current"]["loss"] == pytest.approx(api.evaluation(sid)["train_loss"], rel=1e-12)


def test_given_weights_are_projected_onto_the_plane_of_two_chosen_weights(api):
    state = api.create(layer_sizes=[2, 3, 1], init={"seed": 2}, dataset={"name": "xor", "n_samples": 40, "seed": 3})
    moved = [np.asarray(w).copy() for w in state["weights"]]
    moved[1][2][0] = 0.75  # one of the two axes
    moved[0][0][0] += 0.5  # off the plane

    s = surface(api, state["id"], axes=[{"layer": 1, "source": 2, "target": 0}, {"layer": 0, "source": 1,
                                                                                "target": 1}],
                resolution=2, trajectory=[[m.tolist() for m in moved]])

    [q] = s["trajectory"]
    assert q["step"] is None and q["alpha"] == 0.75 and q["beta"] == state["weights"][0][1][1]
    assert q["distance"] == pytest.approx(0.5)
    assert q["loss"] == pytest.approx(forward_loss(state, moved, api.data(state["id"])), rel=1e-12)


def test_a_surface_refuses_an_axis_that_is_not_a_weight_and_a_resolution_over_the_limit(api, make_client):
    sid = api.create(layer_sizes=[2, 3, 1])["id"]
    bad = surface(api, sid, 422, axes=[{"layer": 0, "source": 0, "target": 0}, {"layer": 2, "source": 0,
                                                                               "target": 0}])
    assert bad["field"] == "axes[1]"
    assert surface(api, sid, 422, resolution=101)["field"] == "resolution"
    assert surface(api, sid, 422, trajectory=[[[[1.0]]]])["field"] == "weights"


def test_a_surface_bounds_its_work(make_client):
    client = make_client(max_train_work=100_000)
    sid = client.post(f"{API}/networks", json={"layer_sizes": [2, 3, 1]}).json()["id"]  # 250 samples, 13 params

    response = client.post(f"{API}/networks/{sid}/surface", json={"resolution": 10})

    assert response.status_code == 422 and response.json()["field"] == "resolution"
