"""The hot endpoints' encodings: orjson JSON, the float32 copy, the compact buffer and uint8 maps."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from app.api.encoding import as_float32, compact, dumps, quantize

from .conftest import strict_json


def unpack(doc: dict, ref: dict) -> np.ndarray:
    values = np.frombuffer(base64.b64decode(doc["buffer"]), dtype="<f4")
    count = int(np.prod(ref["shape"]))
    return values[ref["offset"]:ref["offset"] + count].reshape(ref["shape"])


def test_dumps_writes_arrays_and_sends_non_finite_numbers_as_null():
    text = dumps({"a": np.array([[1.5, np.nan], [np.inf, -2.0]]), "x": float("-inf")})

    assert strict_json(text) == {"a": [[1.5, None], [None, -2.0]], "x": None}


def test_compact_puts_every_float_array_in_one_buffer_in_order():
    rng = np.random.default_rng(0)
    content = {
        "step": 3, "loss": 0.25, "diverged": None, "name": "x",
        "layers": [{"z": rng.normal(size=(4, 3)), "b": None}, {"z": rng.normal(size=(4, 1)), "b": rng.normal(size=1)}],
        "indices": np.array([3, 1, 2]),  # not floats: left to orjson
        "single": np.arange(5, dtype=np.float32),
        "empty": np.zeros((0, 3)),
    }

    doc = strict_json(compact(content))
    body = doc["body"]

    assert doc["encoding"] == "float32-buffer"
    assert body["step"] == 3 and body["loss"] == 0.25 and body["diverged"] is None and body["name"] == "x"
    assert body["layers"][0]["b"] is None
    assert [body["layers"][0]["z"]["offset"], body["layers"][1]["z"]["offset"], body["layers"][1]["b"]["offset"],
            body["single"]["offset"], body["empty"]["offset"]] == [0, 12, 16, 17, 22]
    assert body["indices"] == [3, 1, 2]
    for path in (("layers", 0, "z"), ("layers", 1, "z"), ("layers", 1, "b"), ("single",), ("empty",)):
        original, ref = content, body
        for key in path:
            original, ref = original[key], ref[key]
        assert list(ref["shape"]) == list(original.shape)
        np.testing.assert_array_equal(unpack(doc, ref), original.astype(np.float32))
    assert len(base64.b64decode(doc["buffer"])) == 4 * 22


def test_compact_reads_strided_and_big_endian_arrays_by_their_values():
    m = np.arange(12, dtype=np.float64).reshape(3, 4)
    content = {"column": m[:, 1], "transposed": m.T, "big_endian": np.array([1.5, -2.0], dtype=">f8")}

    doc = strict_json(compact(content))

    for name, original in content.items():
        ref = doc["body"][name]
        assert list(ref["shape"]) == list(original.shape)
        np.testing.assert_array_equal(unpack(doc, ref), original.astype(np.float32))
    assert [doc["body"][name]["offset"] for name in content] == [0, 3, 15]


def test_compact_keeps_non_finite_values_as_float32_specials():
    doc = strict_json(compact({"a": np.array([np.nan, np.inf, -np.inf, 1e300, 2.0])}))

    values = unpack(doc, doc["body"]["a"])

    assert np.isnan(values[0]) and values[1] == np.inf and values[2] == -np.inf
    assert values[3] == np.inf  # beyond float32's range
    assert values[4] == 2.0


def test_compact_of_content_without_arrays_has_an_empty_buffer():
    doc = strict_json(compact({"step": 1, "items": [1, 2]}))

    assert doc == {"encoding": "float32-buffer", "buffer": "", "body": {"step": 1, "items": [1, 2]}}


def test_compact_writes_numpy_scalars_as_numbers_and_refuses_other_objects():
    doc = strict_json(compact({"x": np.float64(0.5), "n": np.int64(3), "ok": np.bool_(True)}))

    assert doc["body"] == {"x": 0.5, "n": 3, "ok": True}
    with pytest.raises(TypeError):
        compact({"what": object()})


def test_as_float32_rounds_only_float64_arrays():
    content = {"w": [np.array([0.1, 0.2])], "i": np.array([1, 2]), "s": 0.1}

    rounded = as_float32(content)

    assert rounded["w"][0].dtype == np.float32 and rounded["i"].dtype == content["i"].dtype
    assert rounded["s"] == 0.1


@pytest.mark.parametrize("column", [np.linspace(-3.0, 5.0, 16), np.array([np.nan, 1.0, np.inf, 3.0])])
def test_quantize_maps_each_column_to_uint8_over_its_range(column):
    values = np.stack([column, np.full_like(column, 7.0)], axis=1)

    first, constant = quantize(values, 4)

    q = np.frombuffer(base64.b64decode(first["data"]), dtype=np.uint8)
    finite = np.isfinite(column)
    assert first["resolution"] == 4
    assert first["lo"] == column[finite].min() and first["hi"] == column[finite].max()
    restored = first["lo"] + q / 255 * (first["hi"] - first["lo"])
    np.testing.assert_allclose(restored[finite], column[finite], atol=(first["hi"] - first["lo"]) / 255)
    assert (q[~finite] == 0).all()  # an overflowed point takes the column's lowest value
    assert constant["lo"] == constant["hi"] == 7.0
    assert set(np.frombuffer(base64.b64decode(constant["data"]), dtype=np.uint8)) == {0}
