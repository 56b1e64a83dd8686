"""static/js/rewind.js: Rewind puts back exactly the state it kept, bit for bit (the kept export goes
through JSON in the browser and POST /networks/import, which takes any finite float64), and a
banner over exploded weights says that a smaller learning rate alone cannot help."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# A small regression with momentum: after a few steps by hand every weight and velocity is a float
# with all its bits in use. With η = 1e5 the output weights then grow geometrically and overflow.
MOMENTUM = "#data=sine&seed=2&wseed=4&hidden=3&act=tanh&out=linear&loss=mse&lr=0.01&opt=momentum&batch=10"
STATE = ("spec", "weights", "biases", "step", "epoch", "epoch_position", "n_train", "n_test", "optimizer_state",
         "initial_weights", "initial_biases", "data")


def open_page(page: Page, server_url: str, hash_: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")


def bits(value: Any) -> Any:
    """The document with every number as the 64 bits of its float64 (1 and 1.0 alike, −0.0 not 0.0)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return struct.pack("<d", float(value)).hex()
    if isinstance(value, list):
        return [bits(v) for v in value]
    return {k: bits(v) for k, v in value.items()}


def server_export(page: Page) -> dict[str, Any]:
    """What the server holds now, as the Export button downloads it (GET /export)."""
    with page.expect_download() as download:
        page.click("#export")
    with open(download.value.path(), encoding="utf-8") as f:
        return json.load(f)


def whole_step(page: Page) -> None:
    page.click("#whole-step")
    page.wait_for_function("() => !document.querySelector('#whole-step').disabled")


def test_rewind_restores_the_kept_state_bit_for_bit(page: Page, server_url: str) -> None:
    open_page(page, server_url, MOMENTUM)
    for _ in range(4):
        whole_step(page)
    page.fill("#ctl-lr", "100000")
    page.press("#ctl-lr", "Enter")
    expect(page.locator("#notice")).to_contain_text("earning rate")
    before_play = server_export(page)
    assert before_play["step"] == 4 and before_play["spec"]["optimizer"]["learning_rate"] == 100000
    velocity = before_play["optimizer_state"]["slots"]["v"]["weights"]
    assert any(v != 0 for layer in velocity for row in layer for v in row)

    imports: list[dict[str, Any]] = []
    page.on("request", lambda r: imports.append(r.post_data_json) if r.url.endswith("/networks/import") else None)
    page.click("#play")
    banner = page.locator("#banner")
    expect(banner).to_be_visible(timeout=30_000)
    expect(banner).to_contain_text("a smaller learning rate alone cannot help")
    page.click("#banner #rewind")
    expect(page.locator("#notice")).to_contain_text("Rewound")
    after = server_export(page)

    [kept] = imports  # the export Rewind kept when Play was pressed, as it went to the server
    for key in STATE:
        assert bits(kept.get(key)) == bits(before_play.get(key)), key
        assert bits(after.get(key)) == bits(before_play.get(key)), key
