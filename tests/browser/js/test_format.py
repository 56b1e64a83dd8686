"""static/js/format.js in the real browser: the numbers as the page writes them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("value", "text"), [
    (0.031234, "0.0312"), (-2.5, "−2.5"), (123456, "1.23e+5"), (12345, "12300"), (0, "0"), (None, "—"),
    (float("inf"), "∞"), (float("-inf"), "−∞"),
])
def test_format_number_keeps_three_significant_digits(js, value, text):
    assert js.call("format.js", "formatNumber", value) == text


def test_format_number_takes_the_digits_asked_for(js):
    assert js.call("format.js", "formatNumber", 3.14159, 2) == "3.1"


@pytest.mark.parametrize(("value", "full", "text"), [
    (0.123456, False, "0.123"), (-1234567, False, "−1.23e6"), (2e-5, False, "2.00e−5"),
    (0.1 + 0.2, True, "0.30000000000000004"), (None, False, "not finite"), (float("nan"), False, "not finite"),
])
def test_format_value_is_the_inspectors_format(js, value, full, text):
    assert js.call("format.js", "formatValue", value, full) == text


@pytest.mark.parametrize(("value", "text"), [
    (0.25, "0.25"), (-0.06, "−0.06"), (12.4, "12"), (0.008, "0.01"), (0.003, "3e−3"), (None, "—"), (0, "0"),
    (-4321, "−4e3"),
])
def test_compact_fits_five_characters_inside_a_unit(js, value, text):
    out = js.call("format.js", "compact", value)
    assert out == text
    assert len(out) <= 5


@pytest.mark.parametrize(("value", "text"), [(12345, "1.2e4"), (-0.5, "−0.5"), (0.0004, "4e−4"), (1.26, "1.3")])
def test_short_number_keeps_two_digits_for_legends(js, value, text):
    assert js.call("format.js", "shortNumber", value) == text


@pytest.mark.parametrize(("value", "nice"), [
    (0.7, 0.8), (1, 1), (1.01, 1.2), (95, 100), (0.0031, 0.004), (0, 1), (-3, 1), (float("inf"), 1),
])
def test_nice_ceil_rounds_up_to_a_nice_number(js, value, nice):
    assert js.call("format.js", "niceCeil", value) == nice
