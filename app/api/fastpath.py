"""The hottest request without FastAPI's per-request machinery.

`POST /api/v1/networks/{id}/step` with no body (the next mini-batch) is what stepping by hand and
every benchmark send, over and over. FastAPI's routing, dependency solving and body parsing cost
about as much as the step itself (measured: ~120 µs of ~235 µs in process), so this middleware
answers that one request with the route's own `step_response`. Everything else — a body, another
query parameter, another path — goes to the app unchanged, and errors go through the app's own
exception handlers, so the answer is always the one the route would give.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .routes.training import step_response

PRECISIONS = {"float64", "float32", "compact"}


class FastStep:
    def __init__(self, app: ASGIApp, prefix: str):
        self.app = app
        self.path = re.compile(rf"^{re.escape(prefix)}/networks/([A-Za-z0-9_-]{{1,64}})/step$")

    def _precision(self, scope: Scope) -> str | None:
        """The precision asked for, or None when the request is not a plain body-less step."""
        headers = dict(scope["headers"])
        if headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers:
            return None
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if not query:
            return "float64"
        if len(query) == 1 and query[0][0] == "precision" and query[0][1] in PRECISIONS:
            return query[0][1]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            match = self.path.match(scope["path"])
            precision = self._precision(scope) if match else None
            if precision is not None:
                app = scope["app"]
                try:
                    response = step_response(app.state.store, match.group(1), precision=precision)
                except Exception as exc:  # the app's handlers give the same answer as the route
                    response = await self._handle(app, Request(scope, receive), exc)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _handle(app, request: Request, exc: Exception):
        for cls in type(exc).__mro__:
            handler = app.exception_handlers.get(cls)
            if handler is not None:
                return await handler(request, exc)
        raise exc
