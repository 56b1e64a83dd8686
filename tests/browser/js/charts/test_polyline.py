"""charts/polyline.js in the real browser: a long line traced with at most four vertices per pixel
column (first, lowest, highest, last, in order), broken where a value is not shown."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Records the path's moveTo/lineTo calls for points [step, value] with x = step / 10, y = value.
TRACE = """
  const { traceThinned } = await mod("charts/polyline.js");
  const calls = [];
  const ctx = { beginPath: () => calls.push(["begin"]), moveTo: (x, y) => calls.push(["move", x, y]),
                lineTo: (x, y) => calls.push(["line", x, y]) };
  const shown = args[1] ? (v) => v !== null && v > 0 : undefined;
  traceThinned(ctx, args[0], (s) => s / 10, (v) => v, shown);
  return calls;
"""


def test_a_column_keeps_its_first_lowest_highest_and_last_point_in_order(js):
    points = [[0, 5], [1, 9], [2, 1], [3, 7], [4, 3], [10, 4], [25, 6]]  # x = 0 … 0.4 share column 0

    calls = js.run(TRACE, points, False)

    # Column 0: first (0, 5), lowest y 1 at step 2, highest y 9 at step 1, last (0.4, 3) - in step order.
    assert calls == [["begin"], ["move", 0, 5], ["line", 0.1, 9], ["line", 0.2, 1], ["line", 0.4, 3],
                     ["line", 1, 4], ["line", 2.5, 6]]


def test_a_line_of_few_points_per_column_is_traced_whole(js):
    points = [[10 * k, k * k] for k in range(6)]

    calls = js.run(TRACE, points, False)

    assert calls == [["begin"], ["move", 0, 0]] + [["line", k, k * k] for k in range(1, 6)]


def test_ten_thousand_points_on_a_hundred_columns_need_at_most_four_hundred_vertices(js):
    points = [[s, (s * 7919) % 101] for s in range(10000)]  # x = s / 10: 1,000 columns of 10

    calls = js.run(TRACE, points, False)

    assert len(calls) - 1 <= 4 * 1000
    assert calls[1] == ["move", 0, 0] and calls[-1] == ["line", 999.9, (9999 * 7919) % 101]


def test_the_line_breaks_where_a_value_is_not_shown(js):
    points = [[0, 1], [10, 2], [20, None], [30, 0], [40, 3], [50, 4]]

    calls = js.run(TRACE, points, True)

    assert calls == [["begin"], ["move", 0, 1], ["line", 1, 2], ["move", 4, 3], ["line", 5, 4]]


def test_the_default_breaks_at_null_and_overflow(js):
    points = [[0, 1], [10, None], [20, 2], [30, 3]]

    calls = js.run(TRACE, points, False)

    assert calls == [["begin"], ["move", 0, 1], ["move", 2, 2], ["line", 3, 3]]
