"""The HTTP error mapping: every failure becomes a 4xx (or, never expected, a 500) with a plain `detail`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..nn import EngineError
from ..sessions import SessionBusy, SessionNotFound, StoreUnavailable
from .encoding import JSONBytes
from .limits import LimitExceeded
from .middleware.security_headers import SECURITY_HEADERS_BY_NAME
from .ratelimit import RateLimited, retry_after_header

log = logging.getLogger("backprop_playground")

BUSY = ("This network is busy with another request (a long training run, perhaps); try again in a "
        "moment.")
UNAVAILABLE = ("The session store cannot be reached just now, so networks cannot be loaded or saved: "
               "sessions are unavailable, try again shortly.")
TOO_MANY = ("Too many networks created from your address: {burst} at once, then {rate:g} a minute. "
            "Try again in {seconds} s (see Retry-After), or keep using the networks you have.")
STORE_RETRY_SECONDS = "5"

EXPIRED = ("No network with this id. It may have expired (networks idle for {minutes} minutes are "
           "removed) or been deleted: create a new one, or import a saved export.")


def _where(loc: tuple[str | int, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    text = ""
    for p in parts:
        text += f"[{p}]" if p.isdigit() else (f".{p}" if text else p)
    return text or "body"


def _unreadable(cause: BaseException) -> str:
    """Why a body could not be parsed, in words (the parser's limits included)."""
    if isinstance(cause, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(cause, RecursionError):
        return "it is nested too deeply for this server"
    return "it could not be parsed"


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        if errors and errors[0]["type"] == "json_invalid":  # its loc holds a character position, not a field
            problem = exc.errors()[0].get("ctx", {}).get("error", "it could not be parsed")
            at = errors[0]["loc"][-1]
            where = f" (at character {at})" if isinstance(at, int) else ""
            return JSONBytes({"detail": f"The request body is not valid JSON: {problem}{where}.", "field": "body",
                              "errors": errors}, status_code=422)
        shown = errors[:3]
        sentence = "; ".join(f"{_where(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                             for e in shown)
        if len(errors) > 3:
            sentence += f"; and {len(errors) - 3} more problem(s)"
        first = _where(tuple(errors[0]["loc"])) if errors else None
        return JSONBytes({"detail": f"Invalid request: {sentence}.", "field": first, "errors": errors},
                         status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI's 400: the body could not be read
            return JSONBytes({"detail": f"The request body is not valid JSON: {_unreadable(exc.__cause__)}.",
                              "field": "body"}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(EngineError)  # the engine refuses the request
    @app.exception_handler(LimitExceeded)  # the request is over one of this server's limits
    async def refused(request: Request, exc: EngineError | LimitExceeded) -> Response:
        return JSONBytes({"detail": exc.message, "field": exc.field}, status_code=422)

    @app.exception_handler(SessionNotFound)
    async def not_found(request: Request, exc: SessionNotFound) -> Response:
        minutes = max(1, request.app.state.settings.session_ttl_seconds // 60)
        return JSONBytes({"detail": EXPIRED.format(minutes=minutes), "field": "session_id"}, status_code=404)

    @app.exception_handler(SessionBusy)
    async def busy(request: Request, exc: SessionBusy) -> Response:
        return JSONBytes({"detail": BUSY, "field": "session_id"}, status_code=409)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> Response:
        log.warning("session store unavailable on %s %s: %s", request.method, request.url.path, exc)
        return JSONBytes({"detail": UNAVAILABLE, "field": None}, status_code=503,
                         headers={"retry-after": STORE_RETRY_SECONDS})

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        s = request.app.state.settings
        seconds = retry_after_header(exc.retry_after)
        detail = TOO_MANY.format(burst=s.create_burst, rate=s.create_rate_per_minute, seconds=seconds)
        return JSONBytes({"detail": detail, "field": None}, status_code=429, headers={"retry-after": seconds})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        # Sent from outside every middleware (Starlette's ServerErrorMiddleware): it brings its own headers.
        return JSONBytes({"detail": "Something went wrong on the server; the error was logged. Please try "
                                    "again, and report it if it keeps happening.", "field": None},
                         status_code=500, headers=SECURITY_HEADERS_BY_NAME)
