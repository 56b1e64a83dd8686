"""refuse(): an error answer sent straight from a middleware (before any route), in the API's error
shape {detail, field} — the shape app.api.errors gives every other refusal."""

from __future__ import annotations

from starlette.types import Send

from ..encoding import dumps


async def refuse(send: Send, status: int, detail: str, field: str | None = None) -> None:
    body = dumps({"detail": detail, "field": field})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
