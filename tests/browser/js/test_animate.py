"""static/js/animate.js in the real browser: the phases of one update and the cursor over them."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def trace(layers: int = 2, **extra: Any) -> dict[str, Any]:
    """The parts of a step's trace that decide its phases (values do not matter here)."""
    return {"forward": [{}] * layers, "loss_per_sample": [0.5], "backward": [{}] * layers, "update": [{}] * layers,
            "diverged": None} | extra


def ids(js, tr) -> list[str]:
    return [p["id"] for p in js.call("animate.js", "phasesFor", tr)]


def test_a_step_goes_forward_then_loss_then_backward_from_the_output_then_update(js):
    assert ids(js, trace()) == ["forward-0", "forward-1", "forward-2", "loss", "backward-2", "backward-1", "update"]


def test_phases_are_numbered_in_order(js):
    phases = js.call("animate.js", "phasesFor", trace(layers=1))
    assert [p["index"] for p in phases] == list(range(len(phases)))
    assert [(p["kind"], p.get("layer")) for p in phases] == [
        ("forward", 0), ("forward", 1), ("loss", None), ("backward", 1), ("update", None)]


def test_a_forward_pass_alone_has_forward_phases_only(js):
    assert ids(js, {"forward": [{}, {}], "loss_per_sample": None, "backward": None, "update": None}) == [
        "forward-0", "forward-1", "forward-2"]


def test_a_diverged_step_stops_at_the_phase_that_overflowed(js):
    # Divergence layers index the per-layer lists: layer 0 of backward is node layer 1.
    diverged = {"phase": "backward", "layer": 1, "message": "overflow"}
    phases = js.call("animate.js", "phasesFor", trace(diverged=diverged))
    assert [p["id"] for p in phases] == ["forward-0", "forward-1", "forward-2", "loss", "backward-2"]
    assert phases[-1]["diverged"] == diverged
    assert all(p["diverged"] is None for p in phases[:-1])


CURSOR = """
  const { createPhaseCursor, phasesFor } = await mod("animate.js");
  const seen = [];
  const cursor = createPhaseCursor(phasesFor(args[0]), { onChange: (p, i) => seen.push([p.id, i]) });
  const log = [];
  const note = (moved) => log.push({ moved, index: cursor.index, id: cursor.phase.id,
    atStart: cursor.atStart, atEnd: cursor.atEnd });
  for (const move of args[1]) {
    if (move === "next") note(cursor.next());
    else if (move === "prev") note(cursor.prev());
    else note(cursor.goto(move));
  }
  return { log, seen };
"""


def test_the_cursor_moves_through_the_phases_and_reports_each_move(js):
    out = js.run(CURSOR, trace(layers=1), ["next", "next", "prev"])
    assert [(e["moved"], e["id"]) for e in out["log"]] == [(True, "forward-1"), (True, "loss"), (True, "forward-1")]
    assert out["seen"] == [["forward-1", 1], ["loss", 2], ["forward-1", 1]]


def test_the_cursor_stops_at_both_ends(js):
    out = js.run(CURSOR, trace(layers=1), ["prev", 4, "next"])
    first, last, beyond = out["log"]
    assert (first["moved"], first["index"], first["atStart"]) == (False, 0, True)
    assert (last["moved"], last["id"], last["atEnd"]) == (True, "update", True)
    assert (beyond["moved"], beyond["index"]) == (False, 4)
    assert out["seen"] == [["update", 4]]  # a refused move reports nothing


def test_goto_clamps_into_range_and_reports_even_without_a_move(js):
    out = js.run(CURSOR, trace(layers=1), [99, -5, 0])
    assert [e["index"] for e in out["log"]] == [4, 0, 0]
    assert [e["moved"] for e in out["log"]] == [True, True, False]
    assert out["seen"] == [["update", 4], ["forward-0", 0], ["forward-0", 0]]
