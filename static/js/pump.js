// A Web Worker that trains at full speed: it keeps exactly one POST /train in flight and sends the
// next the moment an answer lands. It runs off the page's main thread, so an answer never waits
// for the page to finish drawing a frame before the next call goes out.
//
// Messages in:   {type: "start", url, boundary, boundaryMs, serverMs, steps, maxSteps}
//                {type: "stop"}
// Messages out:  {type: "answer", result, next, timing}   a /train answer (parsed), the next call's
//                                  size, and {firstByteMs, callMs, gapMs}: this call's times
//                                  and the time between the previous answer and this call
//                {type: "error", status, detail, field}   the call failed; the pump has stopped
//                {type: "stopped"}                 no call is in flight any more
//
// The steps of each call are sized from the last calls' times (sent → answer's first byte, which
// the main thread's drawing does not delay) so that one call takes about `serverMs`, well under a
// frame, unless the calls' fixed cost is larger (see adapt). The boundary rides along at most every
// `boundaryMs`.

let run = null; // the current run: its settings, and `stopped` once asked to stop

self.onmessage = ({ data }) => {
  if (data.type === "start") {
    if (run && !run.stopped) return; // one run at a time
    const previous = run;
    run = { ...data, stopped: false, lastBoundaryAt: -Infinity };
    (previous?.done ?? Promise.resolve()).then(() => {
      run.done = pump(run);
    });
  } else if (data.type === "stop" && run) {
    run.stopped = true;
  }
};

async function pump(r) {
  let ended = null; // when the previous answer was read
  while (!r.stopped) {
    const steps = r.steps;
    const sent = performance.now();
    const body = { steps, eval_every: steps };
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
      if (answer.ok) adapt(r, steps, firstByte);
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
    ended = now;
    self.postMessage({ type: "answer", result: payload, next: r.steps, timing });
  }
  self.postMessage({ type: "stopped" });
}

const WINDOW = 12; // recent calls the sizing fits its model to
const OVERHEAD_SHARE = 0.5; // a call's fixed cost is kept to at most this share of its time

/**
 * Size the next call. A call takes about o + c·steps (a fixed cost o: the round trip, parsing, the
 * evaluation; and c per step), fitted by least squares to the last calls' (steps, time to first byte);
 * the sizes alternate between two (±20 %, at least one step apart) so that the fit always sees two.
 * The next call aims at `serverMs`, or at 1 / OVERHEAD_SHARE times the fixed cost when that is larger:
 * on a loaded machine the fixed cost alone can exceed `serverMs`, and calls sized only in proportion
 * to their time shrank toward one step each, all overhead. When the fit finds that more steps cost no
 * more time (noise beyond the per-step cost), the calls grow.
 */
function adapt(r, steps, ms) {
  r.seen = [...(r.seen ?? []), [steps, ms]].slice(-WINDOW);
  const fit = linearFit(r.seen);
  const base = r.base ?? steps;
  let aimed;
  if (fit && fit.c > 0) aimed = (Math.max(r.serverMs, fit.o / OVERHEAD_SHARE) - fit.o) / fit.c;
  else if (fit) aimed = 2 * base; // a larger call took no longer: grow
  else aimed = (steps * r.serverMs) / Math.max(ms, 0.25); // no fit yet: in proportion to this call's time
  const next = Math.min(base * 2, Math.max(base / 2, aimed)); // no wild swings
  r.base = Math.min(r.maxSteps, Math.max(1, 0.7 * base + 0.3 * next));
  r.flip = !r.flip;
  const low = Math.max(1, Math.round(0.8 * r.base));
  const high = Math.max(low + 1, Math.round(1.2 * r.base));
  r.steps = Math.min(r.maxSteps, r.flip ? high : low);
}

/** {o, c} of ms ≈ o + c·steps fitted to the points [steps, ms] (o at least 0), or null while they are
 *  too few or their steps hardly differ. */
function linearFit(points) {
  const n = points.length;
  if (n < 4) return null;
  const meanS = points.reduce((a, [s]) => a + s, 0) / n;
  const meanT = points.reduce((a, [, t]) => a + t, 0) / n;
  let sst = 0;
  let sss = 0;
  for (const [s, t] of points) {
    sst += (s - meanS) * (t - meanT);
    sss += (s - meanS) ** 2;
  }
  if (sss < (0.1 * meanS) ** 2 * n) return null;
  const c = sst / sss;
  return { o: Math.max(0, meanT - c * meanS), c };
}
