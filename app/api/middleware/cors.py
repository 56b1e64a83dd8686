"""Cross-origin use by other tools: Starlette's CORS middleware for the configured origins only."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

METHODS = ["GET", "POST", "PATCH", "DELETE"]
HEADERS = ["content-type"]


def allow_origins(app: FastAPI, origins: list[str]) -> None:
    """Let pages at `origins` call the API; without origins, same-origin only (no CORS headers)."""
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=METHODS, allow_headers=HEADERS)
