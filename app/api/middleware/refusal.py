"""refuse(): an error answer sent straight from a middleware (before any route), as an ErrorBody like
every other refusal (app.api.errors)."""

from __future__ import annotations

from typing import Any

from starlette.types import Send

from ..errors import error_json


async def refuse(send: Send, status: int, code: str, detail: str, field: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
    body = error_json(code, detail, field, params)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
