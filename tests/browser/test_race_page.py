"""The race page in a real browser: the optimizer race, the vanishing and exploding lessons and the
two-weight loss surface, against the API's own answers; and the page on every screen of issue 13."""

from __future__ import annotations

import json
import urllib.request

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_screens import LANGS, SCREENS, assert_fits

pytestmark = pytest.mark.browser


def get(server_url: str, path: str) -> dict:
    with urllib.request.urlopen(f"{server_url}/api/v1{path}", timeout=10) as answer:
        return json.loads(answer.read())


def open_view(page: Page, server_url: str, hash_: str) -> None:
    page.goto(f"{server_url}/race{hash_}")
    page.wait_for_selector("html[data-ready='true']")


def play_until(page: Page, condition: str) -> None:
    page.click("#race-play")
    expect(page.locator("#race-play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(condition, timeout=60_000)
    page.click("#race-play")
    expect(page.locator("#race-play")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#race-play")).to_have_attribute("data-busy", "false")  # the last call has landed


def test_five_racers_start_at_their_own_defaults_and_race_in_lockstep(page: Page, server_url: str, options) -> None:
    open_view(page, server_url, "#view=race&adam.lr=0.01")
    lanes = page.locator(".lane")
    expect(lanes).to_have_count(5)
    for lane, optimizer in zip(lanes.all(), options["optimizers"], strict=True):
        state = get(server_url, f"/networks/{lane.get_attribute('data-network')}")
        own = {"learning_rate": optimizer["learning_rate"], **optimizer["hyperparameters"]}
        if optimizer["name"] == "adam":
            own["learning_rate"] = 0.01  # from the hash
        fields = {i.get_attribute("data-key"): float(i.input_value()) for i in lane.locator(".racer-input").all()}
        assert fields == own
        assert state["spec"]["optimizer"]["name"] == optimizer["name"]
        assert state["spec"]["optimizer"]["learning_rate"] == own["learning_rate"]
    play_until(page, "() => [...document.querySelectorAll('.lane')].every((l) => Number(l.dataset.step) >= 30)")
    # Lockstep: once the call in flight has landed, every racer is at the same step (read at one moment).
    page.wait_for_function("() => new Set([...document.querySelectorAll('.lane')].map((l) => l.dataset.step)).size "
                           "=== 1")
    expect(page.locator(".race-loss .gradient-legend li")).to_have_count(5)
    page.screenshot(path="/tmp/race-page-race.png")


def test_a_racers_changed_setting_reaches_its_network_and_the_link(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=race")
    momentum = page.locator(".lane").nth(1)
    field = momentum.locator(".racer-input[data-key='momentum']")
    field.fill("0.5")
    field.press("Enter")
    page.wait_for_function("() => location.hash.includes('momentum.momentum=0.5')")
    state = get(server_url, f"/networks/{momentum.get_attribute('data-network')}")
    assert state["spec"]["optimizer"]["momentum"] == 0.5
    field.fill("1.5")  # outside [0, 1): refused here, before any request
    field.press("Enter")
    expect(field).to_have_attribute("aria-invalid", "true")


def test_the_vanishing_lesson_shows_sigmoids_first_layer_fading(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=vanishing")
    lanes = page.locator(".lane")
    expect(lanes).to_have_count(3)
    page.wait_for_function("() => [...document.querySelectorAll('.lane')].every((l) => l.dataset.step === '1')")
    ratios = []
    for lane, activation in zip(lanes.all(), ["sigmoid", "relu", "leaky_relu"], strict=True):
        state = get(server_url, f"/networks/{lane.get_attribute('data-network')}")
        assert state["spec"]["activation"] == activation
        assert state["spec"]["layer_sizes"] == [2, 6, 6, 6, 6, 6, 6, 1]
        chart = lane.locator(".gradient-canvas")
        expect(chart).to_have_attribute("data-layers", "7")
        norms = [v for _, v in json.loads(chart.get_attribute("data-latest") or "[]")]
        ratios.append(norms[0] / norms[-1])
    assert ratios[0] < 0.01 < min(ratios[1:])  # sigmoid's W1 gets under 1 % of W7's gradient; ReLU's does not
    play_until(page, "() => Number(document.querySelector('.lane').dataset.step) >= 40")
    page.screenshot(path="/tmp/race-page-vanishing.png")


def test_the_exploding_lesson_starts_from_the_same_weights_scaled(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=exploding")
    lanes = page.locator(".lane")
    expect(lanes).to_have_count(3)
    exports = [get(server_url, f"/networks/{lane.get_attribute('data-network')}/export") for lane in lanes.all()]
    base = [np.array(w) for w in exports[0]["initial_weights"]]
    for scale, doc in zip([1, 2, 3], exports, strict=True):
        assert all(np.array_equal(np.array(w), scale * b) for w, b in zip(doc["initial_weights"], base, strict=True))
    play_until(page, "() => Number(document.querySelector('.lane').dataset.step) >= 40")
    page.screenshot(path="/tmp/race-page-exploding.png")


def test_the_loss_surface_draws_each_path_and_a_click_starts_there(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=surface&surface=valley")
    plot = page.locator(".contour-canvas")
    expect(plot).to_have_attribute("data-drawn-step", "0")
    expect(page.locator("[data-surface='valley']")).to_have_attribute("aria-pressed", "true")
    play_until(page, "() => Number(document.querySelector('.contour-canvas').dataset.drawnStep) >= 20")
    ids = (plot.get_attribute("data-networks") or "").split(",")
    assert len(ids) == 5
    for network_id in ids:
        state = get(server_url, f"/networks/{network_id}")
        assert state["spec"]["layer_sizes"] == [2, 1] and state["step"] >= 20
    page.screenshot(path="/tmp/race-page-surface-valley.png")
    box = plot.bounding_box()
    assert box is not None
    # (w1, w2) = (1, 0.25) on the valley's window [-5, 3] × [-2, 1]
    plot.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    page.wait_for_function("() => location.hash.includes('start=')")
    page.wait_for_function(f"() => document.querySelector('.contour-canvas')?.dataset.networks?.split(',')[0] !== "
                           f"'{ids[0]}'")
    page.wait_for_selector("html[data-ready='true']")
    new_ids = (page.locator(".contour-canvas").get_attribute("data-networks") or "").split(",")
    doc = get(server_url, f"/networks/{new_ids[0]}/export")
    start = np.array(doc["initial_weights"][0]).ravel()
    assert np.allclose(start, [1.0, 0.25], atol=0.03)  # a pixel is 0.02 wide
    assert f"start={start[0]:.3f},{start[1]:.3f}" in page.evaluate("location.hash")
    page.click("[data-surface='bowl']")
    expect(page.locator("[data-surface='bowl']")).to_have_attribute("aria-pressed", "true")
    page.wait_for_selector("html[data-ready='true']")


def arrows_and_ends(page: Page) -> tuple[list, list, list[str]]:
    plot = page.locator(".contour-canvas")
    arrows = json.loads(plot.get_attribute("data-arrows") or "null")
    ends = json.loads(plot.get_attribute("data-ends") or "null")
    return arrows, ends, (plot.get_attribute("data-networks") or "").split(",")


def test_the_surface_arrow_is_each_optimizers_own_current_step(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=surface&surface=valley")
    play_until(page, "() => Number(document.querySelector('.contour-canvas').dataset.drawnStep) >= 6")
    arrows, ends, ids = arrows_and_ends(page)

    for arrow, end, network_id in zip(arrows, ends, ids, strict=True):
        state = get(server_url, f"/networks/{network_id}")
        opt, slots = state["spec"]["optimizer"], state["optimizer_state"]["slots"]
        assert end == pytest.approx(np.ravel(state["weights"][0]).tolist(), rel=1e-12)
        if opt["name"] == "momentum":  # its velocity: the arrow is −η v
            expected = -opt["learning_rate"] * np.ravel(slots["v"]["weights"][0])
        elif opt["name"] == "adam":  # its bias-corrected first moment: −η m̂
            t = state["optimizer_state"]["t"]
            expected = -opt["learning_rate"] * np.ravel(slots["m"]["weights"][0]) / (1 - opt["beta1"] ** t)
        else:  # its last update, as the kept step's trace says
            trace = get(server_url, f"/networks/{network_id}/steps/{state['step']}/trace")
            expected = np.ravel(trace["update"][0]["weight_deltas"])
        assert arrow == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-300)
    assert arrows[1] != pytest.approx(arrows[4], rel=0.01)  # momentum's and Adam's steps differ


def test_a_larger_networks_surface_over_random_directions_then_two_weights(page: Page, server_url: str) -> None:
    open_view(page, server_url, "#view=surface&surface=network&pseed=3")
    expect(page.locator("[data-surface='network']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".plane-kind")).to_have_value("random")
    expect(page.locator(".plane-seed")).to_have_value("3")
    _, ends, ids = arrows_and_ends(page)
    assert len(ids) == 5 and ends == [[0.0, 0.0]] * 5  # the plane goes through the racers' shared start
    play_until(page, "() => Number(document.querySelector('.contour-canvas').dataset.drawnStep) >= 20")
    arrows, ends, _ = arrows_and_ends(page)
    assert all(a is not None for a in arrows)
    for network_id in ids:
        state = get(server_url, f"/networks/{network_id}")
        assert state["spec"]["layer_sizes"] == [2, 8, 8, 8, 1] and state["step"] >= 20
    page.screenshot(path="/tmp/race-page-surface-network-random.png")

    def restarted(change, before: str) -> None:
        change()
        page.wait_for_function("(n) => document.querySelector('.contour-canvas')?.dataset.networks?.split(',')[0]"
                               " !== n", arg=before)  # the race started again on the new plane
        page.wait_for_selector("html[data-ready='true']")

    # two weights: the first two, then W2[3→1] as the second
    restarted(lambda: page.select_option(".plane-kind", "axes"), ids[0])
    assert "plane=axes&axes=0.0.0,0.0.1" in page.evaluate("location.hash")
    restarted(lambda: page.select_option(".plane-axis >> nth=1", "1.2.0"), arrows_and_ends(page)[2][0])
    assert "plane=axes&axes=0.0.0,1.2.0" in page.evaluate("location.hash")
    expect(page.locator(".plane-axis").nth(1)).to_have_value("1.2.0")
    play_until(page, "() => Number(document.querySelector('.contour-canvas').dataset.drawnStep) >= 10")
    _, ends, ids = arrows_and_ends(page)
    for end, network_id in zip(ends, ids, strict=True):  # on two weights' axes a point is those two weights
        w = get(server_url, f"/networks/{network_id}")["weights"]
        assert end == pytest.approx([w[0][0][0], w[1][2][0]], rel=1e-12)
    page.screenshot(path="/tmp/race-page-surface-network-axes.png")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_race_page_fits_every_screen(browser, server_url: str, name: str, lang: str) -> None:
    width, height, scale = SCREENS[name]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
    try:
        page = context.new_page()
        for view in ["race", "vanishing", "surface", "surface&surface=network&plane=axes"]:
            page.goto(f"{server_url}/race?lang={lang}#view={view}")
            page.wait_for_selector(f"html[data-ready='true'][lang='{lang}']")
            expect(page.locator("#language-select")).to_be_visible()
            assert_fits(page, f"screen-race-{view.replace('&', '-')}-{lang}-{name}")
    finally:
        context.close()
