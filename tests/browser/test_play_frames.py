"""Play mode at full speed in the real browser: every /train call asks for states from inside it, and
the network picture draws them one per frame, each a step the server answered, never going back."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HASH = "#data=circle&samples=500&train=0.5&seed=1&wseed=1&hidden=8,8,8&act=tanh&batch=10&opt=sgd&lr=0.03"

# Records, at every animation frame, the step the network picture shows when it changes, and the
# steps the counter and the timeline say at that frame.
RECORD = """() => {
  window.drawnSteps = [];
  window.saidSteps = [];
  const view = document.querySelector(".nv-view");
  const number = (selector) => Number(document.querySelector(selector).textContent.replace(/[^0-9]/g, ""));
  const frame = () => {
    const step = Number(view.dataset.drawnStep);
    if (window.drawnSteps.at(-1) !== step) {
      window.drawnSteps.push(step);
      window.saidSteps.push([step, number("#step-count"), number("#timeline-step-value")]);
    }
    if (!window.stopRecording) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""


def test_full_speed_draws_the_states_inside_each_call_one_per_frame(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/{HASH}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")
    page.evaluate("""() => { const s = document.querySelector("#speed"); s.value = s.max;
        s.dispatchEvent(new Event("input", { bubbles: true })); }""")
    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/train") else None)
    page.evaluate(RECORD)
    page.click("#play")
    page.wait_for_function("() => window.drawnSteps.length > 40")
    page.click("#play")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(400)  # the call in flight lands and is drawn
    drawn = page.evaluate("() => { window.stopRecording = true; return window.drawnSteps; }")

    bodies = [json.loads(a.request.post_data or "{}") for a in answers]
    results = [a.json() for a in answers]
    finals = {r["state"]["step"] for r in results}
    inside = {s["step"] for r in results for s in r["snapshots"]}
    assert sum(b.get("snapshots", 0) > 0 for b in bodies) >= len(bodies) - 1  # the first call may ask for none
    assert inside and not inside & finals
    # Every state drawn is one the server answered; many are from inside a call; none goes back.
    assert set(drawn) <= finals | inside | {0}
    assert len(set(drawn) & inside) >= 10
    assert drawn == sorted(drawn)
    # The step counter and the timeline name the step the picture shows, frame by frame.
    said = page.evaluate("() => window.saidSteps")
    assert [s for s in said[1:] if len(set(s)) > 1] == []  # [picture, counter, timeline] at each frame
    # Paused, the picture rests on the last state trained.
    assert drawn[-1] == max(finals)
    expect(page.locator(".nv-view")).to_have_attribute("data-drawn-step", str(max(finals)))
