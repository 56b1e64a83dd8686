"""The input-feature toggles on the page (feature-toggles.js): ticking one rebuilds the network with one
more input unit and asks the server for it, the choice lives in the URL hash, and each input unit is
drawn with its feature's map and label."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_i18n import wait_kept
from tests.browser.test_page import download_export, nodes_per_layer, open_page

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4&act=tanh&lr=0.03&batch=10"


def input_labels(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('text.nv-unit-label')].map((t) => t.textContent)"
                         ".filter((s) => !s.startsWith('y'))")


def test_ticking_a_feature_adds_an_input_unit_and_asks_the_server_for_it(page: Page, server_url, shot) -> None:
    open_page(page, server_url, XOR)
    expect(page.locator("#feature-x1")).to_be_checked()
    expect(page.locator("#feature-x2")).to_be_checked()
    expect(page.locator("#feature-x1_squared")).not_to_be_checked()
    assert nodes_per_layer(page)[0] == 2

    with page.expect_request(lambda r: r.url.endswith("/api/v1/networks") and r.method == "POST") as sent:
        page.check("#feature-x1_squared")
    body = json.loads(sent.value.post_data)
    assert body["input_features"] == ["x1", "x2", "x1_squared"] and body["layer_sizes"][0] == 3
    page.wait_for_function("() => document.querySelectorAll(\"g.nv-node[data-layer='0']\").length === 3")
    page.wait_for_function("() => location.hash.includes('feat=x1,x2,x1_squared')")
    assert input_labels(page) == ["x₁", "x₂", "x₁²"]
    expect(page.locator("#feature-x1_squared")).to_be_checked()
    shot("features-ticked")

    with page.expect_request(lambda r: r.url.endswith("/api/v1/networks") and r.method == "POST") as again:
        page.uncheck("#feature-x1")
    assert json.loads(again.value.post_data)["input_features"] == ["x2", "x1_squared"]
    page.wait_for_function("() => location.hash.includes('feat=x2,x1_squared')")


def test_the_last_feature_cannot_be_cleared(page: Page, server_url) -> None:
    open_page(page, server_url, XOR + "&feat=sin_x1")
    assert nodes_per_layer(page)[0] == 1
    page.click("#feature-sin_x1")  # the one input unit: the box stays ticked
    expect(page.locator("#feature-sin_x1")).to_be_checked()
    assert "feat=sin_x1" in page.evaluate("location.hash")


def test_a_link_with_features_builds_that_network_and_the_raw_inputs_have_no_key(page: Page, server_url) -> None:
    open_page(page, server_url, XOR + "&feat=x1_squared,x2_squared,x1_x2,sin_x2")
    assert nodes_per_layer(page)[0] == 4
    assert input_labels(page) == ["x₁²", "x₂²", "x₁x₂", "sin x₂"]
    for name, on in [("x1", False), ("x1_squared", True), ("x1_x2", True), ("sin_x1", False), ("sin_x2", True)]:
        assert page.locator(f"#feature-{name}").is_checked() is on, name
    page.check("#feature-x1")
    page.wait_for_function("() => location.hash.includes('feat=x1,x1_squared')")
    page.evaluate(f"location.hash = '{XOR}&feat=x1,x2'")  # exactly the raw inputs: the plain network
    page.wait_for_function("() => document.querySelectorAll(\"g.nv-node[data-layer='0']\").length === 2")
    page.wait_for_function("() => location.hash.includes('seed=') && !location.hash.includes('feat=')")
    assert input_labels(page) == ["x₁", "x₂"]


def test_each_input_unit_is_drawn_with_its_features_map(page: Page, server_url, shot) -> None:
    open_page(page, server_url, XOR + "&feat=x1,x1_x2,sin_x2")
    visible = "g.nv-node[data-layer='0'] foreignObject.nv-map[visibility='visible']"
    page.wait_for_function(f"() => document.querySelectorAll(\"{visible}\").length === 3")
    # Each map is painted: its canvas is the boundary's size and not one flat colour.
    spreads = page.evaluate("""() => [...document.querySelectorAll("g.nv-node[data-layer='0'] canvas")].map((c) => {
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let lo = 255, hi = 0;
        for (let i = 0; i < px.length; i += 4) { lo = Math.min(lo, px[i]); hi = Math.max(hi, px[i]); }
        return [c.width, hi - lo];
    })""")
    assert all(width > 1 and spread > 40 for width, spread in spreads), spreads
    shot("features-maps")


def test_a_one_input_set_offers_x_x_squared_and_sin_x(page: Page, server_url) -> None:
    open_page(page, server_url, "#data=sine&hidden=4&wseed=3&seed=2")
    labels = page.locator("#features .feature-label").all_inner_texts()
    assert labels == ["x", "x²", "sin x"]
    page.check("#feature-sin_x1")
    page.wait_for_function("() => location.hash.includes('feat=x1,sin_x1')")
    page.wait_for_function("() => document.querySelectorAll(\"g.nv-node[data-layer='0']\").length === 2")
    expect(page.locator("#panel-fit")).to_be_visible()  # the fitted curve still draws over the raw x


def test_a_network_with_features_exports_as_format_2_restores_and_imports(page: Page, server_url, tmp_path) -> None:
    open_page(page, server_url, XOR + "&feat=x1,x2,x1_x2")
    page.click("#whole-step")
    page.wait_for_function("() => document.querySelector('#step-count').textContent === '1'")
    exported = download_export(page, tmp_path / "features.json")
    assert exported["format"] == "backprop-playground/2" and exported["spec"]["input_features"] == ["x1", "x2", "x1_x2"]
    wait_kept(page)
    page.reload()  # the browser's copy (format 2) brings the network back
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_function("() => document.querySelector('#step-count')?.textContent === '1'")
    expect(page.locator("#notice")).to_contain_text("Restored")
    assert nodes_per_layer(page)[0] == 3
    page.click("#reset")
    page.wait_for_function("() => document.querySelector('#step-count').textContent === '0'")
    page.set_input_files("#import-file", str(tmp_path / "features.json"))
    page.wait_for_function("() => document.querySelector('#step-count').textContent === '1'")
    expect(page.locator("#notice")).to_contain_text("Imported")
    expect(page.locator("#feature-x1_x2")).to_be_checked()
