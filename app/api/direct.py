"""DirectRoute: an ordinary FastAPI route that reads its own request, for the hottest calls (/step, /forward).

For each request FastAPI's own handler solves the endpoint's dependencies and validates every parameter
through pydantic; on /step that costs more than the step itself. A DirectRoute keeps the endpoint's
signature, so the OpenAPI document (path id, `precision` query, request body model) is FastAPI's, but
it reads the request itself: the id from the path, `precision` from the query, the store and settings
from the app's state, and the JSON body — parsed by orjson and validated by the body's type only when
there is one. It then calls the same endpoint. A request it does not read as valid goes to FastAPI's own
handler, so every refusal is FastAPI's, word for word. It is matched and served like any other route:
every middleware and exception handler applies to it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Literal, get_args, get_origin, get_type_hints

import orjson
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from .deps import MAX_ID_LENGTH

# The endpoint's parameters, in order: what a DirectRoute knows how to fill.
PARAMETERS = ("network_id", "store", "settings", "body", "precision")


def is_json(scope: Scope) -> bool:
    """FastAPI's test of a JSON body: Content-Type application/json or application/*+json, parameters aside."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.partition(b";")[0].strip().lower()
            return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))
    return False


class DirectRoute(APIRoute):
    """For endpoints `(network_id, store, settings, body: Model | None = None, precision: Literal[...] = ...)`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        standard = super().get_route_handler()  # FastAPI's handler: it answers whatever is not read here
        endpoint = self.endpoint
        signature = inspect.signature(endpoint)
        if tuple(signature.parameters) != PARAMETERS:
            raise TypeError(f"a DirectRoute's endpoint takes {PARAMETERS}, not {tuple(signature.parameters)}")
        hints: dict[str, Any] = get_type_hints(endpoint)
        body_annotation, precision_type = hints["body"], hints["precision"]
        body_type: TypeAdapter[Any] = TypeAdapter(body_annotation)
        if get_origin(precision_type) is not Literal:
            raise TypeError("a DirectRoute's precision is a Literal of its names")
        precisions = frozenset(get_args(precision_type))
        default_precision = signature.parameters["precision"].default
        # The query strings clients send, read without parsing (parsing took two fifths of this handler's time).
        queries = {b"": default_precision, **{f"precision={p}".encode(): p for p in precisions}}

        async def handle(request: Request) -> Response:
            network_id = request.path_params["network_id"]
            precision = queries.get(request.scope["query_string"])
            if precision is None:
                precision = request.query_params.get("precision", default_precision)
            if len(network_id) > MAX_ID_LENGTH or precision not in precisions:
                return await standard(request)
            raw = await request.body()
            body = None
            if raw:
                if not is_json(request.scope):
                    return await standard(request)
                try:
                    body = body_type.validate_python(orjson.loads(raw))
                except (orjson.JSONDecodeError, ValidationError):
                    return await standard(request)
            state = request.app.state
            return await endpoint(network_id, state.store, state.settings, body, precision)

        return handle
