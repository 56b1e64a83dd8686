"""What only the SQLite store does: a database or folder it cannot use is StoreUnavailable (a 503),
never a raw sqlite3 or OS error."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from app.config import AppSettings
from app.main import create_app
from app.sessions import StoreUnavailable
from app.sessions.sqlite import FILE_NAME, SQLiteStore

from .conftest import typical_trainer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

API = "/api/v1"
SMALL = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 5}}


def test_a_data_folder_that_cannot_be_made_is_unavailable(tmp_path: Path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    store = SQLiteStore.in_dir(blocked / "data", 100, 3600)

    with pytest.raises(StoreUnavailable, match="folder failed") as caught:
        store.create(typical_trainer())

    assert isinstance(caught.value.__cause__, OSError)
    store.close()


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not an SQLite database" * 100)
    store = SQLiteStore.in_dir(tmp_path, 100, 3600)

    with pytest.raises(StoreUnavailable, match="database failed") as caught:
        store.create(typical_trainer())

    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    store.close()


def test_an_unusable_database_answers_a_clear_503_on_every_path(tmp_path: Path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not an SQLite database" * 100)
    settings = AppSettings(create_rate_per_minute=0, data_dir=tmp_path)
    step = f"{API}/networks/some-network-id/step"

    with TestClient(create_app(settings)) as client:
        answers = [client.post(f"{API}/networks", json=SMALL),
                   client.post(step),  # body-less: the fast path
                   client.post(f"{step}?precision=compact"),
                   client.post(step, json={}),  # a body: the route
                   client.get(f"{API}/networks/some-network-id")]

    for response in answers:
        assert response.status_code == 503, response.text
        assert "sessions are unavailable" in response.json()["detail"]
        assert response.headers["retry-after"] == "5"
        assert response.headers["x-content-type-options"] == "nosniff"
