"""The body-less /step fast path answers exactly as the route does."""

from __future__ import annotations

from .conftest import API, strict_json

SEEDED = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 4}}


def fast_step(client, sid: str, query: str = ""):
    """No body at all: the request the fast path serves."""
    return client.post(f"{API}/networks/{sid}/step{query}", content=b"")


def test_a_body_less_step_equals_the_routes_answer_to_an_empty_body(api, client):
    a = api.create(**SEEDED)["id"]
    b = api.create(**SEEDED)["id"]
    for _ in range(3):
        fast = fast_step(client, a)
        routed = client.post(f"{API}/networks/{b}/step", json={})  # a body: FastAPI's route
        assert fast.status_code == routed.status_code == 200
        assert strict_json(fast.content) == strict_json(routed.content)
        assert fast.headers["content-type"] == routed.headers["content-type"] == "application/json"
    assert api.get(a)["weights"] == api.get(b)["weights"]


def test_the_fast_path_honours_precision_and_security_headers(client, api):
    sid = api.create(**SEEDED)["id"]

    compact = fast_step(client, sid, "?precision=compact")

    assert compact.status_code == 200
    assert strict_json(compact.content)["encoding"] == "float32-buffer"
    assert "script-src 'self'" in compact.headers["content-security-policy"]
    assert compact.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_network_gets_the_same_404_either_way(client):
    fast = fast_step(client, "no-such-network")
    routed = client.post(f"{API}/networks/no-such-network/step", json={})

    assert fast.status_code == routed.status_code == 404
    assert strict_json(fast.content) == strict_json(routed.content)


def test_anything_but_a_plain_step_goes_to_the_route(client, api):
    sid = api.create(**SEEDED)["id"]

    refused = fast_step(client, sid, "?precision=float16")
    unknown_query = fast_step(client, sid, "?precision=compact&extra=1")

    assert refused.status_code == 422 and "precision" in strict_json(refused.content)["detail"]
    assert unknown_query.status_code == 200  # the route ignores unknown query parameters
    assert strict_json(unknown_query.content)["encoding"] == "float32-buffer"


def test_only_body_less_steps_take_the_fast_path(client, api, monkeypatch):
    import app.api.fastpath as fastpath

    calls = []
    original = fastpath.step_response
    monkeypatch.setattr(fastpath, "step_response", lambda *a, **k: calls.append(a) or original(*a, **k))
    sid = api.create(**SEEDED)["id"]

    fast_step(client, sid)
    fast_step(client, sid, "?precision=compact")
    client.post(f"{API}/networks/{sid}/step", json={})
    client.post(f"{API}/networks/{sid}/forward", content=b"")

    assert len(calls) == 2
