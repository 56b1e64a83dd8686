"""The rough edges issue 13 lists, each as the learner met it: the keys and the focus around the
network picture, plural forms, the notice over the inspector, an old → new change that rounded
away, refused values, the two step counters, the speed readout, and Rewind after a divergence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

XOR = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=10"
ONE_SAMPLE = "#data=xor&seed=11&wseed=7&hidden=4,2&act=tanh&lr=0.03&batch=1"
EXPLODING = "#data=worked_example&hidden=&out=linear&loss=mse&lr=10&wseed=3"
DIVERGING = "#data=worked_example&hidden=&out=linear&loss=mse&lr=1000&wseed=3"


def open_page(page: Page, server_url: str, hash_: str = "") -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{server_url}/{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")


def first_phase(page: Page) -> None:
    page.click("#next-phase")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "forward-0")


def active(page: Page) -> str:
    return page.evaluate("() => { const a = document.activeElement; return a === document.body ? 'BODY' : "
                         "(a.id || a.tagName + '.' + (a.getAttribute('class') ?? '')); }")


# ---- keys and focus -----------------------------------------------------------------------------

def test_tab_leaves_the_picture_for_the_next_control(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    first_phase(page)
    page.focus('g.nv-node[data-layer="1"][data-unit="0"]')
    page.keyboard.press("Tab")
    assert active(page) != "BODY"
    assert page.evaluate("() => document.querySelector('.nv-inspector').contains(document.activeElement)")
    # Back in with Shift+Tab, and out again: the same.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.closest('svg') !== null")
    page.keyboard.press("Tab")
    assert active(page) != "BODY"


def test_after_clicking_a_unit_the_arrow_is_still_the_next_phase(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    first_phase(page)
    help_ = page.locator(".nv-help")
    expect(help_).to_contain_text("→ ← step through the phases")
    page.locator('g.nv-node[data-layer="1"][data-unit="1"]').click()
    expect(page.locator('g.nv-node[data-layer="1"][data-unit="1"]')).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "forward-1")
    # Escape unpins from outside the picture too.
    page.keyboard.press("Escape")
    expect(page.locator('g.nv-node[data-layer="1"][data-unit="1"]')).not_to_have_attribute("aria-pressed", "true")
    # Inside the picture the arrows walk it, and the help says so, marked.
    page.focus('g.nv-node[data-layer="1"][data-unit="1"]')
    expect(help_).to_have_class(re.compile("nv-help-inside"))
    expect(help_).to_contain_text("not the phases")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "forward-1")
    assert page.evaluate("() => document.activeElement.dataset.unit") == "2"
    # Escape with nothing pinned leaves the picture: → steps the phases again.
    page.keyboard.press("Escape")
    expect(help_).not_to_have_class(re.compile("nv-help-inside"))
    page.keyboard.press("ArrowRight")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "forward-2")


# ---- words ----------------------------------------------------------------------------------------

def test_plural_forms_follow_the_count(page: Page, server_url: str) -> None:
    open_page(page, server_url, ONE_SAMPLE)
    first_phase(page)
    expect(page.locator("#phase-explanation")).to_contain_text("The batch's one sample enters")
    expect(page.locator("#phase-explanation")).not_to_contain_text("1 samples")
    for _ in range(4):
        page.click("#next-phase")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "loss")
    expect(page.locator("#phase-explanation")).not_to_contain_text("samples")
    expect(page.locator(".nv-loss-note").first).to_have_text("bar: 1 sample")
    texts = page.evaluate("""async () => {
        const { t } = await import("/static/js/strings.js");
        return [1, 2, 0].map((count) => t("nv.layer.subInput", { count }));
    }""")
    assert texts == ["1 input", "2 inputs", "0 inputs"]
    # A one-input network names its single input so.
    page.goto(f"{server_url}/#data=sine&hidden=4&act=tanh")
    page.wait_for_selector("html[data-ready='true']")
    expect(page.locator(".nv-subheading").first).to_have_text("1 input")


def test_the_step_counters_agree(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    first_phase(page)
    # "Taking step 1, from the network at step 0", as the picture beside it says.
    expect(page.locator("#timeline-step")).to_contain_text("Taking step")
    expect(page.locator("#timeline-step-value")).to_have_text("1")
    expect(page.locator("#timeline-step")).to_contain_text("from the network at step 0")
    expect(page.locator("#panel-boundary .picture-status")).to_contain_text("network at step 0")


# ---- the inspector and the notice -------------------------------------------------------------------

def test_a_weights_change_never_rounds_away(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    pair = page.evaluate("""async () => {
        const { formatValue, digitsToTell } = await import("/static/js/format.js");
        const a = -0.68912, b = -0.68912 + 4.77e-4, d = digitsToTell(a, b);
        return [formatValue(a, false, d), formatValue(b, false, d), digitsToTell(1, 1), digitsToTell(0.5, 0.25)];
    }""")
    assert pair[0] != pair[1] and pair[2:] == [3, 3]
    assert pair == ["−0.6891", "−0.6886", 3, 3]
    page.fill("#ctl-lr", "0.0001")
    page.press("#ctl-lr", "Enter")
    page.click("#whole-step")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "update")
    page.locator('g.nv-node[data-layer="3"][data-unit="0"]').click()
    old, new = page.locator('[data-quantity="b_old"]'), page.locator('[data-quantity="b_new"]')
    expect(new).to_be_visible()
    assert float(old.get_attribute("data-value")) != float(new.get_attribute("data-value"))
    assert old.inner_text() != new.inner_text()


def test_the_notice_does_not_cover_the_inspector(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    page.click("#whole-step")
    expect(page.locator(".phase-chip.current")).to_have_attribute("data-phase", "update")
    page.locator('g.nv-node[data-layer="3"][data-unit="0"]').click()
    expect(page.locator('[data-quantity="b_new"]')).to_be_visible()
    page.select_option("#ctl-optimizer", "adam")
    notice = page.locator("#notice")
    expect(notice).to_contain_text("kept")
    boxes = page.evaluate("""() => {
        const r = (e) => e.getBoundingClientRect();
        const n = r(document.querySelector("#notice"));
        const parts = ".nv-inspector, .nv-change, .topbar, .timeline, .stage, .controls, .pictures";
        const meets = (b) => b.left < n.right && n.left < b.right && b.top < n.bottom && n.top < b.bottom;
        return [...document.querySelectorAll(parts)].filter((e) => meets(r(e)))
          .map((e) => e.className);
    }""")
    assert boxes == []


# ---- refused values -------------------------------------------------------------------------------

def test_a_refused_momentum_is_explained_marked_and_cleared(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    page.select_option("#ctl-optimizer", "momentum")
    expect(page.locator("#ctl-momentum")).to_have_value("0.9")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.method)
            if r.method in ("PATCH", "POST") and "/networks" in r.url else None)
    page.fill("#ctl-momentum", "1.5")
    page.press("#ctl-momentum", "Enter")
    banner = page.locator("#banner")
    expect(banner).to_contain_text("Momentum must be below 1")
    expect(banner).not_to_contain_text("optimizer.momentum")
    expect(page.locator("#ctl-momentum")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ctl-momentum")).to_have_value("1.5")
    # Typing back the value in force clears the message and the mark, and sends nothing.
    page.fill("#ctl-momentum", "0.9")
    expect(banner).to_be_hidden()
    expect(page.locator("#ctl-momentum")).not_to_have_attribute("aria-invalid", "true")
    page.press("#ctl-momentum", "Enter")
    page.wait_for_timeout(300)  # a request would have gone out by now
    assert sent == []


def test_the_servers_refusals_read_in_the_learners_words(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    said = page.evaluate("""async () => {
        const { explainRefusal } = await import("/static/js/refusals.js");
        const refusal = (field, type, msg) =>
          explainRefusal({ field, errors: [{ type, msg, loc: ["body", ...field.split(".")] }] });
        const limit = { limit: "max_batch_size", max: 5000, value: 6000 };
        return [
          refusal("optimizer.momentum", "less_than", "Input should be less than 1"),
          refusal("learning_rate", "greater_than", "Input should be greater than 0"),
          refusal("batch_size", "greater_than_equal", "Input should be greater than or equal to 1"),
          refusal("optimizer.epsilon", "less_than_equal", "Input should be less than or equal to 1"),
          refusal("spec.nonsense", "less_than", "Input should be less than 1"),
          explainRefusal({ field: "batch_size", code: "limit_exceeded", params: limit }),
        ];
    }""")
    assert said == ["Momentum must be below 1.", "Learning rate must be above 0.", "Batch size must be at least 1.",
                    "ε must be at most 1.", None, "Batch size must be at most 5,000."]


# ---- the speed readout ------------------------------------------------------------------------------

def test_the_speed_readout_shows_the_rate_reached_while_playing(page: Page, server_url: str) -> None:
    open_page(page, server_url, XOR)
    page.evaluate("() => { const s = document.querySelector('#speed'); s.value = s.max; "
                  "s.dispatchEvent(new Event('input')); }")
    readout = page.locator("#speed-value")
    expect(readout).to_have_text("max")
    page.click("#play")
    page.wait_for_selector("#speed-value[data-reached]")
    expect(readout).to_have_text(re.compile(r"^[\d,]+/s reached$"))
    page.click("#play")
    expect(readout).to_have_text("max")


# ---- when training goes wrong ------------------------------------------------------------------------

def test_rewind_after_a_divergence_while_playing(page: Page, server_url: str, shot) -> None:
    open_page(page, server_url, EXPLODING)
    page.click("#play")
    banner = page.locator("#banner")
    expect(banner).to_be_visible(timeout=30_000)
    # η = 10 on the worked example: the weight reaches ~1e154 before it overflows.
    expect(banner).to_contain_text("a smaller learning rate alone cannot help")
    expect(banner).not_to_contain_text("Try a smaller learning rate")  # no advice that cannot help
    expect(page.locator("#banner #banner-reset")).to_be_visible()
    rewind = page.locator("#banner #rewind")
    expect(rewind).to_have_text(re.compile("Rewind to step 0"))
    shot("rewind-offered")
    page.click("#banner #rewind")
    expect(page.locator("#notice")).to_contain_text("Rewound")
    expect(banner).to_be_hidden()
    expect(page.locator("#step-count")).to_have_text("0")
    # The loss is back where Play started: E = 2 for w = 1 of the classic example.
    expect(page.locator("#loss-readout")).to_contain_text("2")


def test_rewind_by_hand_goes_back_to_before_the_diverging_step(page: Page, server_url: str) -> None:
    open_page(page, server_url, DIVERGING)
    banner = page.locator("#banner")
    for _ in range(200):
        page.click("#whole-step")
        page.wait_for_function("() => !document.querySelector('#whole-step').disabled || "
                               "!document.querySelector('#banner').hidden")
        if banner.is_visible():
            break
    expect(banner).to_be_visible()
    diverged_at = int(page.locator("#step-count").inner_text().replace(",", ""))
    # The state before the diverging step, or the last one before it whose weights were sound
    # (the server imports no number past ±1e6).
    label = page.locator("#banner #rewind").inner_text()
    target = int(re.search(r"step ([\d,]+)", label).group(1).replace(",", ""))
    assert 0 <= target <= diverged_at
    page.click("#banner #rewind")
    expect(page.locator("#notice")).to_contain_text("Rewound")
    expect(banner).to_be_hidden()
    expect(page.locator("#step-count")).to_have_text(f"{target:,}")
