"""The OpenAPI document as generated clients read it: operation ids, path parameters, optional bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.schemas import ERROR_CODES

from .conftest import API

OPERATION_IDS = {
    "create_network", "get_network", "update_network", "delete_network", "reset_network", "forward", "step",
    "train", "predict", "boundary", "get_data", "evaluate", "export_network", "import_network", "get_options",
    "health", "explain_unit", "explain_weight", "loss_curve", "get_step_trace", "gradient_check",
}


def operations(doc: dict) -> dict[str, tuple[str, str, dict]]:
    return {op["operationId"]: (method, path, op) for path, ops in doc["paths"].items() for method, op in ops.items()}


def test_every_operation_has_the_id_a_person_would_write(client):
    ids = set(operations(client.get("/openapi.json").json()))

    assert ids == OPERATION_IDS  # part of the contract: a new operation is added here with its id
    assert all(i.isidentifier() and i == i.lower() for i in ids)


def test_the_existing_operations_keep_their_ids_and_paths(client):
    ops = operations(client.get("/openapi.json").json())

    assert ops["step"][:2] == ("post", f"{API}/networks/{{network_id}}/step")
    assert ops["update_network"][:2] == ("patch", f"{API}/networks/{{network_id}}")
    assert ops["get_data"][:2] == ("get", f"{API}/networks/{{network_id}}/data")
    assert ops["evaluate"][:2] == ("get", f"{API}/networks/{{network_id}}/evaluation")
    assert ops["health"][:2] == ("get", "/healthz")


def test_the_path_parameter_is_network_id_everywhere(client):
    doc = client.get("/openapi.json").json()

    for path, ops in doc["paths"].items():
        for op in ops.values():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert "session_id" not in names and "session_id" not in path
            assert ("network_id" in names) == ("{network_id}" in path), path


def nullable_unions(node: object) -> list[list[dict]]:
    """Every anyOf in the document."""
    if isinstance(node, dict):
        found = [node["anyOf"]] if "anyOf" in node else []
        return found + [u for v in node.values() for u in nullable_unions(v)]
    if isinstance(node, list):
        return [u for v in node for u in nullable_unions(v)]
    return []


def test_every_anyof_is_a_value_or_null_never_a_choice_of_shapes(client):
    doc = client.get("/openapi.json").json()

    for union in nullable_unions(doc):
        assert len(union) == 2 and union[1] == {"type": "null"}, union


def test_optional_bodies_are_plain_and_may_be_left_out(client):
    ops = operations(client.get("/openapi.json").json())

    for name in ("create_network", "update_network", "forward", "step", "train", "gradient_check"):
        body = ops[name][2]["requestBody"]
        assert not body.get("required", False), name
        schema = body["content"]["application/json"]["schema"]
        assert "$ref" in schema and "anyOf" not in schema, name
    for name in ("predict", "import_network"):
        assert ops[name][2]["requestBody"]["required"] is True


def test_request_fields_that_mean_missing_are_plain_optional_fields(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    assert schemas["BatchIn"]["properties"]["inputs"]["type"] == "array"
    assert schemas["InitIn"]["properties"]["seed"]["type"] == "integer"
    assert schemas["TrainIn"]["properties"]["boundary"] == {"$ref": "#/components/schemas/BoundaryIn",
                                                            "description": "Also return the boundary after training."}
    for name in ("BatchIn", "NetworkPatch", "TrainIn", "BoundaryIn", "InitIn", "DatasetIn", "OptimizerIn",
                 "OptimizerPatch"):
        assert "anyOf" not in str(schemas[name]), name


def test_the_document_version_follows_the_api_path(client):
    doc = client.get("/openapi.json").json()

    major, minor, patch = doc["info"]["version"].split(".")
    assert API == f"/api/v{major}" and minor.isdigit() and patch.isdigit()
    assert "Versioning" in doc["info"]["description"]


def test_every_error_code_is_documented_in_the_error_body_and_the_readme(client):
    described = client.get("/openapi.json").json()["components"]["schemas"]["ErrorBody"]["properties"]["code"]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    for code, (status, _, _) in ERROR_CODES.items():
        assert f"`{code}` ({status})" in described["description"]
        assert f"| `{code}` | {status} |" in readme


@pytest.mark.parametrize(("method", "tail"), [("POST", "/step"), ("POST", "/forward"), ("POST", "/train"),
                                              ("POST", "/gradcheck"), ("PATCH", "")])
@pytest.mark.parametrize("body", [{"content": b""}, {"json": {}}], ids=["left-out", "empty"])
def test_an_optional_body_may_be_left_out_or_sent_empty(client, method, tail, body):
    json_header = {"content-type": "application/json"}  # what generated clients send, body or not
    network = client.post(f"{API}/networks", headers=json_header).json()["id"]

    response = client.request(method, f"{API}/networks/{network}{tail}", headers=json_header, **body)

    assert response.status_code == 200, response.text
