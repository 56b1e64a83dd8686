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


# A 2-2-1 network's step with made-up numbers: what the signal dots carry in each phase.
WEIGHTS = [[[0.5, -1.0], [2.0, 0.25]], [[3.0], [-0.5]]]
NUMBERS = {
    "inputs": [[1.0, 2.0], [3.0, 0.0]],
    "forward": [{"z": [[0.1, 0.2], [0.3, 0.4]], "a": [[0.5, -0.5], [1.5, 0.5]]},
                {"z": [[0.7], [0.9]], "a": [[0.6], [0.8]]}],
    "loss_per_sample": [0.1, 0.2],
    "backward": [{"grad_a": [[0.3, 0.1], [0.1, -0.3]], "grad_z": [[0.2, 0.05], [0.04, -0.1]]},
                 {"grad_a": [[-0.4], [0.2]], "grad_z": [[-0.2], [0.6]]}],
    "update": [{}, {}],
    "diverged": None,
}


def plan(js, phase_id: str) -> dict[str, Any]:
    phase = next(p for p in js.call("animate.js", "phasesFor", NUMBERS) if p["id"] == phase_id)
    return js.call("animate.js", "pulsePlan", NUMBERS, phase, WEIGHTS)


def test_forming_a_hidden_layers_delta_the_error_flows_back_along_the_weights_out_of_it(js):
    # Backward · hidden layer 1: from y's δ back along weights[1] (h1 → y), each dot w·δ.
    p = plan(js, "backward-1")
    assert (p["layer"], p["backward"], p["fromLoss"]) == (1, True, False)
    mean_delta = (-0.2 + 0.6) / 2
    expected = {(i, 0): WEIGHTS[1][i][0] * mean_delta for i in range(2)}
    assert {(e["i"], e["j"]): e["value"] for e in p["items"]} == pytest.approx(expected, rel=1e-12)
    assert [abs(e["value"]) for e in p["items"]] == sorted((abs(v) for v in expected.values()), reverse=True)


def test_the_output_layers_delta_starts_from_the_loss_derivative(js):
    p = plan(js, "backward-2")
    assert (p["layer"], p["fromLoss"]) == (None, True)
    assert [(e["j"], e["value"]) for e in p["items"]] == [(0, pytest.approx((-0.4 + 0.2) / 2, rel=1e-12))]


def test_forward_dots_carry_each_inputs_share_of_z(js):
    p = plan(js, "forward-1")
    assert (p["layer"], p["backward"]) == (0, False)
    means = [2.0, 1.0]
    expected = {(i, j): means[i] * WEIGHTS[0][i][j] for i in range(2) for j in range(2)}
    assert {(e["i"], e["j"]): e["value"] for e in p["items"]} == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("f", "beat"), [
    (0, "flow"), (0.3, "flow"), (0.5, "derivative"), (0.8, "gradient"), (1, "gradient")])
def test_a_backward_phase_goes_through_its_beats_in_order(js, f, beat):
    assert js.call("animate.js", "backwardBeat", f) == beat
