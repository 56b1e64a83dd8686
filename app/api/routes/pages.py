"""The playground page, the race and lesson page, and the offline API docs (no CDN, no inline scripts)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[3] / "templates"))

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "index.html")


@router.get("/race", response_class=HTMLResponse)
def race(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "race.html")


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})
