"""What the SQLite and Redis stores' bounds in bytes share (sqlite_room.py, redis_scripts.py)."""

from __future__ import annotations

import pytest

from app.sessions import SessionNotFound

from .conftest import StoreMaker, typical_trainer


def test_a_network_removed_to_make_room_while_open_saves_nothing_and_says_why(shared_store: StoreMaker):
    store = shared_store(max_bytes=1)  # room for the newest network only
    sid = store.create(typical_trainer())
    with pytest.raises(SessionNotFound) as gone, store.open(sid) as trainer:
        other = store.create(typical_trainer())  # removes the open one to make room
        trainer.step()
    assert gone.value.removed_for_room
    with store.open(other) as trainer:
        assert trainer.step_count == 0
