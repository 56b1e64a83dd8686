// A Web Worker that trains at full speed: it keeps exactly one POST /train in flight and sends the
// next the moment an answer lands. It runs off the page's main thread, so an answer never waits
// for the page to finish drawing a frame before the next call goes out.
//
// Messages in:   {type: "start", url, boundary, boundaryMs, serverMs, steps, maxSteps, frameMs, maxSnapshots}
//                {type: "frame", frameMs}          the page's measured time between animation frames
//                {type: "stop"}
// Messages out:  {type: "answer", result, next, timing}   a /train answer (parsed), the next call's
//                                  size, and {firstByteMs, callMs, gapMs}: this call's times
//                                  and the time between the previous answer and this call
//                {type: "error", status, detail, field}   the call failed; the pump has stopped
//                {type: "stopped"}                 no call is in flight any more
//
// The steps of each call are sized from the last calls' times (sent → answer's first byte, which
// the main thread's drawing does not delay) so that one call takes about `serverMs`, unless the
// calls' fixed cost is larger (call-sizer.js). The boundary rides along at most every `boundaryMs`.
// Each call also asks for enough snapshots (states from inside it) for the page to draw a new state
// at every frame until the next answer (play-frames.js). A module worker.

import { CallSizer } from "./call-sizer.js";
import { snapshotsFor } from "./play-frames.js";

let run = null; // the current run: its settings, and `stopped` once asked to stop

self.onmessage = ({ data }) => {
  if (data.type === "start") {
    if (run && !run.stopped) return; // one run at a time
    const previous = run;
    run = { ...data, stopped: false, lastBoundaryAt: -Infinity, cycleMs: data.serverMs,
      sizer: new CallSizer({ aimMs: data.serverMs, steps: data.steps, maxSteps: data.maxSteps }) };
    (previous?.done ?? Promise.resolve()).then(() => {
      run.done = pump(run);
    });
  } else if (data.type === "frame" && run) {
    run.frameMs = data.frameMs;
  } else if (data.type === "stop" && run) {
    run.stopped = true;
  }
};

async function pump(r) {
  let ended = null; // when the previous answer was read
  while (!r.stopped) {
    const steps = r.steps;
    const sent = performance.now();
    const body = { steps, eval_every: steps, snapshots: snapshotsFor(r.cycleMs, r.frameMs, r.maxSnapshots) };
    if (r.boundary && sent - r.lastBoundaryAt >= r.boundaryMs) {
      body.boundary = r.boundary;
      r.lastBoundaryAt = sent;
    }
    let answer;
    let payload = null;
    let firstByte = null;
    try {
      answer = await fetch(r.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      firstByte = performance.now() - sent;
      payload = await answer.json().catch(() => null);
      if (answer.ok) r.steps = r.sizer.took(steps, firstByte);
    } catch {
      answer = null;
    }
    if (!answer?.ok) {
      r.stopped = true;
      self.postMessage({ type: "error", status: answer?.status ?? 0,
        detail: typeof payload?.detail === "string" ? payload.detail : null, field: payload?.field ?? null });
      break;
    }
    if (payload.diverged) r.stopped = true; // the page pauses; no more calls
    const now = performance.now();
    const timing = { firstByteMs: firstByte, callMs: now - sent, gapMs: ended === null ? null : sent - ended };
    r.cycleMs = 0.7 * r.cycleMs + 0.3 * (now - (ended ?? sent)); // answer to answer, smoothed
    ended = now;
    self.postMessage({ type: "answer", result: payload, next: r.steps, timing });
  }
  self.postMessage({ type: "stopped" });
}
