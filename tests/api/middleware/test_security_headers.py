"""SecurityHeaders: every response, answers, refusals and the unexpected 500 alike, carries the security
headers."""

from __future__ import annotations

from app.api.middleware.security_headers import SECURITY_HEADERS

from ..conftest import API

MIB = 1 << 20
JSON = {"content-type": "application/json"}


def test_api_responses_carry_the_security_headers(client, api):
    sid = api.create(dataset={"n_samples": 20})["id"]

    for response in (client.get(f"{API}/networks/{sid}"), client.get(f"{API}/networks/nope"),
                     client.post(f"{API}/networks", json={"batch_size": 0}), client.get("/healthz"),
                     client.post(f"{API}/networks/{sid}/step", json={}),
                     client.post(f"{API}/networks/{sid}/step?precision=compact", content=b""),
                     client.post(f"{API}/networks/nope/step?precision=compact", json={})):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_a_413_carries_the_security_headers(client):
    response = client.post(f"{API}/networks", content=b"{}" + b" " * MIB, headers=JSON)

    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_500_carries_the_security_headers(unexpected_500):
    response = unexpected_500
    assert response.status_code == 500
    assert [(name, response.headers.get(name.decode())) for name, _ in SECURITY_HEADERS] == [
        (name, value.decode()) for name, value in SECURITY_HEADERS]
