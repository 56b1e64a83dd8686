"""The output panel's two new views (charts/boundary.js): the output as classes ("discretize
output", charts/discretize.js), and a unit's own map drawn large while the unit is pointed at or
focused (render/network-maps.js followUnit)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"

# The share of the heatmap's pixels that have exactly one of the two class colours.
CLASS_SHARE = """async () => {
    const { diverging } = await import("/static/js/colours.js");
    const canvas = document.querySelector("#boundary canvas");
    const ctx = canvas.getContext("2d");
    const ends = [diverging(-0.85), diverging(0.85)].map((c) => c.join(","));
    const axis = 18 * (window.devicePixelRatio || 1);  // the heatmap starts right of the axis labels
    const size = canvas.width - axis;
    const data = ctx.getImageData(axis, 0, size, size).data;
    let hits = 0;
    for (let k = 0; k < data.length; k += 4) if (ends.includes(`${data[k]},${data[k + 1]},${data[k + 2]}`)) hits += 1;
    return hits / (data.length / 4);
}"""


def open_page(page: Page, server_url: str, hash_: str = XOR) -> None:
    page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready=true]")
    page.wait_for_selector("#boundary canvas[data-drawn-step='0']")


def test_discretize_draws_the_output_as_its_two_classes(page: Page, server_url: str, shot) -> None:
    open_page(page, server_url, XOR + "&samples=60")  # few samples over the picture
    smooth = page.evaluate(CLASS_SHARE)
    page.check("#boundary-discretize")
    expect(page.locator("#boundary canvas")).to_have_attribute("data-discrete", "true")
    classes = page.evaluate(CLASS_SHARE)
    assert smooth < 0.05 < 0.6 < classes  # nearly every pixel but the samples' and the edge's
    shot("boundary-discretized")
    page.uncheck("#boundary-discretize")
    expect(page.locator("#boundary canvas")).to_have_attribute("data-discrete", "false")
    assert page.evaluate(CLASS_SHARE) == smooth


def test_a_regression_has_no_classes_to_discretize(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=plane&seed=3&wseed=4&hidden=3")
    expect(page.locator("#boundary-discretize")).to_be_disabled()


def test_pointing_at_a_unit_shows_its_map_large_and_leaving_shows_the_output(page: Page, server_url: str, shot) -> None:
    open_page(page, server_url)
    canvas = page.locator("#boundary canvas")
    expect(canvas).to_have_attribute("data-shows", "output")
    output = canvas.evaluate("(c) => c.toDataURL()")
    page.hover('g.nv-node[data-layer="1"][data-unit="2"]')
    expect(canvas).to_have_attribute("data-shows", "1,2")
    expect(page.locator("#boundary-caption")).to_contain_text("hidden layer 1 · unit 3")
    expect(canvas).to_have_attribute("aria-label", "The map of hidden layer 1 · unit 3 over the input plane at step 0")
    assert canvas.evaluate("(c) => c.toDataURL()") != output
    shot("boundary-unit-map")
    page.hover('g.nv-node[data-layer="2"][data-unit="1"]')
    expect(canvas).to_have_attribute("data-shows", "2,1")
    page.mouse.move(2, 2)  # off the picture
    expect(canvas).to_have_attribute("data-shows", "output")
    assert canvas.evaluate("(c) => c.toDataURL()") == output


def test_a_unit_focused_from_the_keyboard_shows_its_map(page: Page, server_url: str) -> None:
    open_page(page, server_url)
    canvas = page.locator("#boundary canvas")
    page.focus('g.nv-node[data-layer="0"][data-unit="0"]')
    page.keyboard.press("ArrowRight")  # a weight: the output again
    expect(canvas).to_have_attribute("data-shows", "output")
    page.focus('g.nv-node[data-layer="3"][data-unit="0"]')  # the output unit: its own map
    expect(canvas).to_have_attribute("data-shows", "3,0")
    page.focus("#play")  # out of the picture
    expect(canvas).to_have_attribute("data-shows", "output")
