"""Optimizer races over HTTP: creating one (one creation unit), advancing it in lockstep, and racers that
are ordinary networks equal to lone ones."""

from __future__ import annotations

import numpy as np
import pytest

from app.config import AppSettings
from app.main import create_app
from app.sessions.memory import MemoryStore

from ..conftest import API, TEST_SETTINGS, TestClient

SPEC = {"layer_sizes": [2, 4, 3, 1], "init": {"seed": 3}, "dataset": {"name": "circle", "n_samples": 80, "seed": 4},
        "batch_size": 7}
EXPLODING = {"layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
             "use_bias": False, "weights": [[[1.0]]], "data": {"inputs": [[1e6]], "targets": [[0.0]]},
             "batch_size": 1}


def create_race(api, expect: int = 201, **body):
    return api.check(api.client.post(f"{API}/races", json=body), expect)


def train_race(api, ids, expect: int = 200, **body):
    return api.check(api.client.post(f"{API}/races/train", json={"racers": ids, **body}), expect)


def ids_of(race) -> list[str]:
    return [r["id"] for r in race["racers"]]


def test_a_default_race_is_every_optimizer_with_its_own_defaults_from_options(api):
    options = api.check(api.client.get(f"{API}/options"), 200)["optimizers"]

    race = create_race(api, network=SPEC)

    assert len(set(ids_of(race))) == len(options) == 5
    for state, option in zip(race["racers"], options):
        assert state["spec"]["optimizer"] == {"name": option["name"], "learning_rate": option["learning_rate"],
                                              **option["hyperparameters"]}
        assert state["weights"] == race["racers"][0]["weights"] and state["step"] == 0
        assert api.get(state["id"]) == state  # an ordinary network


def test_racers_share_seeds_drawn_once(api):
    race = create_race(api, network={"layer_sizes": [2, 3, 1]}, racers=[{"name": "sgd"}, {"name": "adam"}])

    a, b = race["racers"]
    assert a["spec"]["init"]["seed"] == b["spec"]["init"]["seed"]
    assert a["spec"]["dataset"]["seed"] == b["spec"]["dataset"]["seed"]
    assert a["weights"] == b["weights"]


def test_racers_take_their_own_settings(api):
    race = create_race(api, network=SPEC, racers=[{"name": "momentum", "learning_rate": 0.1, "momentum": 0.5},
                                                  {"name": "rmsprop"}])

    assert [r["spec"]["optimizer"] for r in race["racers"]] == [
        {"name": "momentum", "learning_rate": 0.1, "momentum": 0.5},
        {"name": "rmsprop", "learning_rate": 0.03, "rho": 0.9, "epsilon": 1e-8}]


def test_creating_a_race_spends_one_creation_not_one_per_racer():
    with TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=6, create_burst=2))) as client:
        assert client.post(f"{API}/races", json={"network": SPEC}).status_code == 201  # five racers
        assert client.post(f"{API}/networks", json=SPEC).status_code == 201
        assert client.post(f"{API}/races", json={"network": SPEC}).status_code == 429


@pytest.mark.parametrize("calls", [[1], [3, 5], [12]])
def test_each_racer_equals_a_lone_network_created_with_its_optimizer_and_stepped(api, calls):
    race = create_race(api, network=SPEC)
    for steps in calls:
        train_race(api, ids_of(race), steps=steps)

    for racer in race["racers"]:
        optimizer = racer["spec"]["optimizer"]
        lone = api.create(**SPEC, optimizer={"name": optimizer["name"]})["id"]
        for _ in range(sum(calls)):
            api.step(lone)
        mine, theirs = api.get(racer["id"]), api.get(lone)
        # Racers in step are computed stacked (one batched product per layer): equal to 1e-12 relative.
        assert relative_error(flat(mine), flat(theirs)) < 1e-12, optimizer["name"]
        assert mine["step"] == sum(calls) and mine["epoch_position"] == theirs["epoch_position"]


def flat(state) -> np.ndarray:
    """Weights, biases and optimizer slots in one vector."""
    parts = [np.ravel(w) for w in state["weights"]] + [np.ravel(b) for b in state["biases"]]
    for slot in state["optimizer_state"]["slots"].values():
        parts += [np.ravel(w) for w in slot["weights"]] + [np.ravel(b) for b in slot["biases"]]
    return np.concatenate(parts)


def relative_error(a, b) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_a_race_answers_each_racer_as_train_does_in_the_order_asked(api):
    ids = ids_of(create_race(api, network=SPEC))[::-1]

    result = train_race(api, ids, steps=4, eval_every=2)

    assert [r["id"] for r in result["racers"]] == ids
    for r in result["racers"]:
        assert r["status"] == "trained" and r["detail"] is None and r["path"] is None
        body = r["result"]
        assert body["steps_run"] == 4 and body["state"] == api.get(r["id"])
        assert [e["step"] for e in body["history"]["evaluations"]] == [2, 4]
        assert len(body["history"]["gradient_norms"]) == 4 and body["last_step"] is not None


def test_a_diverging_racer_stops_while_the_others_go_on(api):
    race = create_race(api, network=EXPLODING, racers=[{"name": "sgd", "learning_rate": 1e6},
                                                       {"name": "sgd", "learning_rate": 1e-13}])
    wild, calm = ids_of(race)

    first = train_race(api, [wild, calm], steps=30)["racers"]
    again = train_race(api, [wild, calm], steps=5)["racers"]

    assert first[0]["status"] == "diverged" and 0 < first[0]["result"]["steps_run"] < 30
    assert "learning rate" in first[0]["result"]["diverged"]["message"]
    assert again[0]["status"] == "diverged" and again[0]["result"]["steps_run"] == 0
    assert first[1]["status"] == again[1]["status"] == "trained"
    assert api.get(calm)["step"] == 35


def test_a_patched_racer_goes_on_with_its_new_settings(api):
    race = create_race(api, network=SPEC, racers=[{"name": "sgd"}, {"name": "adam"}])
    sgd = ids_of(race)[0]
    lone = api.create(**SPEC, optimizer={"name": "sgd"})["id"]
    train_race(api, ids_of(race), steps=3)
    api.train(lone, steps=3)

    for sid in (sgd, lone):
        api.patch(sid, optimizer={"name": "momentum", "learning_rate": 0.05}, batch_size=5)
    train_race(api, ids_of(race), steps=4)
    api.train(lone, steps=4)

    assert relative_error(flat(api.get(sgd)), flat(api.get(lone))) < 1e-12
    assert api.get(sgd)["spec"]["optimizer"]["name"] == "momentum"


def test_a_deleted_racer_is_reported_missing_and_the_others_train(api):
    ids = ids_of(create_race(api, network=SPEC, racers=[{"name": "sgd"}, {"name": "adam"}]))
    api.delete(ids[0])

    result = train_race(api, ids, steps=2)["racers"]

    assert result[0]["status"] == "missing" and result[0]["result"] is None
    assert "expired" in result[0]["detail"]
    assert result[1]["status"] == "trained" and api.get(ids[1])["step"] == 2


def test_a_race_refuses_a_racer_named_twice(api):
    ids = ids_of(create_race(api, network=SPEC, racers=[{"name": "sgd"}]))

    body = train_race(api, ids * 2, steps=1, expect=422)

    assert body["field"] == "racers" and api.get(ids[0])["step"] == 0


def test_a_race_bounds_the_work_of_all_racers_together(make_client):
    client = make_client(max_train_work=200_000)
    ids = [r["id"] for r in client.post(f"{API}/races", json={"network": SPEC}).json()["racers"]]
    alone = client.post(f"{API}/networks/{ids[0]}/train", json={"steps": 300})
    assert alone.status_code == 200  # one racer's 300 steps fit: (300 × 7 + 80) × 31 units

    response = client.post(f"{API}/races/train", json={"racers": ids, "steps": 300})

    assert response.status_code == 422 and response.json()["field"] == "steps"
    assert "race of 5" in response.json()["detail"]
    assert client.get(f"{API}/networks/{ids[1]}").json()["step"] == 0


def test_a_race_bounds_the_boundaries_of_all_racers_together(make_client):
    client = make_client(max_boundary_work=60_000)
    ids = [r["id"] for r in client.post(f"{API}/races", json={"network": SPEC}).json()["racers"]]
    one = {"resolution": 40}  # 1,600 points × 31 parameters: one fits, five do not

    assert client.post(f"{API}/networks/{ids[0]}/train", json={"steps": 1, "boundary": one}).status_code == 200
    response = client.post(f"{API}/races/train", json={"racers": ids, "steps": 1, "boundary": one})

    assert response.status_code == 422 and response.json()["field"] == "resolution"


def test_a_race_with_the_boundary_option_answers_each_racers_boundary(api):
    ids = ids_of(create_race(api, network=SPEC, racers=[{"name": "sgd"}, {"name": "adam"}]))

    result = train_race(api, ids, steps=2, boundary={"resolution": 5})["racers"]

    for r in result:
        assert r["result"]["boundary"] == api.boundary(r["id"], resolution=5)


class RecordingStore(MemoryStore):
    """Remembers the order in which networks are opened."""

    def __init__(self) -> None:
        super().__init__(max_sessions=100, ttl_seconds=3600)
        self.order: list[str] = []

    def opened(self, session_id: str, *, write: bool = True):
        self.order.append(session_id)
        return super().opened(session_id, write=write)


def test_racers_are_locked_in_sorted_id_order_whatever_the_order_asked():
    store = RecordingStore()
    with TestClient(create_app(AppSettings(**TEST_SETTINGS), store=store)) as client:
        ids = [r["id"] for r in client.post(f"{API}/races", json={"network": SPEC}).json()["racers"]]
        store.order.clear()

        client.post(f"{API}/races/train", json={"racers": ids[::-1] + ["gone"], "steps": 1}).raise_for_status()

        assert store.order == sorted(ids + ["gone"])


# ---- races on a loss surface -------------------------------------------------------------------
def test_a_surface_race_trains_the_two_weight_model_on_the_full_batch(api):
    surfaces = {s["name"]: s for s in api.check(api.client.get(f"{API}/surfaces"), 200)["surfaces"]}
    race = create_race(api, surface="valley", start=[-3.0, 0.25], racers=[{"name": "sgd"}, {"name": "momentum"}])

    for state in race["racers"]:
        assert state["spec"]["layer_sizes"] == [2, 1] and state["spec"]["use_bias"] is False
        assert state["spec"]["batch_size"] == state["n_train"] == 4
        assert state["weights"] == [[[-3.0], [0.25]]]
        assert state["spec"]["loss"] == "mse" and state["spec"]["output_activation"] == "linear"
    result = train_race(api, ids_of(race), steps=5, path=True)["racers"]
    for r in result:
        assert len(r["path"]) == 5 and r["result"]["state"]["weights"] == [[[w] for w in r["path"][-1]]]
        state = api.get(r["id"])
        assert (state["epoch"], state["epoch_position"]) == (4, 4)  # each step a whole epoch: the full batch
    assert surfaces["valley"]["start"] == [-4.0, 0.5]


def test_a_surface_race_refuses_a_network_spec_too(api):
    body = create_race(api, 422, surface="bowl", network=SPEC)
    assert body["field"] == "surface"
    assert create_race(api, 422, network=SPEC, start=[1.0, 2.0])["field"] == "start"


def test_a_path_is_bounded_in_numbers(api):
    ids = ids_of(create_race(api, network={**SPEC, "layer_sizes": [2, 32, 32, 32, 1]}))  # 2,241 parameters each

    body = train_race(api, ids, 422, steps=100, path=True)  # 1,120,500 numbers

    assert body["field"] == "path" and "1,000,000" in body["detail"]
    assert train_race(api, ids, steps=80, path=True)["racers"][0]["path"] is not None  # 896,400


def test_the_documented_examples_are_accepted(api):
    schemas = api.check(api.client.get("/openapi.json"), 200)["components"]["schemas"]
    for example in schemas["RaceCreate"]["examples"]:
        race = create_race(api, **example)
        for train_example in schemas["RaceTrainIn"]["examples"]:
            result = train_race(api, ids_of(race), **{k: v for k, v in train_example.items() if k != "racers"})
            assert {r["status"] for r in result["racers"]} == {"trained"}
    sid = race["racers"][0]["id"]
    for example in schemas["SurfaceIn"]["examples"]:
        assert api.check(api.client.post(f"{API}/networks/{sid}/surface", json=example), 200)["loss"]


# ---- the optimizer's own step, and paths projected on a plane ----------------------------------
def two_weight_gradient(x, t, w):
    """∂E/∂w of E = mean_b ½ (x_b · w − t_b)², written out: Xᵀ (X w − t) / n."""
    return x.T @ (x @ w - t) / len(x)


def lone_two_weight_run(x, t, start, name, lr, steps, mu=0.9, beta1=0.9, beta2=0.999, eps=1e-8, rho=0.9):
    """Each optimizer's rule written out plainly: the weights after each step and its last (v, m̂, Δw)."""
    w, v, m, s2 = np.array(start, float), np.zeros(2), np.zeros(2), np.zeros(2)
    path, own = [], None
    for k in range(1, steps + 1):
        g = two_weight_gradient(x, t, w)
        if name == "momentum":
            v = mu * v + g
            own = v.copy()
            delta = -lr * v
        elif name == "adam":
            m = beta1 * m + (1 - beta1) * g
            s2 = beta2 * s2 + (1 - beta2) * g * g
            own = m / (1 - beta1**k)
            delta = -lr * own / (np.sqrt(s2 / (1 - beta2**k)) + eps)
        elif name == "rmsprop":
            s2 = rho * s2 + (1 - rho) * g * g
            delta = -lr * g / (np.sqrt(s2) + eps)
            own = delta
        else:
            delta = -lr * g
            own = delta
        w = w + delta
        path.append(w)
    return np.array(path), own


def test_each_racers_step_direction_is_its_own_velocity_first_moment_or_update(api):
    names = ["sgd", "momentum", "rmsprop", "adam"]
    preset = {s["name"]: s for s in api.check(api.client.get(f"{API}/surfaces"), 200)["surfaces"]}["valley"]
    x = np.asarray(preset["spec"]["data"]["inputs"])
    t = np.asarray(preset["spec"]["data"]["targets"])[:, 0]
    ids = ids_of(create_race(api, surface="valley", start=[-3.0, 0.25], racers=[{"name": n} for n in names]))

    paths = [[] for _ in names]
    for steps in (3, 4):  # the velocity carries over from one call to the next
        answer = train_race(api, ids, steps=steps, path=True)["racers"]
        for k, r in enumerate(answer):
            paths[k] += r["path"]

    for name, r, path in zip(names, answer, paths):
        lr = api.get(r["id"])["spec"]["optimizer"]["learning_rate"]
        lone_path, own = lone_two_weight_run(x, t, [-3.0, 0.25], name, lr, 7)
        d = r["step_direction"]
        assert np.allclose(path, lone_path, rtol=1e-12, atol=0)
        assert d["quantity"] == {"momentum": "velocity", "adam": "first_moment"}.get(name, "update")
        assert d["symbol"] == {"momentum": "v", "adam": "m̂"}.get(name, "Δw")
        assert np.allclose(d["values"], own, rtol=1e-12, atol=0)
        expected = own if d["quantity"] == "update" else -lr * own
        assert np.allclose(d["displacement"], expected, rtol=1e-12, atol=0)
        assert d["along"] is None and r["projected"] is None


def test_without_path_or_plane_a_race_answers_no_step_direction(api):
    ids = ids_of(create_race(api, network=SPEC))

    for r in train_race(api, ids, steps=2)["racers"]:
        assert r["step_direction"] is None and r["projected"] is None and r["path"] is None


@pytest.mark.parametrize("plane", [{"directions": "random", "seed": 3},
                                   {"directions": "axes", "axes": [{"layer": 1, "source": 2, "target": 0},
                                                                   {"layer": 0, "source": 1, "target": 3}]}])
def test_a_plane_projects_each_racers_path_on_the_surface_through_the_start(api, plane):
    ids = ids_of(create_race(api, network=SPEC, racers=[{"name": "sgd"}, {"name": "adam"}]))
    start = api.get(ids[0])
    surface = api.check(api.client.post(f"{API}/networks/{ids[0]}/surface", json={**plane, "resolution": 2}), 200)
    if plane["directions"] == "random":  # the plane goes through the start
        assert (surface["current"]["alpha"], surface["current"]["beta"]) == pytest.approx((0.0, 0.0), abs=1e-12)
    d1 = np.concatenate([np.ravel(w) for w in surface["d1"]])
    d2 = np.concatenate([np.ravel(w) for w in surface["d2"]])
    w0 = np.concatenate([np.ravel(w) for w in start["weights"]])
    origin = w0.copy()
    if plane["directions"] == "axes":
        origin[(d1 != 0) | (d2 != 0)] = 0.0  # the two chosen weights at 0
    gram = np.array([[d1 @ d1, d1 @ d2], [d2 @ d1, d2 @ d2]])  # the normal equations of the projection
    n_w = len(w0)
    b0 = np.concatenate([np.ravel(b) for b in start["biases"]])

    answer = train_race(api, ids, steps=6, path=True, plane=plane)["racers"]

    for r in answer:
        assert len(r["projected"]) == len(r["path"]) == 6
        for point, flat in zip(r["projected"], r["path"]):
            offset = np.asarray(flat[:n_w]) - origin
            alpha, beta = np.linalg.solve(gram, [d1 @ offset, d2 @ offset])
            off_plane = np.concatenate([offset - alpha * d1 - beta * d2, np.asarray(flat[n_w:]) - b0])
            assert point[:2] == pytest.approx([alpha, beta], rel=1e-9, abs=1e-12)
            assert point[2] == pytest.approx(np.linalg.norm(off_plane), rel=1e-9, abs=1e-12)
        move = np.asarray(r["step_direction"]["displacement"][:n_w])
        along = np.linalg.solve(gram, [d1 @ move, d2 @ move])
        assert r["step_direction"]["along"] == pytest.approx(list(along), rel=1e-9, abs=1e-15)


def test_a_plane_refuses_an_axis_that_is_not_a_weight_before_any_step(api):
    ids = ids_of(create_race(api, network=SPEC))
    plane = {"directions": "axes", "axes": [{"layer": 0, "source": 0, "target": 0}, {"layer": 5, "source": 0,
                                                                                     "target": 0}]}

    body = train_race(api, ids, 422, steps=3, plane=plane)

    assert body["field"] == "axes[1]"
    assert all(api.get(sid)["step"] == 0 for sid in ids)
