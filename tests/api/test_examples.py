"""The OpenAPI examples (app/schemas/examples.json, recorded by tools/record_examples.py): every request
body and every response has one, each request example is accepted by the live app, each response
example validates against its model, and recording again gives the same examples (ids aside)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path
from typing import Any

import pytest

from app import schemas
from app.api.openapi import load_examples

from .conftest import API, WORKED_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def operations(doc: dict) -> dict[str, tuple[str, str, dict]]:
    return {op["operationId"]: (method, path, op) for path, ops in doc["paths"].items() for method, op in ops.items()}


def model_of(schema: dict[str, Any]) -> type:
    """The pydantic model a $ref names, from any module of app.schemas."""
    name = schema["$ref"].rsplit("/", 1)[1]
    modules = [importlib.import_module(f"app.schemas.{m.name}") for m in pkgutil.iter_modules(schemas.__path__)]
    return next(getattr(m, name) for m in modules if hasattr(m, name))


def recorder() -> Any:
    spec = importlib.util.spec_from_file_location("record_examples", ROOT / "tools" / "record_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def without_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: "ID" if k == "id" else without_ids(v) for k, v in node.items()}
    if isinstance(node, list):
        return [without_ids(v) for v in node]
    return node


def test_every_request_body_and_every_response_has_an_example(client):
    for name, (_, _, op) in operations(client.get("/openapi.json").json()).items():
        if "requestBody" in op:
            assert "example" in op["requestBody"]["content"]["application/json"], name
        for status, response in op["responses"].items():
            for media in response.get("content", {}).values() if status != "204" else ():
                assert "example" in media, (name, status)
            assert status == "204" or "application/json" in response["content"], (name, status)


def test_each_response_example_validates_against_its_model(client):
    checked = 0
    for name, (_, _, op) in operations(client.get("/openapi.json").json()).items():
        for status, response in op["responses"].items():
            if status == "204":
                continue
            media = response["content"]["application/json"]
            model = model_of(media["schema"])
            model.model_validate(media["example"])
            if int(status) >= 400:
                assert model is schemas.ErrorBody and media["example"]["code"] in schemas.ERROR_CODES, name
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("name", sorted(n for n, e in load_examples().items() if "request" in e))
def test_each_request_example_is_accepted_by_the_live_app(client, name):
    method, path, op = operations(client.get("/openapi.json").json())[name]
    example = op["requestBody"]["content"]["application/json"]["example"]
    network = client.post(f"{API}/networks", json=WORKED_EXAMPLE).json()["id"]

    response = client.request(method, path.replace("{network_id}", network), json=example)

    success = min(s for s in op["responses"] if s.startswith("2"))
    assert response.status_code == int(success), response.text


def test_the_worked_example_step_example_is_the_hand_computation():
    step = load_examples()["step"]["responses"]["200"]

    assert step["update"][0]["weights"][0][0] == pytest.approx(1.4, abs=1e-12)
    assert step["loss"] == 2.0 and step["backward"][0]["grad_weights"] == [[-4.0]]


def test_recording_again_gives_the_committed_examples():
    # After a change to what an operation answers: `python tools/record_examples.py`, and review the diff.
    assert without_ids(recorder().record()) == without_ids(load_examples())
