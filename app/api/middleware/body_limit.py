"""BodyLimit: refuses request bodies over a size limit with 413, before anything parses them.

Pure ASGI (cheaper than BaseHTTPMiddleware on the hot path). The body is read here (it is bounded),
so a lying or missing Content-Length cannot get more than the limit past this point."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import error_json

BODILESS = frozenset(("GET", "HEAD", "OPTIONS", "DELETE"))


class BodyLimit:
    """At most `max_bytes` of body per request; `larger` gives some paths their own limit."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, tuple[int, str]] | None = None,
                 name: str = "max_body_bytes"):
        self.app = app
        self.default = (max_bytes, name)  # the limit and the setting it comes from
        self.larger = larger or {}  # path -> its own (limit, setting) (imports carry whole states)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODILESS:
            await self.app(scope, receive, send)
            return
        limit, setting = self.larger.get(scope["path"], self.default)
        for header, value in scope["headers"]:
            if header == b"content-length" and (not value.isdigit() or int(value) > limit):
                await self._refuse(send, limit, setting)
                return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(send, limit, setting)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send: Send, limit: int, setting: str) -> None:
        body = error_json("body_too_large", f"The request body is larger than this server accepts ({limit:,} bytes "
                          "at most here).", None, {"limit": setting, "max": limit})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
