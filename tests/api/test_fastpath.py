"""The body-less /step fast path answers exactly as the route does."""

from __future__ import annotations

from .conftest import API, Api, strict_json

SEEDED = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 4}}


def fast_step(client, sid: str, query: str = "", headers: dict[str, str] | None = None):
    """No body at all: the request the fast path serves."""
    return client.post(f"{API}/networks/{sid}/step{query}", content=b"", headers=headers)


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


def counting_fast_path(monkeypatch) -> list:
    import app.api.fastpath as fastpath

    calls = []
    original = fastpath.step_body
    monkeypatch.setattr(fastpath, "step_body", lambda *a, **k: calls.append(a) or original(*a, **k))
    return calls


def test_only_body_less_steps_take_the_fast_path(client, api, monkeypatch):
    calls = counting_fast_path(monkeypatch)
    sid = api.create(**SEEDED)["id"]

    fast_step(client, sid)
    fast_step(client, sid, "?precision=compact")
    fast_step(client, sid, "?precision=float32")
    client.post(f"{API}/networks/{sid}/step", json={})
    client.post(f"{API}/networks/{sid}/step?precision=compact", content=b"", headers={"transfer-encoding": "chunked"})
    client.post(f"{API}/networks/{sid}/forward", content=b"")
    client.get(f"{API}/networks/{sid}/step")  # 405 from the router

    assert len(calls) == 3


def test_with_cors_on_a_cross_origin_step_gets_the_cors_headers(make_client, monkeypatch):
    client = make_client(cors_origins=["https://tools.example"])
    calls = counting_fast_path(monkeypatch)
    sid = Api(client).create(**SEEDED)["id"]

    cross = fast_step(client, sid, "", headers={"origin": "https://tools.example"})
    same = fast_step(client, sid)

    assert cross.status_code == same.status_code == 200
    assert cross.headers["access-control-allow-origin"] == "https://tools.example"
    assert "access-control-allow-origin" not in same.headers
    assert len(calls) == 1  # only the request without an origin was served by the fast path


def test_a_failing_step_on_the_fast_path_carries_the_security_headers(client):
    response = fast_step(client, "no-such-network", "?precision=compact")

    assert response.status_code == 404
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-type"] == "application/json"
