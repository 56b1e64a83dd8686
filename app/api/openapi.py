"""The OpenAPI document as clients and their generators read it: FastAPI's document, with the
examples recorded from real calls (app/schemas/examples.json, written by tools/record_examples.py)
on every request body and response, and optional parameters and bodies shown as plain optional
values (a generated client leaves them out rather than sending null)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from ..schemas.requests import plain_optional

EXAMPLES = Path(__file__).resolve().parent.parent / "schemas" / "examples.json"
NULL = {"type": "null"}


def load_examples() -> dict[str, dict[str, Any]]:
    """Per operation id: {request?, parameters?, responses: {status: body}, csv?: {status: text}}."""
    examples: dict[str, dict[str, Any]] = json.loads(EXAMPLES.read_text())
    return examples


def without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """anyOf [X, null] as X (other keys kept), as the request models show their optional fields; any
    other schema as it is."""
    union = schema.get("anyOf")
    if not union or NULL not in union or len(union) != 2:
        return schema
    plain = dict(schema)
    plain_optional(plain)
    return plain


def plain_optionals(operation: dict[str, Any]) -> None:
    """An optional body or parameter may be left out: its schema need not also allow null."""
    body = operation.get("requestBody")
    if body and not body.get("required", False):
        for media in body["content"].values():
            media["schema"] = without_null(media["schema"])
    for parameter in operation.get("parameters", []):
        if not parameter.get("required", False):
            parameter["schema"] = without_null(parameter["schema"])


def add_examples(operation: dict[str, Any], examples: dict[str, Any]) -> None:
    if "request" in examples and "requestBody" in operation:
        operation["requestBody"]["content"]["application/json"]["example"] = examples["request"]
    for parameter in operation.get("parameters", []):
        if parameter["name"] in examples.get("parameters", {}):
            parameter["example"] = examples["parameters"][parameter["name"]]
    for media, bodies in (("application/json", examples["responses"]), ("text/csv", examples.get("csv", {}))):
        for status, body in bodies.items():
            response = operation["responses"].get(status)
            if response is not None:
                response.setdefault("content", {}).setdefault(media, {})["example"] = body


def refine(doc: dict[str, Any], examples: dict[str, dict[str, Any]]) -> dict[str, Any]:
    for operations in doc["paths"].values():
        for operation in operations.values():
            plain_optionals(operation)
            if operation["operationId"] in examples:
                add_examples(operation, examples[operation["operationId"]])
    return doc


def install(app: FastAPI) -> None:
    """Serve the refined document at /openapi.json (built once, on first use)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(generate(), load_examples())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
