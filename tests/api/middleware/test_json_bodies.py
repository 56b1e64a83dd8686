"""JsonBodies: a non-empty body must be JSON (415), and creating a network needs a JSON content type
even without a body, so that a cross-site form cannot create anything; a body-less /step or /reset
stays allowed."""

from __future__ import annotations

import pytest

from ..conftest import API

SIMPLE = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]  # a form's


@pytest.mark.parametrize("media", SIMPLE)
@pytest.mark.parametrize("path", ["/networks", "/networks/import"])
def test_a_cross_site_simple_request_creates_nothing(client, media, path):
    response = client.post(f"{API}{path}", content=b"{}", headers={"content-type": media})

    assert response.status_code == 415
    assert response.json() == {"code": "unsupported_media_type",
                               "detail": "Creating a network needs Content-Type: application/json, even for the "
                                         f"defaults: send {{}} as the body (it was sent as '{media}').",
                               "field": None, "params": {"content_type": media}}


@pytest.mark.parametrize("path", ["/networks", "/networks/import"])
def test_creating_without_a_content_type_is_refused_even_without_a_body(client, path):
    for response in (client.post(f"{API}{path}"), client.post(f"{API}{path}", content=b"{}")):
        assert response.status_code == 415
        assert "no content type" in response.json()["detail"]


def test_creating_with_a_json_content_type_and_no_body_takes_every_default(client, api):
    response = client.post(f"{API}/networks", headers={"content-type": "application/json"})

    assert response.status_code == 201
    assert response.json()["spec"]["layer_sizes"] == api.create()["spec"]["layer_sizes"]


@pytest.mark.parametrize("media", ["application/json", "application/json; charset=utf-8", "application/vnd.x+json"])
def test_json_media_types_are_taken(client, media):
    assert client.post(f"{API}/networks", content=b"{}", headers={"content-type": media}).status_code == 201


@pytest.mark.parametrize("media", [*SIMPLE, None])
@pytest.mark.parametrize("call", ["step", "forward", "train", "predict", "reset"])
def test_a_body_that_is_not_json_is_415_everywhere(client, api, media, call):
    sid = api.create(dataset={"n_samples": 20})["id"]
    headers = {} if media is None else {"content-type": media}

    response = client.post(f"{API}/networks/{sid}/{call}", content=b'{"steps": 1}', headers=headers)

    assert response.status_code == 415
    assert response.json()["detail"].startswith("The request body must be JSON")
    assert api.get(sid)["step"] == 0


def test_a_patch_body_that_is_not_json_is_415(client, api):
    sid = api.create(dataset={"n_samples": 20})["id"]

    response = client.patch(f"{API}/networks/{sid}", content=b'{"batch_size": 2}',
                            headers={"content-type": "text/plain"})

    assert response.status_code == 415


def test_a_chunked_body_that_is_not_json_is_415(client, api):
    sid = api.create(dataset={"n_samples": 20})["id"]

    response = client.post(f"{API}/networks/{sid}/step", content=iter([b"{", b"}"]),
                           headers={"content-type": "text/plain"})

    assert response.status_code == 415


@pytest.mark.parametrize("call", ["step", "reset"])
def test_a_body_less_step_or_reset_stays_allowed(client, api, call):
    sid = api.create(dataset={"n_samples": 20})["id"]

    assert client.post(f"{API}/networks/{sid}/{call}").status_code == 200
    assert client.post(f"{API}/networks/{sid}/{call}", headers={"content-type": "text/plain"}).status_code == 200
