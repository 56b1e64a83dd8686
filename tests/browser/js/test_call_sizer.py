"""static/js/call-sizer.js in the real browser: how many steps the next training call carries, for calls
that take a fixed cost o plus c per step (simulated here, without noise)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Runs calls of o + c·steps ms through a CallSizer for `calls` calls; answers the last steps and the
# steps per second over the last half of the calls.
SIMULATE = """
  const [o, c, aimMs, calls] = args;
  const { CallSizer } = await mod("call-sizer.js");
  const sizer = new CallSizer({ aimMs, steps: 20, maxSteps: 2000 });
  let steps = 0, ms = 0, last = 0;
  for (let i = 0; i < calls; i++) {
    const n = sizer.steps;
    const t = o + c * n;
    sizer.took(n, t);
    if (i >= calls / 2) { steps += n; ms += t; }
    last = n;
  }
  return { last, rate: (1000 * steps) / ms, callMs: ms / (calls / 2) };
"""


def test_the_fit_finds_the_fixed_cost_and_the_cost_per_step(js):
    fit = js.run('const { linearFit } = await mod("call-sizer.js"); return linearFit(args[0]);',
                 [[10, 3.0], [20, 5.0], [12, 3.4], [18, 4.6]])  # 1 ms + 0.2 ms a step
    assert fit["o"] == pytest.approx(1.0) and fit["c"] == pytest.approx(0.2)
    assert js.call("call-sizer.js", "linearFit", [[10, 3], [10, 3.1], [10, 2.9], [10, 3]]) is None  # one size


def test_on_a_quiet_machine_calls_take_the_aimed_time(js):
    out = js.run(SIMULATE, 2.0, 0.05, 12, 200)  # 2 ms of round trip, 20,000 steps/s of work

    assert out["callMs"] == pytest.approx(12, rel=0.1)  # about a frame's share, as before
    assert out["rate"] == pytest.approx(1000 * 10 / 12 / 0.05, rel=0.1)


def test_when_the_fixed_cost_passes_the_aim_calls_grow_instead_of_shrinking_to_one_step(js):
    out = js.run(SIMULATE, 40.0, 0.2, 12, 200)  # a loaded machine: 40 ms before any step

    assert out["callMs"] == pytest.approx(80, rel=0.15)  # the fixed cost is half of each call
    assert out["last"] > 100 and out["rate"] > 2000  # not ~1 step a call (25 steps/s)
