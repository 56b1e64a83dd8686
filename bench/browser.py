"""Play mode in the real page: training steps per second delivered to the page, and frames per
second counting only frames in which the drawn step changed, in headless Chromium.

    python -m bench.browser [--seconds 10]

For each reference size the bench opens the page with the configuration in the URL hash, sets
the speed control to its maximum, presses Play and, inside the page, runs a requestAnimationFrame
loop that reads the step the network view last drew (`data-drawn-step` on `.nv-view`, set when
the picture is painted). It also counts how often the loss curve and the decision boundary were
redrawn (`data-drawn-step` on their canvases), and reads the totals the page keeps of its full-speed
POST /train calls (on `#speed-value`): their number, time to first byte (≈ server time + loopback),
whole time, and the time between an answer and the next call.
"""

from __future__ import annotations

import argparse
import os
import tempfile

from bench.server import serve

# The same flags as the browser tests (tests/browser/conftest.py).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

CASES = [
    # (label, URL hash, target steps/s)
    ("(b) 2-8-8-8-1, batch 10", "#data=circle&seed=1&wseed=1&hidden=8,8,8&batch=10", 2000),
    ("(c) 2-8×6-1, batch 30", "#data=circle&seed=1&wseed=1&hidden=8,8,8,8,8,8&batch=30", 1200),
]
TARGET_FPS = 50

# Runs in the page: samples every animation frame for `seconds`, then answers the figures.
MEASURE = """async (seconds) => {
  const view = document.querySelector(".nv-view");
  const drawn = () => {
    const v = view.dataset.drawnStep;
    if (v !== undefined && v !== "") return Number(v);
    return Number(document.querySelector("#step-count").textContent.replace(/,/g, ""));  // older pages
  };
  const stepOf = (sel) => document.querySelector(sel)?.dataset.drawnStep ?? null;
  const stats = () => {
    const d = document.querySelector("#speed-value").dataset;
    return ["calls", "firstByteMs", "callMs", "gaps", "gapMs"].map((k) => Number(d[k] ?? 0));
  };
  const before = stats();
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const s0 = drawn();
    let last = s0, frames = 0, changed = 0, worst = 0, prevT = t0;
    let lastLoss = stepOf(".loss-canvas"), lossUpdates = 0;
    let lastBoundary = stepOf(".boundary-canvas"), boundaryUpdates = 0;
    let prevChangeT = t0;
    const gaps = [];
    function frame(now) {
      frames += 1;
      const s = drawn();
      if (s !== last) {
        changed += 1;
        gaps.push(now - prevChangeT);
        prevChangeT = now;
        last = s;
      }
      const l = stepOf(".loss-canvas");
      if (l !== lastLoss) { lossUpdates += 1; lastLoss = l; }
      const b = stepOf(".boundary-canvas");
      if (b !== lastBoundary) { boundaryUpdates += 1; lastBoundary = b; }
      worst = Math.max(worst, now - prevT);
      prevT = now;
      if (now - t0 < seconds * 1000) requestAnimationFrame(frame);
      else {
        const elapsed = (now - t0) / 1000;
        const [calls, firstByte, call, gapCount, gap] = stats().map((v, k) => v - before[k]);
        gaps.sort((a, b) => a - b);
        resolve({
          elapsed, steps: s - s0, frames, changed, worstFrameMs: worst,
          p95GapMs: gaps.length ? gaps[Math.floor(gaps.length * 0.95)] : null,
          lossUpdates, boundaryUpdates,
          calls, callMs: calls ? call / calls : null, ttfbMs: calls ? firstByte / calls : null,
          gapMs: gapCount ? gap / gapCount : null,
        });
      }
    }
    requestAnimationFrame(frame);
  });
}"""


def measure(page, base: str, hash_: str, seconds: float) -> dict:
    page.goto(f"{base}/{hash_}")
    page.wait_for_selector("html[data-ready='true']")
    page.wait_for_selector("g.nv-node")
    page.wait_for_timeout(500)
    page.evaluate("""() => { const s = document.querySelector("#speed"); s.value = s.max;
        s.dispatchEvent(new Event("input", { bubbles: true })); }""")
    page.click("#play")
    page.wait_for_timeout(1500)  # warm-up: first calls, JIT, the boundary's first draws
    figures = page.evaluate(MEASURE, seconds)
    page.click("#play")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as data_dir, serve(env={"BACKPROP_DATA_DIR": data_dir}) as port, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            for label, hash_, target in CASES:
                figures = measure(page, f"http://127.0.0.1:{port}", hash_, args.seconds)
                rows.append((label, target, figures))
            context.close()
        finally:
            browser.close()
    print(f"Play mode in headless Chromium, {args.seconds:.0f} s per size (targets: steps/s as listed, "
          f"≥ {TARGET_FPS} frames/s counting only frames whose drawn step changed)")
    header = ("size", "steps/s", "target", "frames/s", "p95 ms between frames", "worst frame ms", "loss/s",
              "boundary/s", "calls/s", "steps/call", "ms/call", "ttfb ms", "ms between calls")
    print(" | ".join(header))
    for label, target, f in rows:
        e = f["elapsed"]
        sps = f["steps"] / e
        fps = f["changed"] / e
        ok = "ok" if sps >= target and fps >= TARGET_FPS else "MISSED"
        print(" | ".join([
            label, f"{sps:,.0f}", f"{target:,} {ok}", f"{fps:.1f}", f"{f['p95GapMs'] or 0:.1f}",
            f"{f['worstFrameMs']:.1f}", f"{f['lossUpdates'] / e:.1f}", f"{f['boundaryUpdates'] / e:.1f}",
            f"{f['calls'] / e:.1f}", f"{f['steps'] / max(1, f['calls']):.0f}", f"{f['callMs'] or 0:.2f}",
            f"{f['ttfbMs'] or 0:.2f}", f"{f['gapMs'] or 0:.2f}"]))
    if errors:
        print("page errors:", *errors[:5], sep="\n  ")


if __name__ == "__main__":
    main()
