"""CORS: same-origin only by default; configured origins may call the API, /step included."""

from __future__ import annotations

from ..conftest import API, Api

SEEDED = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 4}}


def test_cross_origin_requests_get_no_cors_headers_by_default(client):
    response = client.get(f"{API}/options", headers={"origin": "https://elsewhere.example"})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_configured_origins_may_call_the_api(make_client):
    client = make_client(cors_origins=["https://tools.example"])

    preflight = client.options(f"{API}/networks", headers={
        "origin": "https://tools.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    other = client.get(f"{API}/options", headers={"origin": "https://elsewhere.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://tools.example"
    assert "access-control-allow-origin" not in other.headers


def test_a_cross_origin_step_gets_the_cors_headers(make_client):
    client = make_client(cors_origins=["https://tools.example"])
    sid = Api(client).create(**SEEDED)["id"]

    cross = client.post(f"{API}/networks/{sid}/step", json={}, headers={"origin": "https://tools.example"})
    same = client.post(f"{API}/networks/{sid}/step", json={})

    assert cross.status_code == same.status_code == 200
    assert cross.headers["access-control-allow-origin"] == "https://tools.example"
    assert "access-control-allow-origin" not in same.headers
