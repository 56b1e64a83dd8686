"""The pictures beside the network: the dataset's samples on the boundary and the fitted curve,
the loss readout before any training, and the pictures of an earlier step in the history."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CIRCLE = "#data=circle&seed=2&wseed=3&hidden=4,2&batch=10"
SINE = "#data=sine&seed=4&wseed=5&hidden=6&out=linear&loss=mse&train=0.6"


def _is(method: str, tail: str):
    return lambda r: r.request.method == method and r.url.split("?")[0].endswith(tail)


def open_with(page: Page, server_url: str, hash_: str, tail: str) -> dict[str, Any]:
    """Load the page and answer the first GET …/<tail> it makes (e.g. /data, /evaluation)."""
    page.emulate_media(reduced_motion="reduce")
    with page.expect_response(_is("GET", tail)) as info:
        page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")
    return info.value.json()


def wait_for_data(page: Page, selector: str, name: str, value: str) -> None:
    expect(page.locator(selector)).to_have_attribute(f"data-{name}", value)


def shown_number(page: Page, selector: str) -> float:
    return float(page.locator(selector).inner_text().replace("−", "-").replace("%", ""))


def test_boundary_draws_every_training_and_test_sample(page: Page, server_url: str, shot) -> None:
    data = open_with(page, server_url, CIRCLE, "/data")
    n_train, n_test = len(data["train"]["inputs"]), len(data["test"]["inputs"])
    assert n_train > 0 and n_test > 0
    wait_for_data(page, ".boundary-canvas", "train-points", str(n_train))
    wait_for_data(page, ".boundary-canvas", "test-points", str(n_test))
    expect(page.locator("#boundary-sample-key")).to_contain_text("training samples")
    expect(page.locator("#boundary-sample-key")).to_contain_text("test samples")
    shot("boundary-samples")
    # The switch hides the test samples, and brings them back.
    page.uncheck("#boundary-show-test")
    wait_for_data(page, ".boundary-canvas", "test-points", "0")
    wait_for_data(page, ".boundary-canvas", "train-points", str(n_train))
    page.check("#boundary-show-test")
    wait_for_data(page, ".boundary-canvas", "test-points", str(n_test))


def test_fitted_curve_draws_every_sample_of_one_input_regression(page: Page, server_url: str, shot) -> None:
    data = open_with(page, server_url, SINE, "/data")
    assert data["task"] == "regression"
    expect(page.locator("#panel-fit")).to_be_visible()
    wait_for_data(page, ".fit-canvas", "train-points", str(len(data["train"]["inputs"])))
    wait_for_data(page, ".fit-canvas", "test-points", str(len(data["test"]["inputs"])))
    shot("fit-samples")


def test_worked_example_has_no_test_samples_and_no_test_switch(page: Page, server_url: str) -> None:
    data = open_with(page, server_url, "#data=worked_example&hidden=&out=linear&loss=mse&wseed=3", "/data")
    assert data["test"]["inputs"] == []
    wait_for_data(page, ".fit-canvas", "train-points", "1")
    wait_for_data(page, ".fit-canvas", "test-points", "0")
    expect(page.locator("#fit-show-test")).to_be_hidden()


def test_readout_shows_the_evaluation_at_step_0_and_after_each_change(page: Page, server_url: str) -> None:
    first = open_with(page, server_url, CIRCLE, "/evaluation")
    assert first["step"] == 0
    wait_for_data(page, "#loss-readout", "step", "0")
    assert shown_number(page, "#train-loss") == pytest.approx(first["train_loss"], rel=5e-3)
    assert shown_number(page, "#test-loss") == pytest.approx(first["test_loss"], rel=5e-3)
    assert shown_number(page, "#train-accuracy") == pytest.approx(100 * first["train_accuracy"], abs=0.051)
    expect(page.locator("#eval-step")).to_contain_text("step 0")

    # A whole step: the readout is measured again, for step 1.
    with page.expect_response(_is("GET", "/evaluation")) as info:
        page.click("#whole-step")
    after = info.value.json()
    assert after["step"] == 1
    wait_for_data(page, "#loss-readout", "step", "1")
    expect(page.locator("#train-loss")).not_to_have_text("—")
    assert shown_number(page, "#train-loss") == pytest.approx(after["train_loss"], rel=5e-3)

    # Stepping phase by phase: the readout stays at step 1 until the update of step 2 is shown.
    page.click("#next-phase")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "forward-0")
    wait_for_data(page, "#loss-readout", "step", "1")
    for _ in range(20):
        if page.locator(".nv-view").get_attribute("data-phase") == "update":
            break
        page.click("#next-phase")
    wait_for_data(page, "#loss-readout", "step", "2")

    # A reset measures step 0 again: the same figures as at the start.
    page.click("#reset")
    wait_for_data(page, "#loss-readout", "step", "0")
    assert shown_number(page, "#train-loss") == pytest.approx(first["train_loss"], rel=5e-3)


def test_readout_is_measured_again_after_a_patch(page: Page, server_url: str) -> None:
    open_with(page, server_url, CIRCLE, "/evaluation")
    with page.expect_response(_is("GET", "/evaluation")) as info:
        page.fill("#ctl-lr", "0.1")
        page.press("#ctl-lr", "Enter")
    assert info.value.json()["step"] == 0
    wait_for_data(page, "#loss-readout", "step", "0")


def test_looking_back_shows_that_steps_boundary_and_figures(page: Page, server_url: str, shot) -> None:
    open_with(page, server_url, CIRCLE, "/evaluation")
    for expected in ("1", "2", "3"):
        page.click("#whole-step")
        expect(page.locator("#step-count")).to_have_text(expected)
        wait_for_data(page, ".boundary-canvas", "drawn-step", expected)
    status = page.locator("#boundary-status")
    expect(status).to_be_hidden()  # the latest step: nothing to say

    # Back to the update of step 2: the boundary, the readout and the network show step 2.
    for _ in range(30):
        if page.locator("#timeline-step-value").inner_text() == "2" and \
                page.locator(".nv-view").get_attribute("data-phase") == "update":
            break
        page.click("#prev-phase")
    expect(page.locator(".nv-view")).to_have_attribute("data-drawn-step", "2")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "2")
    wait_for_data(page, "#loss-readout", "step", "2")
    expect(status).to_be_visible()
    expect(status).to_contain_text("step 2")
    expect(status).to_contain_text(re.compile("latest is step 3"))
    shot("history-boundary-step-2")

    # Its forward phase: the weights step 2 started from, i.e. the network at step 1.
    for _ in range(30):
        if page.locator(".nv-view").get_attribute("data-phase") == "forward-0":
            break
        page.click("#prev-phase")
    expect(page.locator(".nv-view")).to_have_attribute("data-drawn-step", "1")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "1")
    wait_for_data(page, "#loss-readout", "step", "1")

    # Forward again to the latest step: the pictures say nothing special any more.
    for _ in range(60):
        if page.locator("#timeline-step-value").inner_text() == "3" and \
                page.locator(".nv-view").get_attribute("data-phase") == "update":
            break
        page.click("#next-phase")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "3")
    expect(status).to_be_hidden()


def test_looking_back_at_a_step_never_drawn_fetches_its_picture_once(page: Page, server_url: str) -> None:
    """A step that went by before its pictures came is drawn from a short-lived copy of its state."""
    open_with(page, server_url, CIRCLE, "/evaluation")
    held: list[Any] = []

    def hold_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r".*/evaluation$"), hold_first)
    page.click("#whole-step")
    expect(page.locator("#step-count")).to_have_text("1")
    page.wait_for_timeout(100)
    assert len(held) == 1  # step 1's figures are on their way...
    page.click("#whole-step")  # ...when step 2 is taken: step 1's pictures are never fetched
    held[0].continue_()
    expect(page.locator("#step-count")).to_have_text("2")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "2")

    imports: list[str] = []
    page.on("request", lambda r: imports.append(r.url) if r.url.endswith("/networks/import") else None)
    page.click("#prev-phase")  # step 2's backward phase: the network at step 1
    expect(page.locator(".nv-view")).to_have_attribute("data-drawn-step", "1")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "1")
    wait_for_data(page, "#loss-readout", "step", "1")
    expect(page.locator("#boundary-status")).to_contain_text("step 1")
    assert len(imports) == 1
    # Once fetched, it is kept: going forward and back again fetches nothing more.
    page.click("#next-phase")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "2")
    page.click("#prev-phase")
    wait_for_data(page, ".boundary-canvas", "drawn-step", "1")
    assert len(imports) == 1


def test_after_looking_back_a_new_network_shows_its_own_latest_figures(page: Page, server_url: str) -> None:
    open_with(page, server_url, CIRCLE, "/evaluation")
    for expected in ("1", "2"):
        page.click("#whole-step")
        expect(page.locator("#step-count")).to_have_text(expected)
    page.click("#prev-phase")
    wait_for_data(page, "#loss-readout", "step", "1")
    page.click("#new-weights")  # a new network while looking back
    expect(page.locator("#step-count")).to_have_text("0")
    wait_for_data(page, "#loss-readout", "step", "0")
    in_flight: set[object] = set()  # /train calls sent and not yet answered
    page.on("request", lambda r: in_flight.add(r) if r.url.endswith("/train") else None)
    page.on("requestfinished", lambda r: in_flight.discard(r))
    page.on("requestfailed", lambda r: in_flight.discard(r))
    page.click("#play")
    page.wait_for_function("() => Number(document.querySelector('#step-count').textContent.replace(/,/g, '')) > 30")
    page.click("#play")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    # The call in flight when play was paused still lands and moves the counter on: read the
    # counter only once no call is left.
    deadline = time.monotonic() + 10
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert not in_flight, "a /train call never finished"
    page.wait_for_timeout(100)  # its answer is drawn on the next frame
    step = page.locator("#step-count").inner_text().replace(",", "")
    assert int(step) > 30
    wait_for_data(page, "#loss-readout", "step", step)
    expect(page.locator("#boundary-status")).to_be_hidden()
