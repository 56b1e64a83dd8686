"""AppSettings: the settings in bytes take a number or a binary unit, from the environment as from code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.config import AppSettings


@pytest.mark.parametrize(("text", "value"), [("4194304", 4 << 20), ("4MiB", 4 << 20), ("512 MiB", 512 << 20),
                                             ("2GiB", 2 << 30), ("16m", 16 << 20), ("64KiB", 64 << 10)])
def test_a_size_in_bytes_may_be_written_with_a_unit(monkeypatch, text, value):
    monkeypatch.setenv("BACKPROP_MAX_NETWORK_BYTES", text)
    monkeypatch.setenv("BACKPROP_SESSION_CACHE_BYTES", text)
    settings = AppSettings()
    assert settings.max_network_bytes == settings.session_cache_bytes == value
    assert AppSettings(max_answer_bytes=text).max_answer_bytes == value


@pytest.mark.parametrize("text", ["4 parsecs", "MiB", "-4MiB", "4.5MiB"])
def test_anything_else_is_refused_with_an_example(text):
    with pytest.raises(ValidationError, match="16MiB"):
        AppSettings(max_answer_bytes=text)


def test_the_defaults_keep_four_workers_within_two_gib_as_measured():
    """bench.load's oversize phase measured a worker at 80 MiB at start; the cache and a few answers in
    flight come on top (README, serving): the defaults must leave that room."""
    s = AppSettings()
    assert 4 * (80 * 2**20 + s.session_cache_bytes + 4 * s.max_answer_bytes) <= 2 * 2**30
    assert s.max_network_bytes <= s.session_cache_bytes // 8  # a cache holds several of the largest
