"""Fixtures for the REST API tests.

- `client`: a TestClient on an app with the default limits (the contract's numbers).
- `make_client(**limits)`: a TestClient on an app with other limits (small ones keep tests quick).
  Both keep networks in memory and do not limit how many a client creates.
- `api`: `client` with one short method per endpoint; each asserts the expected status and
  returns the body parsed strictly (a NaN or Infinity literal in a response fails the test).
- `WORKED_EXAMPLE`: the creation body of the classic one-weight example (w = 1, x = 2, t = 4, η = 0.1).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette warns, as a UserWarning subclass, that it prefers httpx2 to httpx; both work.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from app.config import AppSettings
from app.main import create_app

API = "/api/v1"

# Networks live in memory here (no files), and creating many is allowed (tests make dozens).
TEST_SETTINGS: dict[str, Any] = {"store": "memory", "create_rate_per_minute": 0}

WORKED_EXAMPLE: dict[str, Any] = {
    "layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
    "use_bias": False, "weights": [[[1.0]]], "optimizer": {"name": "sgd", "learning_rate": 0.1},
    "dataset": {"name": "worked_example"}, "batch_size": 1,
}


def _refuse_constant(name: str) -> None:
    raise AssertionError(f"the response contains the non-JSON literal {name}")


def strict_json(text: str | bytes) -> Any:
    """json.loads that fails on NaN, Infinity and -Infinity (which Python's json accepts)."""
    return json.loads(text, parse_constant=_refuse_constant)


class Api:
    """One method per endpoint. `expect` is the status the test requires."""

    def __init__(self, client: TestClient):
        self.client = client

    def check(self, response, expect: int) -> Any:
        assert response.status_code == expect, response.text
        return strict_json(response.content) if response.content else None

    def create(self, expect: int = 201, **body: Any) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks", json=body), expect)

    def get(self, sid: str, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.get(f"{API}/networks/{sid}"), expect)

    def patch(self, sid: str, expect: int = 200, **body: Any) -> dict[str, Any]:
        return self.check(self.client.patch(f"{API}/networks/{sid}", json=body), expect)

    def forward(self, sid: str, expect: int = 200, **body: Any) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/{sid}/forward", json=body), expect)

    def step(self, sid: str, expect: int = 200, **body: Any) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/{sid}/step", json=body), expect)

    def train(self, sid: str, expect: int = 200, **body: Any) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/{sid}/train", json=body), expect)

    def predict(self, sid: str, inputs: Any, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/{sid}/predict", json={"inputs": inputs}), expect)

    def boundary(self, sid: str, expect: int = 200, **query: Any) -> dict[str, Any]:
        return self.check(self.client.get(f"{API}/networks/{sid}/boundary", params=query), expect)

    def data(self, sid: str, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.get(f"{API}/networks/{sid}/data"), expect)

    def evaluation(self, sid: str, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.get(f"{API}/networks/{sid}/evaluation"), expect)

    def reset(self, sid: str, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/{sid}/reset"), expect)

    def delete(self, sid: str, expect: int = 204) -> Any:
        return self.check(self.client.delete(f"{API}/networks/{sid}"), expect)

    def export(self, sid: str, expect: int = 200) -> dict[str, Any]:
        return self.check(self.client.get(f"{API}/networks/{sid}/export"), expect)

    def import_(self, doc: Any, expect: int = 201) -> dict[str, Any]:
        return self.check(self.client.post(f"{API}/networks/import", json=doc), expect)

    def post_raw(self, path: str, body: bytes, expect: int) -> dict[str, Any]:
        """POST bytes as they are (e.g. with NaN literals, which a JSON encoder would not write)."""
        response = self.client.post(f"{API}{path}", content=body, headers={"content-type": "application/json"})
        return self.check(response, expect)


@pytest.fixture
def unexpected_500() -> Any:
    """The answer to a route that fails unexpectedly (it raises a RuntimeError naming secret internals)."""
    app = create_app(AppSettings(**TEST_SETTINGS))

    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        return client.get("/explode")


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**limits: Any) -> TestClient:
        client = TestClient(create_app(AppSettings(**(TEST_SETTINGS | limits))))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def worked_example(api: Api) -> dict[str, Any]:
    """A live network of the worked example (its state)."""
    return api.create(**WORKED_EXAMPLE)
