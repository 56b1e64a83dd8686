"""static/js/render/unit-names.js in the real browser: a unit's short and full name, the input units named
by their features when the network has them (the page's language is English)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SIZES = [2, 3, 1]
FEATURES = ["x₁²", "sin x₂"]


def test_input_units_take_their_features_labels_and_the_others_their_own(js) -> None:
    units = [(0, 0), (0, 1), (1, 2), (2, 0)]
    short = [js.call("render/unit-names.js", "shortName", k, u, SIZES, FEATURES) for k, u in units]
    assert short == ["x₁²", "sin x₂", "h1.3", "y₁"]
    assert js.call("render/unit-names.js", "unitName", 0, 1, SIZES, FEATURES) == "input sin x₂"
    assert js.call("render/unit-names.js", "unitName", 2, 0, SIZES, FEATURES) == "output y₁"


def test_without_features_the_inputs_are_x1_x2(js) -> None:
    assert js.call("render/unit-names.js", "shortName", 0, 1, SIZES, None) == "x₂"
    assert js.call("render/unit-names.js", "shortName", 0, 1, SIZES) == "x₂"
    assert js.call("render/unit-names.js", "unitName", 0, 0, SIZES) == "input x₁"
