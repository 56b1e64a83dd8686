"""JsonBodies: a request body must be JSON (415 otherwise), and the calls that create networks must
say so even without a body.

A browser sends a cross-site "simple" request (a form, text/plain, or no content type) without
asking the server first; a JSON content type makes it ask (a CORS preflight), which the server
grants only to the origins it is configured for. So no page a student visits can create networks
in their name. A body-less /step or /reset (what the page sends) stays allowed: it carries nothing
and the network's id is unguessable. Pure ASGI, on headers only: a body is there when the request
says it has a length or is chunked."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ..direct import is_json
from .body_limit import BODILESS
from .refusal import refuse

NOT_JSON = ("The request body must be JSON, sent with Content-Type: application/json (it was sent as "
            "'{media}').")
UNDECLARED = ("Creating a network needs Content-Type: application/json, even for the defaults: send {{}} "
              "as the body (it was sent as '{media}').")


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if (name == b"content-length" and value.strip() not in (b"0", b"")) or name == b"transfer-encoding":
            return True
    return False


def _media(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1")
    return "no content type"


class JsonBodies:
    """Refuses with 415 a body that is not JSON, and a POST to one of `declare` without JSON."""

    def __init__(self, app: ASGIApp, declare: frozenset[str] = frozenset()):
        self.app = app
        self.declare = declare  # paths that must send a JSON content type even without a body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in BODILESS and not is_json(scope):
            if scope["method"] == "POST" and scope["path"] in self.declare:
                await refuse(send, 415, "unsupported_media_type", UNDECLARED.format(media=_media(scope)),
                             params={"content_type": _media(scope)})
                return
            if _has_body(scope):
                await refuse(send, 415, "unsupported_media_type", NOT_JSON.format(media=_media(scope)),
                             params={"content_type": _media(scope)})
                return
        await self.app(scope, receive, send)
