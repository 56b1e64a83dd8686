"""The shared table of last-saved versions: it vouches only for the exact key and version written
last, across mappings of one file (one per worker process), and a torn slot vouches for nothing."""

from __future__ import annotations

import struct
from pathlib import Path

from app.sessions.version_table import _SLOT, _SLOTS, VersionTable


def test_a_new_table_vouches_for_nothing(tmp_path: Path):
    table = VersionTable(tmp_path / "versions")

    assert table.current(12345, 0) is None
    assert table.current(0, 0) is None  # zero-filled slots never match, not even key 0
    table.close()


def test_it_vouches_for_the_version_saved_last_and_no_other(tmp_path: Path):
    table = VersionTable(tmp_path / "versions")

    table.saving(777, 5, 1_000_000.25)

    assert table.current(777, 5) == 1_000_000.25
    assert table.current(777, 4) is None
    assert table.current(777, 6) is None
    table.saving(777, 6, 1_000_001.0)
    assert table.current(777, 5) is None and table.current(777, 6) == 1_000_001.0
    table.close()


def test_every_mapping_of_the_file_sees_a_save_at_once(tmp_path: Path):
    mine, theirs = VersionTable(tmp_path / "versions"), VersionTable(tmp_path / "versions")

    theirs.saving(42, 9, 5.0)

    assert mine.current(42, 9) == 5.0
    mine.close()
    theirs.close()


def test_a_session_sharing_the_slot_takes_it_over(tmp_path: Path):
    table = VersionTable(tmp_path / "versions")
    other = 42 + _SLOTS  # the same slot

    table.saving(42, 3, 1.0)
    table.saving(other, 3, 1.0)

    assert table.current(42, 3) is None
    assert table.current(other, 3) == 1.0
    table.close()


def test_a_slot_mixed_from_two_writes_vouches_for_nothing(tmp_path: Path):
    table = VersionTable(tmp_path / "versions")
    table.saving(42, 3, 1.0)
    first = table._map[42 * _SLOT.size:43 * _SLOT.size]
    table.saving(42 + _SLOTS, 8, 2.0)

    # Another session's writer tore this slot: the key and version of the first write, the rest of
    # the second.
    table._map[42 * _SLOT.size:42 * _SLOT.size + 16] = first[:16]

    assert struct.unpack_from("<Qq", table._map, 42 * _SLOT.size) == (42, 3)
    assert table.current(42, 3) is None
    table.close()
