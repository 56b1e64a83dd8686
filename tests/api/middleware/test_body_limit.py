"""BodyLimit: a body over the limit is 413 before anything parses it, whatever it claims its size is."""

from __future__ import annotations

from collections.abc import Iterator

from ..conftest import API

MIB = 1 << 20


def padded(body: bytes, size: int) -> bytes:
    """`body` followed by spaces up to `size` bytes: still the same JSON."""
    return body + b" " * (size - len(body))


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


JSON = {"content-type": "application/json"}


def test_a_body_of_exactly_1_mib_is_accepted(client):
    response = client.post(f"{API}/networks", content=padded(b'{"batch_size": 3}', MIB), headers=JSON)

    assert response.status_code == 201, response.text
    assert response.json()["spec"]["batch_size"] == 3


def test_a_body_over_1_mib_with_content_length_is_413(client):
    response = client.post(f"{API}/networks", content=padded(b"{}", MIB + 1), headers=JSON)

    assert response.status_code == 413
    assert response.request.headers["content-length"] == str(MIB + 1)
    assert response.json() == {"code": "body_too_large",
                               "detail": "The request body is larger than this server accepts (1,048,576 bytes "
                                         "at most here).", "field": None,
                               "params": {"limit": "max_body_bytes", "max": MIB}}


def test_a_chunked_body_over_1_mib_without_content_length_is_413(client):
    response = client.post(f"{API}/networks", content=chunks(padded(b"{}", MIB + 1)), headers=JSON)

    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert "larger than this server accepts" in response.json()["detail"]


def test_a_chunked_body_within_the_limit_is_read_whole(client):
    response = client.post(f"{API}/networks", content=chunks(padded(b'{"batch_size": 4}', MIB), 1000),
                           headers=JSON)

    assert response.status_code == 201, response.text
    assert response.json()["spec"]["batch_size"] == 4


def test_every_posting_endpoint_has_the_limit(client, api):
    sid = api.create(dataset={"n_samples": 20})["id"]
    big = padded(b"{}", MIB + 1)

    for path in ("/step", "/forward", "/train", "/predict", "/reset"):
        response = client.post(f"{API}/networks/{sid}{path}", content=big, headers=JSON)
        assert response.status_code == 413, path
    assert client.patch(f"{API}/networks/{sid}", content=big, headers=JSON).status_code == 413
    assert api.get(sid)["step"] == 0


def test_import_accepts_a_body_over_1_mib(client):
    response = client.post(f"{API}/networks/import", content=padded(b'{"format": "other"}', 2 * MIB), headers=JSON)

    assert response.status_code == 422  # read and judged, not refused for its size
    assert response.json()["field"] == "format"


def test_import_over_its_own_cap_is_413(make_client):
    client = make_client(max_import_bytes=2 * MIB)

    response = client.post(f"{API}/networks/import", content=padded(b"{}", 2 * MIB + 1), headers=JSON)

    assert response.status_code == 413
    assert "2,097,152 bytes" in response.json()["detail"]
    assert response.json()["params"] == {"limit": "max_import_bytes", "max": 2 * MIB}


def test_the_body_limit_follows_the_app_settings(make_client):
    client = make_client(max_body_bytes=1000)

    small = client.post(f"{API}/networks", content=padded(b'{"dataset": {"n_samples": 20}}', 1000), headers=JSON)
    large = client.post(f"{API}/networks", content=padded(b"{}", 1001), headers=JSON)

    assert small.status_code == 201
    assert large.status_code == 413
