"""The hottest request without FastAPI's per-request machinery.

`POST /api/v1/networks/{id}/step` with no body (the next mini-batch) is what stepping by hand and
every benchmark send, over and over. FastAPI's middleware layers, routing, dependency solving and
body parsing cost about as much as the step itself, so `FastStepApp` answers that one request before
any of them run, with the route's own `step_body` and the headers every response carries. Everything
else — a body, another query string, another path, a cross-origin request when CORS is on — goes to
the app unchanged, and errors go through the app's own exception handlers, so the answer is always
the one the route would give.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from ..middleware import adding_headers
from .routes.training import step_body

# The query strings served here, exactly; any other spelling goes to the route, which parses it.
PRECISIONS = {b"": "float64", b"precision=float64": "float64", b"precision=float32": "float32",
              b"precision=compact": "compact"}


class FastStep:
    """Recognises a plain body-less step and answers it."""

    def __init__(self, prefix: str, headers: list[tuple[bytes, bytes]], cors: bool):
        self.path = re.compile(rf"^{re.escape(prefix)}/networks/([A-Za-z0-9_-]{{1,64}})/step$")
        self.headers = headers  # added to every answer (the security headers)
        self.cors = cors  # with CORS on, cross-origin requests need the CORS middleware's headers

    def match(self, scope: Scope) -> tuple[str, str] | None:
        """(session id, precision) when the request is a plain body-less step, else None."""
        if scope["method"] != "POST":
            return None
        precision = PRECISIONS.get(scope["query_string"])
        if precision is None:
            return None
        match = self.path.match(scope["path"])
        if match is None:
            return None
        for name, value in scope["headers"]:
            if ((name == b"content-length" and value != b"0") or name == b"transfer-encoding"
                    or (self.cors and name == b"origin")):
                return None
        return match.group(1), precision

    async def answer(self, app: FastAPI, scope: Scope, receive: Receive, send: Send,
                     session_id: str, precision: str) -> None:
        try:
            body = step_body(app.state.store, session_id, precision=precision)
        except Exception as exc:  # the app's handlers give the same answer as the route
            await self._error(app, scope, receive, send, exc)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *self.headers]})
        await send({"type": "http.response.body", "body": body})

    async def _error(self, app: FastAPI, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        handler = next((app.exception_handlers[cls] for cls in type(exc).__mro__ if cls in app.exception_handlers),
                       None)
        if handler is None:
            raise exc
        response = await handler(Request(scope, receive), exc)
        await response(scope, receive, adding_headers(send, self.headers))


class FastStepApp(FastAPI):
    """FastAPI, with plain body-less steps answered before the middleware stack."""

    fast_step: FastStep | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.fast_step is not None:
            hit = self.fast_step.match(scope)
            if hit is not None:
                scope["app"] = self
                await self.fast_step.answer(self, scope, receive, send, *hit)
                return
        await super().__call__(scope, receive, send)
