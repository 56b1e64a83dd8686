"""The network view in a real browser: the drawing, the phases of one update, the inspector's
numbers against the server's trace, and the largest network the server allows.

Every number the view shows comes from the API; these tests read the trace the page received
(intercepted from its own request) and compare it with the inspector's `data-value` cells.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.browser

POSITIVE, NEGATIVE, GLOW, MUTED = "#0072b2", "#d55e00", "#6a3d9a", "#c8c8c8"
REL = 1e-12


def close(a: float, b: float, floor: float = 0.0) -> bool:
    """Equal within REL relative to the larger magnitude (or within an absolute floor)."""
    return abs(a - b) <= REL * max(abs(a), abs(b)) + floor


def _creates_a_network(response) -> bool:
    return response.request.method == "POST" and response.url.split("?")[0].endswith("/api/v1/networks")


def open_page(page, server_url: str, hash_: str = "") -> dict[str, Any]:
    """Load the page (which creates its network) and answer the network's first state."""
    page.emulate_media(reduced_motion="reduce")  # phases jump to their final picture
    with page.expect_response(_creates_a_network) as info:
        page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready=true]")
    page.wait_for_selector(".nv-view g.nv-node")
    return info.value.json()


def take_step(page) -> dict[str, Any]:
    """Press "next phase" from the live network: the page takes a step; answer its trace."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith("/step")) as info:
        page.click("#next-phase")
    trace = info.value.json()
    page.wait_for_selector('.nv-view[data-phase="forward-0"]')
    return trace


def count_nodes(page) -> int:
    return page.locator(".nv-view g.nv-node").count()


def wait_for_nodes(page, n: int, timeout: float = 10.0) -> None:
    """Poll from Python: the page's CSP forbids the eval that wait_for_function would need."""
    deadline = time.monotonic() + timeout
    while count_nodes(page) != n:
        assert time.monotonic() < deadline, f"{count_nodes(page)} units drawn, expected {n}"
        page.wait_for_timeout(20)


def next_phase(page, expected: str) -> None:
    page.click("#next-phase")
    page.wait_for_selector(f'.nv-view[data-phase="{expected}"]')


def node_fill(page, layer: int, unit: int) -> str:
    return page.get_attribute(f'g.nv-node[data-layer="{layer}"][data-unit="{unit}"] .nv-node-body', "fill")


def link_attr(page, layer: int, i: int, j: int, name: str) -> str:
    return page.get_attribute(f'line.nv-link[data-layer="{layer}"][data-from="{i}"][data-to="{j}"]', name)


def inspector_value(page, quantity: str, sample: int | None = None) -> float:
    scope = "batch" if sample is None else "sample"
    selector = f'#inspector [data-scope="{scope}"][data-quantity="{quantity}"]'
    if sample is not None:
        selector += f'[data-sample="{sample}"]'
    return float(page.get_attribute(selector, "data-value"))


def layer_sizes_drawn(page) -> tuple[list[int], list[int]]:
    return page.evaluate("""() => {
        const count = (sel, attr) => {
            const out = [];
            for (const e of document.querySelectorAll(sel)) {
                const k = Number(e.dataset[attr]);
                out[k] = (out[k] ?? 0) + 1;
            }
            return out;
        };
        return [count(".nv-view g.nv-node", "layer"), count(".nv-view line.nv-link", "layer")];
    }""")


@pytest.mark.parametrize(("hash_", "sizes"), [
    ("", [2, 4, 2, 1]),
    ("#hidden=3,5,2", [2, 3, 5, 2, 1]),
    ("#data=three_class&hidden=6&out=softmax&loss=cross_entropy", [2, 6, 3]),
])
def test_drawing_matches_the_configured_architecture(page, server_url, shot, hash_, sizes):
    open_page(page, server_url, hash_)
    wait_for_nodes(page, sum(sizes))
    nodes, links = layer_sizes_drawn(page)
    assert nodes == sizes
    assert links == [a * b for a, b in zip(sizes, sizes[1:])]
    # Every node and link can take the keyboard focus and says what it is.
    labelled = page.evaluate("""() => [...document.querySelectorAll('.nv-view g.nv-node, .nv-view line.nv-link')]
        .every((e) => e.hasAttribute('tabindex') && (e.getAttribute('aria-label') || '').length > 0)""")
    assert labelled
    shot(f"network-view-architecture-{'-'.join(map(str, sizes))}")


def test_weights_are_drawn_with_their_sign_and_a_dash_for_negative_ones(page, server_url):
    open_page(page, server_url)
    weights = page.evaluate("""() => [...document.querySelectorAll('.nv-view line.nv-link')].map((e) => [
        e.getAttribute('stroke'), e.getAttribute('stroke-dasharray'), Number(e.getAttribute('stroke-width'))])""")
    assert {stroke for stroke, _, _ in weights} <= {POSITIVE, NEGATIVE}
    for stroke, dash, _ in weights:
        assert (dash != "none") == (stroke == NEGATIVE)


def test_stepping_shows_forward_then_backward_layer_by_layer_then_the_update(page, server_url, shot):
    open_page(page, server_url, "#hidden=4,3")  # layer sizes [2, 4, 3, 1]
    trace = take_step(page)
    L = 3
    # Forward: layer k is filled once the signal has reached it, and not before.
    for k in range(L + 1):
        if k > 0:
            next_phase(page, f"forward-{k}")
        assert node_fill(page, k, 0) != "#fff"
        if k < L:
            assert node_fill(page, k + 1, 0) == "#fff"
    shot("network-view-forward-output")
    next_phase(page, "loss")
    assert page.locator(".nv-loss-panel").count() == 1
    assert page.locator(".nv-loss-bar").count() == len(trace["loss_per_sample"])
    # Backward: from the output back to the first hidden layer, one layer at a time. The
    # weights into the layer glow; the earlier ones wait, greyed.
    for k in range(L, 0, -1):
        next_phase(page, f"backward-{k}")
        assert node_fill(page, k, 0) != "#fff"
        assert node_fill(page, k - 1, 0) == "#fff"
        assert link_attr(page, k - 1, 0, 0, "stroke") == GLOW
        for earlier in range(k - 1):
            assert link_attr(page, earlier, 0, 0, "stroke") == MUTED
        if k == L:
            shot("network-view-backward-output")
    shot("network-view-backward-first-hidden")
    # Update: every weight drawn at its new value, coloured by the new sign.
    next_phase(page, "update")
    for l, layer in enumerate(trace["update"]):
        for i, row in enumerate(layer["weights"]):
            for j, w in enumerate(row):
                assert link_attr(page, l, i, j, "stroke") == (NEGATIVE if w < 0 else POSITIVE)
    shot("network-view-update")
    assert page.is_disabled("#next-phase") is False


def test_the_inspector_shows_the_traces_numbers_for_a_link(page, server_url, shot):
    state = open_page(page, server_url)
    trace = take_step(page)
    # Walk to the update phase, then pick weights[1][2][1] with the keyboard alone.
    for expected in ["forward-1", "forward-2", "forward-3", "loss", "backward-3", "backward-2", "backward-1", "update"]:
        next_phase(page, expected)
    page.focus('g.nv-node[data-layer="1"][data-unit="2"]')
    page.keyboard.press("ArrowRight")  # onto the weight to h2.? nearest in height
    page.keyboard.press("Home")  # the first of this unit's outgoing weights
    page.keyboard.press("ArrowDown")  # the second: weights[1][2][1]
    page.keyboard.press("Enter")  # pin it
    focused = page.evaluate("() => ['layer', 'from', 'to'].map((k) => document.activeElement.dataset[k])")
    assert focused == ["1", "2", "1"]
    page.wait_for_selector('#inspector [data-quantity="w_new"]')
    l, i, j = 1, 2, 1
    w_new = trace["update"][l]["weights"][i][j]
    delta = trace["update"][l]["weight_deltas"][i][j]
    grad = trace["backward"][l]["grad_weights"][i][j]
    assert close(inspector_value(page, "grad_weights"), grad)
    assert close(inspector_value(page, "weight_deltas"), delta)
    assert close(inspector_value(page, "w_new"), w_new)
    # The old weight is the state's before the step (new − Δ recovers it up to rounding).
    assert inspector_value(page, "w_old") == state["weights"][l][i][j]
    assert inspector_value(page, "w") == state["weights"][l][i][j]
    assert close(inspector_value(page, "w_old"), w_new - delta, floor=1e-15)
    # SGD: Δw = −η ∂E/∂w.
    assert close(delta, -0.03 * grad)
    # Per sample: a_i · δ_j from the trace, whose batch mean is the gradient (no regularization).
    a = trace["forward"][l - 1]["a"]
    d = trace["backward"][l]["grad_z"]
    for s in range(len(a)):
        assert inspector_value(page, "a_from", s) == a[s][i]
        assert inspector_value(page, "grad_z_to", s) == d[s][j]
        assert close(inspector_value(page, "contribution", s), a[s][i] * d[s][j])
    assert close(inspector_value(page, "contribution_mean"), grad)
    # Three significant digits on screen, every digit on demand.
    shown = page.text_content('#inspector [data-scope="batch"][data-quantity="grad_weights"]')
    page.check("#inspector .nv-full-toggle input")
    full = page.text_content('#inspector [data-scope="batch"][data-quantity="grad_weights"]')
    assert len(full.replace("−", "-")) > len(shown)
    assert float(full.replace("−", "-")) == grad
    shot("network-view-inspector-link")


def test_the_inspector_shows_the_traces_numbers_for_a_unit(page, server_url):
    state = open_page(page, server_url)
    trace = take_step(page)
    # Every number of the step is shown once the phases have computed them: in the update.
    for expected in ["forward-1", "forward-2", "forward-3", "loss", "backward-3", "backward-2", "backward-1", "update"]:
        next_phase(page, expected)
    page.locator('g.nv-node[data-layer="2"][data-unit="1"]').dispatch_event("click")
    page.wait_for_selector('#inspector [data-scope="sample"][data-quantity="grad_z"]')
    forward, backward = trace["forward"][1], trace["backward"][1]
    for s in range(len(forward["z"])):
        assert inspector_value(page, "z", s) == forward["z"][s][1]
        assert inspector_value(page, "a", s) == forward["a"][s][1]
        assert inspector_value(page, "grad_z", s) == backward["grad_z"][s][1]
    assert inspector_value(page, "b_old") == state["biases"][1][1]
    assert close(inspector_value(page, "grad_biases"), backward["grad_biases"][1])
    assert close(inspector_value(page, "b_new"), trace["update"][1]["biases"][1])
    assert close(inspector_value(page, "bias_deltas"), trace["update"][1]["bias_deltas"][1])


def _post(url: str, body: Any) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def test_the_largest_network_renders_quickly_and_steps(page, server_url, shot):
    """64 inputs, 8 hidden layers of 32, 32 outputs: 10,240 weights, drawn on a canvas."""
    sizes = [64] + [32] * 8 + [32]
    inputs = [[((s * 7 + f * 3) % 11) / 5 - 1 for f in range(64)] for s in range(40)]
    targets = [[float((s + k) % 2) for k in range(32)] for s in range(40)]
    api = f"{server_url}/api/v1"
    state = _post(f"{api}/networks", {"layer_sizes": sizes, "data": {"inputs": inputs, "targets": targets},
                                      "init": {"seed": 3}})
    export = _get(f"{api}/networks/{state['id']}/export")
    page.goto(server_url)  # with motion: the animated path must run without errors too
    page.wait_for_selector("html[data-ready=true]")
    started = time.monotonic()
    page.set_input_files("#import-file", files=[{"name": "big.json", "mimeType": "application/json",
                                                  "buffer": json.dumps(export).encode()}])
    wait_for_nodes(page, sum(sizes))
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"the largest network took {elapsed:.2f} s to draw"
    assert page.locator(".nv-view.nv-dense").count() == 1
    nodes, _ = layer_sizes_drawn(page)
    assert nodes == sizes
    shot("network-view-largest")
    started = time.monotonic()
    take_step(page)
    for expected in ["forward-1", "forward-2"]:
        next_phase(page, expected)
    elapsed = time.monotonic() - started
    assert elapsed < 5.0, f"a step and two phases took {elapsed:.2f} s"
    # A canvas weight is reachable from the keyboard through the focusable stand-in.
    page.focus('g.nv-node[data-layer="5"][data-unit="3"]')
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    proxy = page.locator("line.nv-link.nv-proxy")
    assert proxy.get_attribute("data-layer") == "5"
    assert proxy.get_attribute("data-from") == "3"
    page.wait_for_selector('#inspector [data-quantity="w"]')
    shot("network-view-largest-forward")
