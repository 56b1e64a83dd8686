"""The chain-rule explorer and the inspector's terms in a real browser, against the trace the page
received: every number of a formula is an <mn data-value> and must equal the API's (1e-12)."""

from __future__ import annotations

from typing import Any

import pytest
from test_network_view import close, next_phase, open_page, take_step

pytestmark = pytest.mark.browser

BACKWARD_TO_1 = ["forward-1", "forward-2", "loss", "backward-2", "backward-1"]  # a 2-3-1 network


def walk(page, phases: list[str]) -> None:
    for expected in phases:
        next_phase(page, expected)


def numbers(page, selector: str) -> list[float]:
    """The numbers of one formula, in order (null cells as None)."""
    values = page.evaluate(f"""() => [...document.querySelectorAll('{selector} mn[data-value]')]
        .map((n) => n.dataset.value)""")
    return [None if v == "null" else float(v) for v in values]


def pin(page, selector: str) -> None:
    page.locator(selector).dispatch_event("click")


def test_a_hidden_units_delta_is_f_prime_times_the_sum_of_its_terms_with_the_traces_numbers(page, server_url, shot):
    state = open_page(page, server_url, "#hidden=3")  # layer sizes [2, 3, 1]
    trace = take_step(page)
    walk(page, BACKWARD_TO_1)
    pin(page, 'g.nv-node[data-layer="1"][data-unit="2"]')
    page.wait_for_selector('#explorer [data-part="unit"] math[data-formula="numbers"]')
    w = state["weights"][1][2][0]
    for s in range(2):
        if s == 1:
            page.click('#explorer .ex-step[aria-label="The next sample of the batch"]')
            page.wait_for_selector('#explorer .ex-sample-position:text("sample 2 of")')
        delta_out = trace["backward"][1]["grad_z"][s][0]
        total = trace["backward"][0]["grad_a"][s][2]  # Σ w·δ, as the trace has it
        delta = trace["backward"][0]["grad_z"][s][2]
        f, weight, d_out = numbers(page, '#explorer math[data-formula="numbers"]')
        assert weight == w and d_out == delta_out
        assert close(f * total, delta)
        f2, total_shown, delta_shown = numbers(page, '#explorer math[data-formula="result"]')
        assert f2 == f and close(total_shown, total) and close(delta_shown, delta)
    # The inspector's lines: f′(z), the term w·δ and the sum (batch means).
    page.wait_for_selector('#inspector [data-quantity="term_product"]')
    assert float(page.get_attribute('#inspector [data-quantity="term_weight"]', "data-value")) == w
    mean_delta_out = sum(r[0] for r in trace["backward"][1]["grad_z"]) / len(trace["inputs"])
    assert close(float(page.get_attribute('#inspector [data-quantity="term_delta"]', "data-value")), mean_delta_out)
    mean_sum = sum(r[2] for r in trace["backward"][0]["grad_a"]) / len(trace["inputs"])
    assert close(float(page.get_attribute('#inspector [data-quantity="sum"]', "data-value")), mean_sum)
    # Pointing at the term w·δ marks its weight and the unit it comes from on the network.
    assert page.locator("line.nv-mark-term").count() == 0
    page.hover('#explorer math[data-formula="numbers"] .ex-term >> nth=1')
    page.wait_for_selector("line.nv-mark-term")
    assert page.locator("circle.nv-mark-term:not(.nv-mark-end)").count() == 1  # the unit δ comes from
    shot("explorer-hidden-unit")


def test_a_weights_gradient_is_the_mean_of_a_delta_and_its_delta_the_sum_over_paths(page, server_url, shot):
    open_page(page, server_url, "#hidden=3,2")  # layer sizes [2, 3, 2, 1]: two paths from each h1 unit
    trace = take_step(page)
    walk(page, ["forward-1", "forward-2", "forward-3", "loss", "backward-3", "backward-2", "backward-1"])
    pin(page, 'line.nv-link[data-layer="0"][data-from="1"][data-to="0"]')
    page.wait_for_selector('#explorer [data-part="weight"] math[data-formula="result"]')
    *_, grad = numbers(page, '#explorer [data-part="weight"] math[data-formula="result"]')
    assert close(grad, trace["backward"][0]["grad_weights"][1][0])
    shown = numbers(page, '#explorer [data-part="weight"] math[data-formula="numbers"]')
    a, d = trace["inputs"][0][1], trace["backward"][0]["grad_z"][0][0]
    assert shown[2:4] == [a, d]  # after 1/B: the first sample's a · δ
    # δ of h1.1 over its two paths, one at a time; their products add up to the trace's δ.
    assert page.text_content("#explorer .ex-path-position").startswith("path 1 of 2")
    products = []
    for p in range(2):
        if p == 1:
            page.click('#explorer .ex-step[aria-label="The next path"]')
            page.wait_for_selector('#explorer .ex-path[data-path="1"]')
        factors = numbers(page, '#explorer .ex-path math[data-formula="numbers"]')
        (product,) = numbers(page, '#explorer .ex-path math[data-formula="result"]')
        assert len(factors) == 5  # f′(z) · w · f′(z) · w · δ_y
        expected = 1.0
        for f in factors:
            expected *= f
        assert close(product, expected)
        products.append(product)
        page.hover("#explorer .ex-path .ex-term >> nth=1")  # the path's first weight
        page.wait_for_selector("line.nv-mark-term")
    assert close(sum(products), d)
    shot("explorer-weight-paths")


def slot(trace: dict[str, Any], when: str, name: str, ref: tuple[int, int, int]) -> float:
    l, i, j = ref
    return trace["optimizer"][f"slots_{when}"][name]["weights"][l][i][j]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_update_of_a_weight_is_written_out_with_the_optimizers_slots(page, server_url, shot, optimizer):
    state = open_page(page, server_url, f"#hidden=3&opt={optimizer}")
    trace = take_step(page)
    walk(page, [*BACKWARD_TO_1, "update"])
    pin(page, 'line.nv-link[data-layer="1"][data-from="0"][data-to="0"]')
    page.wait_for_selector('#explorer [data-part="update"] math[data-formula="loss"]')
    ref = (1, 0, 0)
    g = trace["backward"][1]["grad_weights"][0][0]
    (dw,) = numbers(page, '#explorer math[data-formula="rule-delta-result"]')
    assert dw == trace["update"][1]["weight_deltas"][0][0]
    if optimizer == "sgd":
        minus_eta, g_shown = numbers(page, '#explorer math[data-formula="rule-delta-numbers"]')
        assert (minus_eta, g_shown) == (0.03, g)
    else:
        (m_after,) = numbers(page, '#explorer math[data-formula="rule-m-result"]')
        assert m_after == slot(trace, "after", "m", ref)
        beta1, m_before, _, g_shown = numbers(page, '#explorer math[data-formula="rule-m-numbers"]')
        assert (beta1, m_before, g_shown) == (0.9, slot(trace, "before", "m", ref), g)
        (v_after,) = numbers(page, '#explorer math[data-formula="rule-v-result"]')
        assert v_after == slot(trace, "after", "v", ref)
        (m_hat,) = numbers(page, '#explorer math[data-formula="rule-m_hat-result"]')
        assert m_hat == trace["optimizer"]["bias_corrected"]["m"]["weights"][1][0][0]
        assert close(m_hat, m_after / (1 - 0.9 ** trace["optimizer"]["t_after"]))  # as its formula says
    assert numbers(page, '#explorer math[data-formula="weight"]') == [
        state["weights"][1][0][0], trace["update"][1]["weights"][0][0]]
    assert numbers(page, '#explorer math[data-formula="loss"]') == [trace["loss"], trace["loss_after"]]
    shot(f"explorer-update-{optimizer}")


def test_checking_the_gradients_shows_backprop_agrees_and_marks_every_weight(page, server_url, shot):
    open_page(page, server_url, "#hidden=3")
    take_step(page)
    walk(page, BACKWARD_TO_1[:-1])  # backward-2: the check is offered in every backward phase
    with page.expect_request(lambda r: r.url.endswith("/gradcheck")) as sent:
        page.click("#explorer-check")
    assert sent.value.post_data_json == {"step": 1}  # the step shown, at the weights it started from
    result = page.wait_for_selector("#explorer .ex-check-result")
    assert float(result.get_attribute("data-max-error")) < 1e-6
    page.wait_for_selector("line.nv-mark-agree")
    assert page.locator("line.nv-mark-agree.nv-mark-over").count() == 2 * 3 + 3 * 1
    assert page.locator("line.nv-mark-disagree").count() == 0
    shot("explorer-gradient-check")
    next_phase(page, "backward-1")  # still backward: the check stays
    assert page.locator("#explorer .ex-check-result").count() == 1
    next_phase(page, "update")  # the check belongs to the backward phases
    assert page.locator("line.nv-mark-agree").count() == 0
