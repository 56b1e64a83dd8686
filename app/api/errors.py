"""The HTTP error mapping: every failure becomes a 4xx (or, never expected, a 500) whose body is an
ErrorBody: a stable `code` with its `params`, a plain `detail` and the `field` at fault."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..nn import EngineError
from ..nn.history import StepNotKept
from ..schemas import ERROR_CODES
from ..sessions import SessionBusy, SessionConflict, SessionNotFound, StoreUnavailable
from .encoding import JSONBytes, dumps
from .limits import LimitExceeded
from .middleware.security_headers import SECURITY_HEADERS_BY_NAME
from .ratelimit import RateLimited, retry_after_header

log = logging.getLogger("backprop_playground")

BUSY = ("This network is busy with another request (a long training run, perhaps); try again in a "
        "moment.")
CHANGED = ("This network changed in the session store since this server loaded it (the store lost recent "
           "data, and another request saved it since): nothing was saved. Try again: it is reloaded.")
UNAVAILABLE = ("The session store cannot be reached just now, so networks cannot be loaded or saved: "
               "sessions are unavailable, try again shortly.")
TOO_MANY = ("Too many networks created from your address: {burst} at once, then {rate:g} a minute. "
            "Try again in {seconds} s (see Retry-After), or keep using the networks you have.")
STORE_RETRY_SECONDS = 5
INTERNAL = ("Something went wrong on the server; the error was logged. Please try again, and report it if it "
            "keeps happening.")

EXPIRED = ("No network with this id. It may have expired (networks idle for {minutes} minutes are "
           "removed) or been deleted: create a new one, or import a saved export.")
REMOVED_FOR_ROOM = ("No network with this id any more: it was removed to make room for newer networks (this "
                    "server keeps {mib} MiB of them, and the least recently used go first). Create a new one, "
                    "or import a saved export.")

HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}  # Starlette's own refusals


def error_body(code: str, detail: str, field: str | None = None, params: dict[str, Any] | None = None,
               **extra: Any) -> dict[str, Any]:
    """An ErrorBody as a dict; `code` must be one of ERROR_CODES."""
    assert code in ERROR_CODES, code
    params = {k: float(v) if isinstance(v, int) and abs(v) >= 2**63 else v for k, v in (params or {}).items()}
    return {"code": code, "detail": detail, "field": field, "params": params, **extra}


def error_json(code: str, detail: str, field: str | None = None, params: dict[str, Any] | None = None) -> bytes:
    """The same body as JSON bytes (for middleware answering on their own)."""
    return dumps(error_body(code, detail, field, params))


def problem(status: int, code: str, detail: str, field: str | None = None, params: dict[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, **extra: Any) -> Response:
    return JSONBytes(error_body(code, detail, field, params, **extra), status_code=status, headers=headers)


def _where(loc: tuple[str | int, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    text = ""
    for p in parts:
        text += f"[{p}]" if p.isdigit() else (f".{p}" if text else p)
    return text or "body"


def not_json(problem_text: str) -> str:
    return f"The request body is not valid JSON: {problem_text}."


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
            text = exc.errors()[0].get("ctx", {}).get("error", "it could not be parsed")
            at = errors[0]["loc"][-1]
            where = f" (at character {at})" if isinstance(at, int) else ""
            return problem(422, "invalid_json", not_json(f"{text}{where}"), "body",
                           {"position": at} if isinstance(at, int) else {}, errors=errors)
        shown = errors[:3]
        sentence = "; ".join(f"{_where(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                             for e in shown)
        if len(errors) > 3:
            sentence += f"; and {len(errors) - 3} more problem(s)"
        first = _where(tuple(errors[0]["loc"])) if errors else None
        return problem(422, "invalid_value", f"Invalid request: {sentence}.", first, errors=errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI's 400: the body could not be read
            return problem(422, "invalid_json", not_json(_unreadable(exc.__cause__)), "body")
        code = HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
        params: dict[str, Any] = {}
        if exc.status_code == 405 and exc.headers and "Allow" in exc.headers:
            params["allowed"] = [m.strip() for m in exc.headers["Allow"].split(",")]
        return problem(exc.status_code, code, str(exc.detail), None, params, headers=exc.headers)

    @app.exception_handler(EngineError)  # the engine refuses the request
    async def refused(request: Request, exc: EngineError) -> Response:
        return problem(422, "invalid_value", exc.message, exc.field)

    @app.exception_handler(LimitExceeded)  # the request is over one of this server's limits
    async def over_limit(request: Request, exc: LimitExceeded) -> Response:
        return problem(422, exc.code, exc.message, exc.field, exc.params)

    @app.exception_handler(SessionNotFound)
    async def not_found(request: Request, exc: SessionNotFound) -> Response:
        settings = request.app.state.settings
        minutes = max(1, settings.session_ttl_seconds // 60)
        if exc.removed_for_room:
            mib = f"{settings.store_max_bytes / (1 << 20):.4g}"
            return problem(404, "network_not_found", REMOVED_FOR_ROOM.format(mib=mib), "network_id",
                           {"idle_minutes": minutes, "removed_for_room": True})
        return problem(404, "network_not_found", EXPIRED.format(minutes=minutes), "network_id",
                       {"idle_minutes": minutes})

    @app.exception_handler(StepNotKept)
    async def step_not_kept(request: Request, exc: StepNotKept) -> Response:
        return problem(404, "step_not_kept", exc.message, "step", {"step": exc.step, "applied": exc.current})

    @app.exception_handler(SessionBusy)
    async def busy(request: Request, exc: SessionBusy) -> Response:
        return problem(409, "network_busy", CHANGED if isinstance(exc, SessionConflict) else BUSY, "network_id")

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> Response:
        log.warning("session store unavailable on %s %s: %s", request.method, request.url.path, exc)
        return problem(503, "store_unavailable", UNAVAILABLE, None, {"retry_after": STORE_RETRY_SECONDS},
                       headers={"retry-after": str(STORE_RETRY_SECONDS)})

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        s = request.app.state.settings
        seconds = retry_after_header(exc.retry_after)
        detail = TOO_MANY.format(burst=s.create_burst, rate=s.create_rate_per_minute, seconds=seconds)
        return problem(429, "rate_limited", detail, None, {"retry_after": int(seconds), "burst": s.create_burst,
                                                           "rate_per_minute": s.create_rate_per_minute},
                       headers={"retry-after": seconds})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        # Sent from outside every middleware (Starlette's ServerErrorMiddleware): it brings its own headers.
        return problem(500, "internal_error", INTERNAL, headers=SECURITY_HEADERS_BY_NAME)
