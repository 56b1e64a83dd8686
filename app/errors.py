"""Turn every failure into a 4xx (or, never expected, 500) with a plain `detail`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from .api.encoding import JSONBytes
from .nn import EngineError
from .sessions import SessionNotFound

log = logging.getLogger("backprop_playground")

EXPIRED = ("No network with this id. It may have expired (networks idle for {minutes} minutes are "
           "removed) or been deleted: create a new one, or import a saved export.")


def _where(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    text = ""
    for p in parts:
        text += f"[{p}]" if p.isdigit() else (f".{p}" if text else p)
    return text or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        shown = errors[:3]
        sentence = "; ".join(f"{_where(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                             for e in shown)
        if len(errors) > 3:
            sentence += f"; and {len(errors) - 3} more problem(s)"
        first = _where(tuple(errors[0]["loc"])) if errors else None
        return JSONBytes({"detail": f"Invalid request: {sentence}.", "field": first, "errors": errors},
                         status_code=422)

    @app.exception_handler(EngineError)
    async def refused(request: Request, exc: EngineError) -> Response:
        return JSONBytes({"detail": exc.message, "field": exc.field}, status_code=422)

    @app.exception_handler(SessionNotFound)
    async def not_found(request: Request, exc: SessionNotFound) -> Response:
        minutes = max(1, request.app.state.settings.session_ttl_seconds // 60)
        return JSONBytes({"detail": EXPIRED.format(minutes=minutes), "field": "session_id"}, status_code=404)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONBytes({"detail": "Something went wrong on the server; the error was logged. Please try "
                                    "again, and report it if it keeps happening.", "field": None},
                         status_code=500)
