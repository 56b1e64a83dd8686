"""The main page's gradients in a real browser: the network view glows by |∂E/∂w| and colours units
by δ while playing, and the gradient-norm chart follows play and step mode with the server's norms."""

from __future__ import annotations

import json
import urllib.request

import numpy as np
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HASH = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"
BODY = {"layer_sizes": [2, 4, 2, 1], "activation": "tanh", "init": {"seed": 7},
        "dataset": {"name": "xor", "seed": 11}, "batch_size": 10, "optimizer": {"name": "sgd", "learning_rate": 0.03}}


def post(server_url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{server_url}/api/v1{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def latest(page: Page) -> list:
    return json.loads(page.locator(".gradient-canvas").get_attribute("data-latest") or "[]")


def test_while_playing_the_picture_shows_the_gradients_and_the_chart_their_norms(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/{HASH}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")
    legend = page.locator("#legend")
    expect(legend).not_to_contain_text("∂E/∂w")
    page.click("#play")
    expect(legend).to_contain_text("∂E/∂w")  # the glow's row: the picture shows the last step's gradients
    expect(legend).to_contain_text("δ = ∂E/∂z")
    page.wait_for_function("() => Number(document.querySelector('.gradient-canvas').dataset.drawnStep) > 50")
    page.screenshot(path="/tmp/race-page-main-playing.png")
    page.locator("#panel-gradients").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/race-page-main-gradient-chart.png")
    page.click("#play")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    expect(legend).not_to_contain_text("∂E/∂w")  # paused: back to the weights and the units' maps
    expect(page.locator(".gradient-canvas")).to_have_attribute("data-layers", "3")
    for band, layer in zip(page.locator(".nv-layer-band").all(), range(3), strict=True):
        assert band.get_attribute("data-layer") == str(layer)


def test_a_steps_norms_are_those_of_the_same_step_taken_through_the_api(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/{HASH}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")
    page.click("#whole-step")
    page.wait_for_function("() => document.querySelector('.gradient-canvas').dataset.drawnStep === '1'")
    shown = latest(page)
    # The same network stepped once through the API: its trace's gradients, normed here.
    state = post(server_url, "/networks", BODY)
    trace = post(server_url, f"/networks/{state['id']}/step", {})
    expected = [float(np.linalg.norm(np.array(b["grad_weights"]))) for b in trace["backward"]]
    assert [s for s, _ in shown] == [1, 1, 1]
    assert np.allclose([v for _, v in shown], expected, rtol=1e-12, atol=0)
    # Playing on: the chart takes /train's own norms, the same as those of a network trained alone.
    page.click("#play")
    page.wait_for_function("() => Number(document.querySelector('.gradient-canvas').dataset.drawnStep) >= 6")
    page.click("#play")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    shown = latest(page)  # the last step drawn (long runs keep every k-th step only)
    step = shown[0][0]
    assert step >= 6 and all(s == step for s, _ in shown)
    train = post(server_url, f"/networks/{state['id']}/train", {"steps": step - 1, "eval_every": step - 1})
    assert np.allclose([v for _, v in shown], train["history"]["gradient_norms"][-1], rtol=1e-12, atol=0)
