"""An optimizer race of five on the issue's networks (circle, batch 10, tanh, sigmoid output): steps per
second per racer through the engine, one racer after the other (bit for bit lone networks) and stacked
(one batched product per layer for all racers: stacked.py), and through HTTP (POST /races/train);
with --browser, also the race page playing in headless Chromium (the issue's mark: ≥ 2,000 steps/s
per racer on 8,8,8), with its calls' count, time and answer size.

    python -m bench.race [--steps 200] [--calls 15] [--browser] [--seconds 8]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from app.config import AppSettings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.nn import DatasetSettings, InitSettings, Settings, Trainer  # noqa: E402
from app.nn.race import default_racers, racers, train_race  # noqa: E402
from bench.train import NETWORKS, best_rate, spec  # noqa: E402


def race_of(hidden: list[int]) -> list[Trainer]:
    first = Trainer(Settings(layer_sizes=[2, *hidden, 1], activation="tanh", batch_size=10,
                             init=InitSettings(seed=1), dataset=DatasetSettings("circle", seed=1)))
    optimizers = default_racers()
    first.update(optimizers[0])
    return racers(first, optimizers)


# Runs in the race page: for `seconds`, the step the racers reached (#race-step) and the page's calls.
RACE_MEASURE = """async (seconds) => {
  const counter = document.querySelector("#race-step");
  const step = () => Number(counter.dataset.step ?? 0);
  const calls = () => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/races/train"));
  const before = calls().length;
  const s0 = step();
  const t0 = performance.now();
  let frames = 0;
  await new Promise((resolve) => {
    const frame = (now) => {
      frames += 1;
      if (now - t0 < seconds * 1000) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  const elapsed = (performance.now() - t0) / 1000;
  const mine = calls().slice(before);
  const mean = (f) => (mine.length ? mine.reduce((a, e) => a + f(e), 0) / mine.length : 0);
  return { elapsed, steps: step() - s0, frames, calls: mine.length, callMs: mean((e) => e.duration),
           serverMs: mean((e) => e.responseStart - e.requestStart), bytes: mean((e) => e.encodedBodySize) };
}"""


def browser_race(hidden: list[int], seconds: float, root: Path | None = None) -> dict:
    """The race page (five racers, `hidden`) playing in headless Chromium against a fresh server of this
    checkout (or of `root`, another one)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS
    from bench.server import ROOT, serve

    with tempfile.TemporaryDirectory() as data_dir, \
            serve(env={"BACKPROP_DATA_DIR": data_dir}, root=root or ROOT) as port, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}/race#view=race&hidden={','.join(map(str, hidden))}")
            page.wait_for_selector("html[data-ready='true']")
            page.click("#race-play")
            page.wait_for_timeout(1500)  # warm-up, as for the main page
            figures: dict = page.evaluate(RACE_MEASURE, seconds)
            page.click("#race-play")
            return figures
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--calls", type=int, default=15)
    parser.add_argument("--browser", action="store_true", help="also the race page in headless Chromium")
    parser.add_argument("--seconds", type=float, default=8.0, help="the browser's window")
    parser.add_argument("--before", type=Path, help="with --browser: also an older checkout's race page, "
                                                    "interleaved with this one's")
    args = parser.parse_args()
    if args.browser:
        print("The race page playing in headless Chromium (five racers, circle, batch 10; target ≥ 2,000 steps/s "
              "per racer on 8,8,8)")
        print(" | ".join(("network", "checkout", "steps/s per racer", "frames/s", "calls/s", "steps/call",
                          "ms/call", "ms to first byte", "answer bytes")))
        for name, hidden in NETWORKS.items():
            for label, root in [("this", None), *([("before", args.before)] if args.before else [])]:
                f = browser_race(hidden, args.seconds, root)
                e = f["elapsed"]
                print(" | ".join((name, label, f"{f['steps'] / e:,.0f}", f"{f['frames'] / e:.1f}",
                                  f"{f['calls'] / e:.1f}", f"{f['steps'] / max(1, f['calls']):.0f}",
                                  f"{f['callMs']:.1f}", f"{f['serverMs']:.1f}", f"{f['bytes']:,.0f}")), flush=True)
    client = TestClient(create_app(AppSettings(store="memory", create_rate_per_minute=0)))
    print(f"{'network':8} {'one by one':>11} {'stacked':>9} {'HTTP':>7}   (steps/s per racer, 5 racers, "
          f"{args.steps} steps a call)")
    for name, hidden in NETWORKS.items():
        alone, together = race_of(hidden), race_of(hidden)
        rates = []
        for _ in range(3):  # interleaved, so that both see the same machine; the best of three
            rates.append((best_rate(lambda: train_race(alone, args.steps, stacked=False), args.steps, args.calls),  # noqa: B023
                          best_rate(lambda: train_race(together, args.steps), args.steps, args.calls)))  # noqa: B023
        ids = [r["id"] for r in client.post("/api/v1/races", json={"network": spec(hidden)}).json()["racers"]]
        body = {"racers": ids, "steps": args.steps}
        http = best_rate(lambda: client.post("/api/v1/races/train", json=body).raise_for_status(),  # noqa: B023
                         args.steps, args.calls)
        print(f"{name:8} {max(r[0] for r in rates):11,.0f} {max(r[1] for r in rates):9,.0f} {http:7,.0f}", flush=True)


if __name__ == "__main__":
    main()
