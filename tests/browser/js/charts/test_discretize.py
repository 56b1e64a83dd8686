"""charts/discretize.js in the real browser: the output drawn as classes, thresholded where the
server counts accuracy (GET /options: decision_threshold)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CLASSES = """
  const d = await mod('charts/discretize.js');
  const maps = args[0].map((m) => Float32Array.from(m));
  return Array.from(maps[0], (_, i) => d.classAt(maps, i, args[1]));
"""


@pytest.mark.parametrize(("output", "values", "classes"), [
    ("sigmoid", [0.1, 0.5, 0.5001, 0.9], [0, 0, 1, 1]),  # above 0.5 is class 1; 0.5 itself is not
    ("tanh", [-0.3, 0.0, 0.01, 0.8], [0, 0, 1, 1]),
])
def test_one_output_is_compared_with_its_outputs_threshold(js, options, output, values, classes):
    threshold = js.call("charts/discretize.js", "thresholdOf", options, output)
    assert threshold == {"sigmoid": 0.5, "tanh": 0.0}[output]
    assert js.run(CLASSES, [values], threshold) == classes


def test_several_outputs_take_the_class_of_the_largest_the_first_of_equals(js):
    maps = [[0.7, 0.1, 0.3, 0.4], [0.2, 0.8, 0.3, 0.1], [0.1, 0.1, 0.4, 0.4]]
    assert js.run(CLASSES, maps, None) == [0, 1, 2, 0]


def test_a_regression_has_no_classes_to_draw(js, options):
    assert js.run("const d = await mod('charts/discretize.js'); "
                  "return d.discreteColours([Float32Array.from([0.2, -0.4])], 'regression', 0.5);") is None


def test_binary_classes_take_the_ends_of_the_output_scale(js):
    colours = js.run("""
      const d = await mod('charts/discretize.js');
      const { diverging } = await mod('colours.js');
      const colourOf = d.discreteColours([Float32Array.from([0.2, 0.8])], 'binary', 0.5);
      return [colourOf(0), colourOf(1), diverging(-0.85), diverging(0.85)];
    """)
    assert colours[0] == colours[2] and colours[1] == colours[3] and colours[0] != colours[1]
