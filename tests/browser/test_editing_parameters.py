"""Setting a weight or a bias by hand on the page (param-editor.js): the inspector's field sends
PATCH /networks/{id} with `parameters`, the page redraws from the answer, the next step starts from
the new value, Escape puts the value back, Reset returns to the initial weights; all of it from the
keyboard too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10&opt=momentum&mom=0.9"


def _is(method: str, tail: str):
    return lambda r: r.request.method == method and r.url.split("?")[0].endswith(tail)


def open_page(page: Page, server_url: str) -> dict[str, Any]:
    with page.expect_response(_is("POST", "/api/v1/networks")) as info:
        page.goto(f"{server_url}/{XOR}")
    page.wait_for_selector("html[data-ready=true]")
    page.wait_for_selector("g.nv-node")
    return info.value.json()


def inspector_value(page: Page, quantity: str) -> float:
    return float(page.get_attribute(f'#inspector [data-scope="batch"][data-quantity="{quantity}"]', "data-value"))


def click_link(page: Page, layer: int, i: int, j: int) -> None:
    """Click weights[layer][i][j] as a person does: on its line, a third of the way from its source."""
    x, y = page.evaluate("""([l, i, j]) => {
        const line = document.querySelector(`line.nv-link[data-layer="${l}"][data-from="${i}"][data-to="${j}"]`);
        const m = line.getScreenCTM();
        const at = (k) => new DOMPoint(+line.getAttribute(`x${k}`), +line.getAttribute(`y${k}`)).matrixTransform(m);
        const [a, b] = [at(1), at(2)];
        return [a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3];
    }""", [layer, i, j])
    page.mouse.click(x, y)


def wait_for(page: Page, value: float, where: str) -> None:
    """Until the inspector's `where` (a batch quantity, or "field" for the value field) reads `value`."""
    page.wait_for_function("""([where, value]) => {
        const e = where === "field" ? document.querySelector("#nv-edit-value")
          : document.querySelector(`#inspector [data-scope="batch"][data-quantity="${where}"]`);
        return Number(where === "field" ? e?.value : e?.dataset.value) === value;
    }""", arg=[where, value])


def set_value(page: Page, text: str) -> dict[str, Any]:
    """Type `text` into the field and press Enter; answer the PATCH's body and its answer."""
    page.fill("#nv-edit-value", text)
    with page.expect_response(_is("PATCH", "")) as info:
        page.press("#nv-edit-value", "Enter")
    return {"sent": json.loads(info.value.request.post_data), "state": info.value.json()}


def test_a_clicked_weight_is_set_and_the_next_step_starts_from_it(page: Page, server_url: str, shot) -> None:
    state = open_page(page, server_url)
    page.click("#whole-step")  # some momentum to keep
    expect(page.locator("#step-count")).to_have_text("1")
    click_link(page, 1, 2, 1)  # (a mark drawn under the pointer once took this click: no longer)
    expect(page.locator("#inspector .nv-inspector-sub")).to_have_text("weights[1][2][1]")
    field = page.locator("#nv-edit-value")
    expect(field).to_be_visible()
    with page.expect_response(_is("GET", "/networks/" + state["id"])) as now:
        page.evaluate("(id) => fetch(`/api/v1/networks/${id}`)", state["id"])
    before = now.value.json()
    assert float(field.input_value()) == before["weights"][1][2][1]  # the network's value now

    answer = set_value(page, "2.5")

    assert answer["sent"] == {"parameters": [{"layer": 1, "kind": "weight", "index": [2, 1], "value": 2.5}]}
    assert answer["state"]["weights"][1][2][1] == 2.5
    assert answer["state"]["optimizer_state"] == before["optimizer_state"]  # the momentum is kept
    expect(page.locator("#notice")).to_contain_text("2.5")
    # Redrawn from the answer: the inspector's w and the link's drawing say 2.5 now.
    wait_for(page, 2.5, "w")
    width = float(page.get_attribute('line.nv-link[data-layer="1"][data-from="2"][data-to="1"]', "stroke-width"))
    assert width >= max(float(w) for w in page.eval_on_selector_all(
        "line.nv-link", "(ls) => ls.map((l) => l.getAttribute('stroke-width'))"))
    shot("param-editor-set")

    # The next step starts from it: its update shows old = 2.5.
    page.click("#whole-step")
    expect(page.locator("#step-count")).to_have_text("2")
    page.wait_for_selector('#inspector [data-quantity="w_old"]')
    assert inspector_value(page, "w_old") == 2.5

    # Reset returns to the initial weights, whatever was set since.
    with page.expect_response(_is("POST", "/reset")):
        page.click("#reset")
    wait_for(page, state["weights"][1][2][1], "field")


def test_escape_puts_the_value_back_and_a_bad_value_is_explained(page: Page, server_url: str, problems) -> None:
    problems.allow("422")  # the refused 1e300, on purpose
    state = open_page(page, server_url)
    page.locator('g.nv-node[data-layer="2"][data-unit="0"]').click()  # the bias of h2.1
    field = page.locator("#nv-edit-value")
    expect(field).to_be_visible()
    value = field.input_value()
    assert float(value) == state["biases"][1][0]
    expect(page.locator(".nv-edit label")).to_have_text("Set b now")

    field.fill("7")
    field.press("Escape")
    expect(field).to_have_value(value)
    expect(page.locator(".nv-inspector:not(.nv-empty)")).to_be_visible()  # Escape did not unpin

    field.fill("seven")
    field.press("Enter")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#nv-edit-hint")).to_have_text("Type a number, e.g. −0.5 or 1e-3.")
    field.fill("1e300")  # over the server's ±max_abs_value: its 422, in the learner's words
    field.press("Enter")
    expect(page.locator("#nv-edit-hint")).to_have_text("The value must lie within ±1,000,000.")
    field.fill("0.5")  # typing clears the mark
    expect(field).to_have_attribute("aria-invalid", "false")

    answer = set_value(page, "−0.75")
    assert answer["sent"]["parameters"] == [{"layer": 1, "kind": "bias", "index": [0], "value": -0.75}]
    wait_for(page, -0.75, "b")


def test_the_keyboard_reaches_the_field(page: Page, server_url: str) -> None:
    open_page(page, server_url)
    page.focus('g.nv-node[data-layer="1"][data-unit="0"]')
    page.keyboard.press("ArrowRight")  # onto one of h1.1's outgoing weights
    page.keyboard.press("Enter")  # pin it
    ref = page.evaluate("() => ['layer', 'from', 'to'].map((k) => document.activeElement.dataset[k])")
    assert ref[0] == "1" and ref[1] == "0"
    for _ in range(6):  # Tab out of the picture into the inspector: the full-precision switch, then the field
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.id") == "nv-edit-value":
            break
    assert page.evaluate("() => document.activeElement?.id") == "nv-edit-value"
    page.keyboard.press("Control+A")
    page.keyboard.type("0.125")
    with page.expect_response(_is("PATCH", "")) as info:
        page.keyboard.press("Enter")
    sent = json.loads(info.value.request.post_data)["parameters"][0]
    assert (sent["layer"], sent["kind"], sent["index"][0], sent["value"]) == (1, "weight", 0, 0.125)
    assert info.value.json()["weights"][1][0][sent["index"][1]] == 0.125


def test_the_field_reads_in_japanese(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/?lang=ja{XOR}")
    page.wait_for_selector("html[data-ready=true][lang=ja]")
    page.locator('g.nv-node[data-layer="1"][data-unit="1"]').click()
    expect(page.locator(".nv-edit label")).to_have_text("いまの b を設定")
    page.fill("#nv-edit-value", "x")
    page.press("#nv-edit-value", "Enter")
    expect(page.locator("#nv-edit-hint")).to_have_text("数値を入力してください（例: −0.5、1e-3）。")
