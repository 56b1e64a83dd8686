"""The phases of one update in a real browser, as the learner sees them: the error flowing back
along exactly the weights the sentence names, then the gradients lighting up; and no phase
showing a number that a later phase computes (inspector, picture, loss chart).

The order of what the picture does is read from a MutationObserver the test installs before
each phase: it logs, in order, the signal dots added (with the weights they travel on) and the
moment each layer of weights turns to the gradients' glow. No timing is assumed.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_network_view import GLOW, _creates_a_network, next_phase, open_page, take_step

pytestmark = pytest.mark.browser

WATCH = """() => {
    window.__flow = [];
    const svgRoot = document.querySelector('.nv-view svg.nv-svg');
    window.__flowObserver?.disconnect();
    window.__flowObserver = new MutationObserver((records) => {
        for (const r of records) {
            if (r.type === 'childList') {
                for (const n of r.addedNodes) {
                    if (!n.classList?.contains('nv-pulse')) continue;
                    window.__flow.push(['dot', n.dataset.layer, n.dataset.from, n.dataset.to]);
                }
            } else if (r.target.classList?.contains('nv-link') && r.target.getAttribute('stroke') === arguments[0]) {
                window.__flow.push(['glow', r.target.dataset.layer]);
            }
        }
    });
    window.__flowObserver.observe(svgRoot,
        {subtree: true, childList: true, attributes: true, attributeFilter: ['stroke']});
}"""


def watch(page) -> None:
    page.evaluate(WATCH.replace("arguments[0]", repr(GLOW)))


def wait_for_glow(page, layer: int) -> None:
    page.wait_for_selector(f'line.nv-link[data-layer="{layer}"][data-from="0"][data-to="0"][stroke="{GLOW}"]')


def test_backward_the_error_flows_along_the_weights_out_of_the_layer_then_its_gradients_light_up(
        page, server_url, shot):
    with page.expect_response(_creates_a_network):
        page.goto(f"{server_url}/#hidden=4,3")  # with motion: layer sizes [2, 4, 3, 1]
    page.wait_for_selector("html[data-ready=true]")
    page.wait_for_selector(".nv-view g.nv-node")
    trace = take_step(page)
    for expected in ["forward-1", "forward-2", "forward-3", "loss"]:
        next_phase(page, expected)
    L = 3
    for k in range(L, 0, -1):
        watch(page)
        next_phase(page, f"backward-{k}")
        wait_for_glow(page, k - 1)
        page.wait_for_selector(".nv-flow")
        log: list[list[Any]] = page.evaluate("() => window.__flow")
        dots = [e for e in log if e[0] == "dot"]
        assert dots, f"no signal dots in backward-{k}"
        # The dots run on exactly weights[k] (for the output layer: from the loss) ...
        carried = "loss" if k == L else str(k)
        assert {d[1] for d in dots} == {carried}
        if k < L:
            # ... from layer k+1 back into layer k, one dot per weight at most.
            assert all(0 <= int(d[2]) < len(trace["forward"][k - 1]["a"][0]) for d in dots)
            assert len({(d[2], d[3]) for d in dots}) == len(dots)
        # ... and only then do weights[k−1] light up with ∂E/∂w = a·δ.
        first_glow = next(i for i, e in enumerate(log) if e == ["glow", str(k - 1)])
        assert first_glow > max(i for i, e in enumerate(log) if e[0] == "dot")
        # The carrying weights stay weights; those before weights[k−1] stay dark (the faint glow
        # of the gradients formed in earlier phases may return on the weights after weights[k]).
        assert not any(e[0] == "glow" and int(e[1]) <= k and e[1] != str(k - 1) for e in log), log
        # What stays on the still picture: the arrows on the carrying weights, pointing back.
        arrows = page.evaluate("() => [...document.querySelectorAll('.nv-flow')].map((a) => a.dataset.layer)")
        assert set(arrows) == {carried}
        if k == 2:
            shot("backward-flow-hidden-2")


def test_with_reduced_motion_the_still_picture_says_the_same(page, server_url):
    open_page(page, server_url, "#hidden=4,3")
    take_step(page)
    for expected in ["forward-1", "forward-2", "forward-3", "loss", "backward-3", "backward-2"]:
        next_phase(page, expected)
    arrows = page.evaluate("""() => [...document.querySelectorAll('.nv-flow')].map((a) =>
        [a.dataset.layer, a.getAttribute('transform')])""")
    assert arrows and {layer for layer, _ in arrows} == {"2"}
    # Pointing back, from y (right) to h2 (left): rotated by more than 90° either way.
    assert all(abs(abs(float(tr.split("rotate(")[1].rstrip(")"))) - 180) < 90 for _, tr in arrows)
    wait_for_glow(page, 1)
    assert page.locator(".nv-pulse").count() == 0  # nothing moves


# What each phase may show of hidden unit 0 of layer 1 (a 2-4-3-1 network), by phase.
FORWARD = {"z", "a", "b"}
BACKWARD = FORWARD | {"grad_z", "grad_biases"}
ALLOWED_INSPECTOR = {
    "forward-0": {"b"}, "forward-1": FORWARD, "forward-2": FORWARD, "forward-3": FORWARD, "loss": FORWARD,
    "backward-3": FORWARD, "backward-2": FORWARD, "backward-1": BACKWARD,
    "update": BACKWARD | {"bias_deltas", "b_old", "b_new"},
}
ALLOWED_NUMBERS = {
    "forward-0": set(), "forward-1": {"z", "a"}, "forward-2": {"z", "a"}, "forward-3": {"z", "a"},
    "loss": {"z", "a"}, "backward-3": {"grad_z", "derivative"}, "backward-2": {"grad_z", "derivative"},
    "backward-1": {"grad_z", "derivative"}, "update": {"weight_deltas"},
}


def quantities(page, selector: str) -> set[str]:
    return set(page.evaluate(f"() => [...document.querySelectorAll('{selector}')].map((e) => e.dataset.quantity)"))


def test_no_phase_shows_a_number_from_a_later_phase(page, server_url, shot):
    open_page(page, server_url, "#hidden=4,3")
    trace = take_step(page)
    n = trace["step"]
    page.locator('g.nv-node[data-layer="1"][data-unit="0"]').dispatch_event("click")
    page.wait_for_selector('#inspector .nv-inspector-title')
    for phase_id in ALLOWED_INSPECTOR:
        if phase_id != "forward-0":
            next_phase(page, phase_id)
        shown = quantities(page, "#inspector [data-quantity]")
        assert shown <= ALLOWED_INSPECTOR[phase_id] | {"derivative", "sum", "term_weight", "term_delta",
                                                       "term_product"}, phase_id
        if phase_id == "backward-1":
            assert {"grad_z", "grad_biases"} <= shown
        else:
            assert "grad_z" not in shown or phase_id == "update", phase_id
        numbers = quantities(page, ".nv-number")
        assert numbers <= ALLOWED_NUMBERS[phase_id], phase_id
        if phase_id in ("forward-3", "backward-1", "update"):
            assert numbers, f"no numbers on the small network in {phase_id}"
        # The loss chart: the step's batch loss from its Loss phase, the loss after it in Update.
        canvas = page.locator("#loss canvas")
        batch_step = canvas.get_attribute("data-batch-step")
        assert batch_step in ("", str(n - 1)) if phase_id.startswith("forward") else batch_step == str(n), phase_id
        if phase_id == "update":
            page.wait_for_selector(f'#loss canvas[data-eval-step="{n}"]')
        else:
            assert canvas.get_attribute("data-eval-step") in ("", str(n - 1)), phase_id
        if phase_id in ("forward-1", "backward-1", "update"):
            shot(f"phase-only-{phase_id}")
