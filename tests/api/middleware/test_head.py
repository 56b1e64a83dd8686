"""HeadAsGet: HEAD answers wherever GET does, with GET's status and headers and no body, and the
OpenAPI document gains no HEAD operations."""

from __future__ import annotations

import pytest

from ..conftest import API


@pytest.mark.parametrize("path", ["/", "/healthz", f"{API}/options", "/openapi.json", "/docs", "/static/js/api.js",
                                  f"{API}/networks/{{sid}}", f"{API}/networks/{{sid}}/export",
                                  f"{API}/networks/{{sid}}/data", f"{API}/networks/{{sid}}/boundary?resolution=5"])
def test_head_answers_as_get_does_without_a_body(client, api, path):
    path = path.replace("{sid}", api.create(dataset={"n_samples": 20})["id"])
    get = client.get(path)

    head = client.head(path)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["x-content-type-options"] == "nosniff"


def test_head_of_an_unknown_network_is_404_and_of_a_post_only_path_405(client, api):
    sid = api.create(dataset={"n_samples": 20})["id"]

    assert client.head(f"{API}/networks/no-such-network").status_code == 404
    step = client.head(f"{API}/networks/{sid}/step")
    assert step.status_code == 405 and "POST" in step.headers["allow"]
    assert api.get(sid)["step"] == 0


def test_the_openapi_document_has_no_head_operations(client):
    paths = client.get("/openapi.json").json()["paths"]

    assert all("head" not in operations for operations in paths.values())
