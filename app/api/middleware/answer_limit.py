"""AnswerLimit: the last guard of max_answer_bytes. Every route estimates its answer from shapes
before the work (app.api.byte_limits); an answer that still comes out larger (an estimate missed)
is replaced here by a 422 answer_too_large, so no client ever receives more than the bound.

Pure ASGI, on the response's Content-Length (every answer of this app has one): the body is then
dropped unsent."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .refusal import refuse

TOO_LARGE = ("This answer is {size:,} bytes; this server sends at most {limit:,} (max_answer_bytes). Ask for "
             "less at a time: fewer rows or steps, a lower resolution, or precision=compact.")


def _length(message: Message) -> int | None:
    for name, value in message.get("headers", []):
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


class AnswerLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = False

        async def guarded(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                size = _length(message)
                if size is not None and size > self.max_bytes:
                    refused = True
                    await refuse(send, 422, "answer_too_large", TOO_LARGE.format(size=size, limit=self.max_bytes),
                                 None, {"limit": "max_answer_bytes", "max": self.max_bytes, "value": size})
                    return
            elif refused:  # the too-large body, or the rest of it: dropped
                return
            await send(message)

        await self.app(scope, receive, guarded)
