"""Checks on the caller's numbers: the right shapes, finite, in the loss's range, or a named refusal."""

from __future__ import annotations

import numpy as np
import pytest

from app.nn import EngineError, InitSettings, Settings
from app.nn.checks import as_matrix, given_batch, parameters
from app.nn.network import Layout


def test_a_flat_list_is_one_feature_per_sample():
    assert as_matrix([1, 2, 3], "inputs").shape == (3, 1)
    assert as_matrix([[1, 2]], "inputs").dtype == np.float64


@pytest.mark.parametrize("values, message", [
    ([[1.0, 2.0], [3.0]], "rectangular"),
    ([["a", 1.0]], "rectangular"),
    ([], "non-empty"),
    ([[[1.0]]], "non-empty"),
    ([[float("inf")]], "non-finite"),
])
def test_a_bad_matrix_is_refused_by_name(values, message):
    with pytest.raises(EngineError, match=message) as err:
        as_matrix(values, "data.inputs")
    assert err.value.field == "data.inputs"


def test_a_given_batch_fits_the_layers_and_the_loss():
    x, t = given_batch((2, 3, 1), "binary_cross_entropy", [[0.0, 1.0]], [[1.0]])
    assert x.shape == (1, 2) and t is not None and t.shape == (1, 1)
    assert given_batch((2, 3, 1), "mse", [[0.0, 1.0]], None)[1] is None
    for inputs, targets, field in [([[0.0]], None, "inputs"), ([[0.0, 1.0]], [[1.0, 0.0]], "targets"),
                                   ([[0.0, 1.0]], [[2.0]], "targets")]:
        with pytest.raises(EngineError) as err:
            given_batch((2, 3, 1), "binary_cross_entropy", inputs, targets)
        assert err.value.field == field


def test_missing_parameters_come_from_the_init_settings():
    settings = Settings(layer_sizes=[2, 3, 1], init=InitSettings(seed=4, bias_value=0.25))
    layout = Layout((2, 3, 1), True)
    W, B = parameters(settings, layout, None, None)
    assert [w.shape for w in W] == [(2, 3), (3, 1)]
    assert B is not None and [b.tolist() for b in B] == [[0.25] * 3, [0.25]]
    W2, _ = parameters(settings, layout, None, None)
    np.testing.assert_array_equal(W[0], W2[0])  # the same seed, the same draw
    given, _ = parameters(settings, layout, [np.ones((2, 3)), np.ones((3, 1))], None)
    assert [w.tolist() for w in given] == [np.ones((2, 3)).tolist(), [[1.0]] * 3]
