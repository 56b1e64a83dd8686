"""static/js/play-frames.js in the real browser: the states of each /train answer handed out one per
frame, oldest first, never older than the newest answer but one; and how many a call asks for."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def answer(final: int, inside: list[int]) -> dict:
    """A /train answer ending at step `final` with snapshots at `inside` (weights tagged by step)."""
    return {"state": {"id": "n1", "spec": {"layer_sizes": [2, 1]}, "step": final, "epoch": 0,
                      "weights": [[[final]]], "biases": [[0]]},
            "last_step": {"grad_weights": [[[final]]]},
            "snapshots": [{"step": s, "epoch": 0, "loss": 0.5, "weights": [[[s]]], "biases": [[0]],
                           "last_step": {"grad_weights": [[[s]]]}} for s in inside]}


DRAIN = """
  const { FrameQueue } = await mod("play-frames.js");
  const queue = new FrameQueue();
  const drawn = [];
  for (const step of args[0]) {
    if (step === "answer") queue.add(args[1].shift());
    else for (let k = 0; k < step; k++) {
      const frame = queue.next();
      drawn.push(frame && [frame.state.step, frame.state.weights[0][0][0], frame.lastStep.grad_weights[0][0][0],
                           frame.state.id, frame.state.spec.layer_sizes.length]);
    }
  }
  return drawn;
"""


def test_an_answers_snapshots_come_one_per_frame_then_its_final_state(js):
    drawn = js.run(DRAIN, ["answer", 4], [answer(40, [10, 20, 30])])

    # Each frame draws its own step's weights with that step's gradients; the answer's other fields hold.
    assert drawn == [[10, 10, 10, "n1", 2], [20, 20, 20, "n1", 2], [30, 30, 30, "n1", 2], [40, 40, 40, "n1", 2]]


def test_a_queue_run_dry_hands_out_nothing_until_the_next_answer(js):
    drawn = js.run(DRAIN, ["answer", 3, "answer", 2], [answer(20, [10]), answer(40, [30])])

    assert drawn == [[10, 10, 10, "n1", 2], [20, 20, 20, "n1", 2], None, [30, 30, 30, "n1", 2],
                     [40, 40, 40, "n1", 2]]


def test_answers_faster_than_frames_drop_the_oldest_states_and_steps_only_go_forward(js):
    drawn = js.run(DRAIN, ["answer", 1, "answer", "answer", 4],
                   [answer(30, [10, 20]), answer(60, [40, 50]), answer(90, [70, 80])])

    steps = [d[0] for d in drawn if d]
    assert steps == [10, 60, 70, 80, 90]  # at most the newest answer's states and one more wait
    assert steps == sorted(steps)


def test_without_snapshots_each_answer_is_one_frame(js):
    drawn = js.run(DRAIN, ["answer", 2], [{**answer(5, []), "snapshots": None}])

    assert drawn == [[5, 5, 5, "n1", 2], None]


@pytest.mark.parametrize(("cycle_ms", "frame_ms", "most", "expected"), [
    (48, 1000 / 60, 8, 3),  # a call of ~3 frames: 3 snapshots and its final state, 4 frames
    (16, 1000 / 60, 8, 1),
    (200, 1000 / 60, 8, 8),  # at most `most`
    (48, 1000 / 120, 16, 6),  # a faster screen, more states
    (0, 1000 / 60, 8, 0),
    (48, 0, 8, 0),
])
def test_a_call_asks_for_enough_snapshots_to_last_until_the_next(js, cycle_ms, frame_ms, most, expected):
    assert js.call("play-frames.js", "snapshotsFor", cycle_ms, frame_ms, most) == expected
