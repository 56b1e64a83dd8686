"""Schema-driven fuzz of the OpenAPI document (schemathesis): no request gets a 500.

Under small limits so it stays quick. Every operation on `{network_id}` is tried both with
generated ids (which 404) and with the id of a real network, created fresh for that case so a
DELETE or a diverging step in one case cannot spoil the next.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from app.config import AppSettings
from app.main import create_app

from .conftest import API, TEST_SETTINGS, TestClient

LIMITS = {"max_samples": 500, "max_train_steps": 1000, "max_boundary_resolution": 50, "max_batch_size": 200,
          "max_train_work": 500_000, "max_sessions": 500}
APP = create_app(AppSettings(**TEST_SETTINGS, **LIMITS))
SETUP = TestClient(APP)
REAL = "real-network-"  # URL-safe: path parameters arrive percent-encoded
NETWORKS = [  # a 2-input classifier (boundary works), a 1-input regression, a softmax classifier
    {"dataset": {"name": "circle", "n_samples": 40, "seed": 1}, "init": {"seed": 2}},
    {"layer_sizes": [1, 3, 1], "output_activation": "linear", "loss": "mse",
     "dataset": {"name": "sine", "n_samples": 30, "seed": 1}},
    {"layer_sizes": [2, 4, 3], "output_activation": "softmax", "loss": "cross_entropy",
     "optimizer": {"name": "adam"}, "dataset": {"name": "three_class", "n_samples": 30, "seed": 1}},
]

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.hook("flatmap_path_parameters")
def real_or_generated_id(context: Any, path_parameters: dict[str, Any] | None) -> st.SearchStrategy:
    if not path_parameters or "network_id" not in path_parameters:
        return st.just(path_parameters)
    real = [{**path_parameters, "network_id": f"{REAL}{i}"} for i in range(len(NETWORKS))]
    return st.sampled_from([path_parameters, *real])


def create_network(spec: dict[str, Any]) -> str:
    response = SETUP.post(f"{API}/networks", json=spec)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def refuse_constant(name: str) -> None:
    raise AssertionError(f"the response contains the non-JSON literal {name}")


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case: Any) -> None:
    sid = (case.path_parameters or {}).get("network_id", "")
    if isinstance(sid, str) and sid.startswith(REAL):
        case.path_parameters["network_id"] = create_network(NETWORKS[int(sid.removeprefix(REAL))])

    response = case.call()

    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r} -> "
        f"{response.status_code} {response.text[:500]}")
    content_type = response.headers.get("content-type", [""])[0]  # lower-case keys, lists of values
    if response.content and content_type.startswith("application/json"):
        body = json.loads(response.content, parse_constant=refuse_constant)
        if response.status_code >= 400:
            assert isinstance(body["detail"], str) and body["detail"], response.text
