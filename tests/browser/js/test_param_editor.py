"""static/js/param-editor.js in the real browser: what a pinned ref edits, and the numbers typed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STATE = {"weights": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7], [0.8], [0.9]]],
         "biases": [[-0.1, -0.2, -0.3], [-0.4]]}


@pytest.mark.parametrize(("ref", "expected"), [
    ({"kind": "link", "layer": 0, "from": 1, "to": 2}, {"layer": 0, "kind": "weight", "index": [1, 2], "value": 0.6}),
    ({"kind": "link", "layer": 1, "from": 2, "to": 0}, {"layer": 1, "kind": "weight", "index": [2, 0], "value": 0.9}),
    ({"kind": "node", "layer": 1, "unit": 2}, {"layer": 0, "kind": "bias", "index": [2], "value": -0.3}),
    ({"kind": "node", "layer": 2, "unit": 0}, {"layer": 1, "kind": "bias", "index": [0], "value": -0.4}),
    ({"kind": "node", "layer": 0, "unit": 1}, None),  # an input has no bias
    ({"kind": "link", "layer": 2, "from": 0, "to": 0}, None),  # no such weight
])
def test_a_ref_edits_the_weight_or_bias_it_stands_for(js, ref, expected):
    assert js.call("param-editor.js", "parameterOf", ref, STATE) == expected


def test_a_unit_of_a_network_without_biases_edits_nothing(js):
    ref = {"kind": "node", "layer": 1, "unit": 0}
    assert js.call("param-editor.js", "parameterOf", ref, {**STATE, "biases": None}) is None


@pytest.mark.parametrize(("text", "value"), [
    ("2.5", 2.5), (" -0.125 ", -0.125), ("−3", -3.0), ("１．５", 1.5), ("1e-3", 1e-3), (".5", 0.5), ("+4", 4.0),
])
def test_numbers_are_read_as_typed(js, text, value):
    assert js.call("param-editor.js", "readNumber", text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,5", "0x10", "Infinity", "NaN", "2..", "1e"])
def test_anything_else_is_not_a_number(js, text):
    assert js.run("const m = await mod('param-editor.js'); return Number.isNaN(m.readNumber(args[0]));", text)
