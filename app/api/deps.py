"""Annotated dependencies: the settings and the session store, from the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from ..config import AppSettings
from ..sessions import SessionStore


async def get_app_settings(request: Request) -> AppSettings:
    return request.app.state.settings


async def get_store(request: Request) -> SessionStore:
    return request.app.state.store


MAX_ID_LENGTH = 64  # a session id's length, at most

SettingsDep = Annotated[AppSettings, Depends(get_app_settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
NetworkId = Annotated[str, Path(description="The network's id, as returned when it was created or imported.",
                                 min_length=1, max_length=MAX_ID_LENGTH)]
