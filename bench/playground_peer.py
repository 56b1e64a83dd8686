"""Our play mode against TensorFlow Playground's, side by side in the same headless Chromium: updates
per second and frames per second counting only frames whose drawn step changed.

    python -m bench.playground_peer /path/to/playground/dist [--seconds 6] [--before /path/to/older/checkout]

The peer is tensorflow/playground built outside this repository with its own npm scripts (`npm ci &&
npm run build`); its `dist` folder is served here by a static server on loopback (requests to other
hosts, its web fonts and analytics, are refused so that they never stall it; our pages ask no other
host and are not routed). Both pages train the same problem: circle, 500 samples, half for training,
batch 10, tanh hidden units, learning rate 0.03, seeds fixed, on 4,2 / 8,8,8 / six layers of 8.
Ours plays at its speed control's maximum with the gradients on screen (the network view glows by
|∂E/∂w| and colours units by δ, drawing one state per frame; the gradient-norm chart draws every
answer). Each page gets 1.5 s of warm-up, then a window of
`--seconds` in which an animation-frame loop reads the step the page last drew: ours
`data-drawn-step` on the network view; theirs the epoch counter (#iter-number), one epoch being
250 / 10 = 25 updates (it trains one epoch per animation frame). With --before, another checkout of
ours (e.g. `git archive <commit> | tar -x -C /tmp/before`) is served beside this one and measured in
the same round, interleaved (ours, theirs, before, for each network), so that a loaded machine
weighs on both alike: compare their ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from statistics import median

from bench.browser import CHROMIUM, CHROMIUM_ARGS, MEASURE, TARGET_FPS, measure
from bench.server import free_port, serve

UPDATES_PER_EPOCH = 250 // 10  # their epoch: 250 training samples in batches of 10
SIZES = [("4,2", [4, 2]), ("8,8,8", [8, 8, 8]), ("six layers of 8", [8] * 6)]
TARGET_RATIO = 10.0

# Theirs: the same loop as bench.browser's, reading the epoch counter instead.
PEER_MEASURE = MEASURE.replace(
    "const view = document.querySelector(\".nv-view\");",
    "const counter = document.querySelector(\"#iter-number\");",
).replace(
    """const drawn = () => {
    const v = view.dataset.drawnStep;
    if (v !== undefined && v !== "") return Number(v);
    return Number(document.querySelector("#step-count").textContent.replace(/,/g, ""));  // older pages
  };""",
    f"const drawn = () => {UPDATES_PER_EPOCH} * Number(counter.textContent.replace(/,/g, \"\"));",
).replace("document.querySelector(\"#speed-value\").dataset", "({})")


def ours_hash(hidden: list[int]) -> str:
    layers = ",".join(map(str, hidden))
    return (f"#data=circle&samples=500&train=0.5&noise=0&seed=1&wseed=1&hidden={layers}&act=tanh&batch=10"
            "&opt=sgd&lr=0.03")


def peer_hash(hidden: list[int]) -> str:
    layers = ",".join(map(str, hidden))
    return (f"#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
            f"&regularizationRate=0&noise=0&networkShape={layers}&seed=0.50000&showTestData=false"
            "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false"
            "&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification"
            "&initZero=false&hideText=false")


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[int]:
    """The built peer, served from `folder` on a free loopback port."""
    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def measure_peer(page, base: str, hidden: list[int], seconds: float) -> dict:
    page.goto(f"{base}/index.html{peer_hash(hidden)}")
    page.wait_for_selector("#iter-number")
    page.wait_for_timeout(500)
    page.click("#play-pause-button")
    page.wait_for_timeout(1500)  # warm-up, as for ours
    figures = page.evaluate(PEER_MEASURE, seconds)
    page.click("#play-pause-button")
    return figures


def one_round(browser, ports: dict[str, int], hidden: list[int], seconds: float, route, errors: list[str]) -> dict:
    """Each page once, one after the other (ours, before if any, theirs), each in a fresh context."""
    figures = {}
    for run, port in ports.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        if run == "theirs":
            # Only the peer asks other hosts (fonts, analytics), refused here. Ours is not routed: a routed
            # request passes through this process, which then shares the cores with the page and its server.
            context.route("**/*", route)
        page = context.new_page()
        base = f"http://127.0.0.1:{port}"
        if run == "theirs":
            figures[run] = measure_peer(page, base, hidden, seconds)
        else:
            page.on("pageerror", lambda e: errors.append(str(e)))
            figures[run] = measure(page, base, ours_hash(hidden), seconds)
        context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", type=Path, help="the built TensorFlow Playground folder (its dist/)")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--before", type=Path, help="another checkout of ours to measure beside this one")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of every page; each figure is the median")
    args = parser.parse_args()
    if not (args.peer / "index.html").is_file():
        parser.error(f"{args.peer} holds no index.html: give the peer's built folder")
    if args.before is not None and not (args.before / "app" / "main.py").is_file():
        parser.error(f"{args.before} holds no app/main.py: give a checkout of this project")
    from playwright.sync_api import sync_playwright

    rows = []
    with contextlib.ExitStack() as stack:
        ports = {"ours": stack.enter_context(serve(env={"BACKPROP_DATA_DIR": stack.enter_context(
            tempfile.TemporaryDirectory())}))}
        if args.before is not None:
            ports["before"] = stack.enter_context(serve(env={"BACKPROP_DATA_DIR": stack.enter_context(
                tempfile.TemporaryDirectory())}, root=args.before))
        ports["theirs"] = stack.enter_context(static_server(args.peer))
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        errors: list[str] = []
        local = tuple(f"http://127.0.0.1:{port}" for port in ports.values())

        def loopback_only(route) -> None:
            if route.request.url.startswith(local):
                route.continue_()
            else:
                route.abort()

        for label, hidden in SIZES:
            for _ in range(args.rounds):
                rows.append((label, one_round(browser, ports, hidden, args.seconds, loopback_only, errors)))
    print(f"Play mode in headless Chromium, {args.seconds:g} s per page after 1.5 s of warm-up (median of "
          f"{args.rounds} round{'s' if args.rounds > 1 else ''}): circle, 500 samples,"
          " half for training, batch 10, tanh, lr 0.03; ours with the gradients on screen (chart and live glow)")
    head = ["hidden layers", "ours updates/s", "ours frames/s", "theirs updates/s", "theirs frames/s", "ratio",
            f"≥ {TARGET_RATIO:g}× at ≥ {TARGET_FPS} fps"]
    if args.before is not None:
        head += ["before updates/s", "before frames/s", "ours / before"]
    print(" | ".join(head))
    for label, _ in SIZES:
        rounds = [figures for name, figures in rows if name == label]
        rate = {run: median(f[run]["steps"] / f[run]["elapsed"] for f in rounds) for run in rounds[0]}
        fps = {run: median(f[run]["changed"] / f[run]["elapsed"] for f in rounds) for run in rounds[0]}
        ratio = rate["ours"] / rate["theirs"] if rate["theirs"] else float("inf")
        ok = "ok" if ratio >= TARGET_RATIO and fps["ours"] >= TARGET_FPS else "MISSED"
        cells = [label, f"{rate['ours']:,.0f}", f"{fps['ours']:.1f}", f"{rate['theirs']:,.0f}",
                 f"{fps['theirs']:.1f}", f"{ratio:.1f}×", ok]
        if "before" in rate:
            cells += [f"{rate['before']:,.0f}", f"{fps['before']:.1f}",
                      f"{rate['ours'] / rate['before']:.2f}× ({fps['ours'] / max(fps['before'], 1e-9):.2f}× fps)"]
        print(" | ".join(cells))
    if errors:
        print("page errors:", *errors[:5], sep="\n  ")


if __name__ == "__main__":
    main()
