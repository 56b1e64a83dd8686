"""The worked example as a lesson in a real browser: E(w) as a curve, the slope, the step, and the
chain rule written out with the step's numbers — (2 − 4) · 2 = −4, w: 1 → 1.4, E: 2 → 0.72 — each
part in the phase that computes it; and a large η overshooting on the same curve."""

from __future__ import annotations

import pytest
from test_explorer import numbers
from test_network_view import next_phase, open_page, take_step

pytestmark = pytest.mark.browser

WORKED = "#data=worked_example&hidden=&out=linear&loss=mse&bias=0&lr=0.1&opt=sgd"


def texts(page, selector: str) -> list[str]:
    return page.evaluate(f"() => [...document.querySelectorAll('{selector} mn')].map((n) => n.textContent)")


def test_the_worked_example_shows_the_chain_rule_and_the_step_on_the_loss_curve(page, server_url, shot):
    open_page(page, server_url, WORKED)
    trace = take_step(page)
    page.wait_for_selector("#panel-lesson:not([hidden]) svg.lesson-plot")
    # Forward: the curve and w, nothing computed later.
    assert page.locator("#lesson .lesson-chain").count() == 0
    assert page.locator("#lesson .lesson-label").count() == 0
    next_phase(page, "forward-1")
    next_phase(page, "loss")
    page.wait_for_selector("#lesson .lesson-label")
    assert page.locator("#lesson .lesson-tangent").count() == 0
    next_phase(page, "backward-1")
    page.wait_for_selector("#lesson .lesson-tangent")
    assert page.locator("#lesson .lesson-step").count() == 0
    # ∂E/∂w = ∂E/∂y · ∂y/∂w = (y − t) · x = (2 − 4) · 2 = −4, every number the trace's.
    chain = numbers(page, "#lesson .lesson-chain")
    assert chain == [2.0, 4.0, 2.0, -4.0]
    assert chain[-1] == trace["backward"][0]["grad_weights"][0][0]
    assert texts(page, "#lesson .lesson-chain") == ["2", "4", "2", "−4"]
    next_phase(page, "update")
    page.wait_for_selector("#lesson .lesson-step")
    # Δw = −η · slope = −0.1 · (−4) = 0.4;  w: 1 → 1.4,  E: 2 → 0.72.
    assert texts(page, "#lesson .lesson-facts") == ["1", "1.4", "2", "0.72"]
    w_before, w_after, e_before, e_after = numbers(page, "#lesson .lesson-facts")
    assert (w_before, w_after) == (1.0, trace["update"][0]["weights"][0][0])
    assert (e_before, e_after) == (trace["loss"], trace["loss_after"])
    assert float(page.get_attribute("#lesson svg.lesson-plot", "data-w-after")) == w_after
    shot("lesson-worked-example")
    # The next steps walk down the curve: the earlier w stays on it as a grey dot.
    take_step(page)
    page.wait_for_selector("#lesson .lesson-trail")
    assert float(page.get_attribute("#lesson svg.lesson-plot", "data-w-before")) == w_after


def test_a_large_learning_rate_overshoots_on_the_same_curve(page, server_url, shot):
    open_page(page, server_url, WORKED.replace("lr=0.1", "lr=0.9"))
    take_step(page)
    for expected in ["forward-1", "loss", "backward-1", "update"]:
        next_phase(page, expected)
    page.wait_for_selector("#lesson .lesson-step")
    w_before, w_after, e_before, e_after = numbers(page, "#lesson .lesson-facts")
    assert (w_before, w_after) == (1.0, 1.0 + 0.9 * 4)  # past the bottom at w = 2
    assert e_after > e_before
    assert page.locator("#lesson .ex-hint").count() == 1  # it says so
    shot("lesson-overshoot")
