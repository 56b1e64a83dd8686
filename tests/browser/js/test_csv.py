"""static/js/csv.js in the real browser: own data read from CSV text (a bad line named by its number)
and written back, labels as the network's output layer means them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BINARY = {"nInputs": 2, "nOutputs": 1, "range": [0, 1], "maxSamples": 10}
THREE = {"nInputs": 2, "nOutputs": 3, "range": [0, 1], "maxSamples": 10}


def parse(js, text: str, shape: dict) -> dict:
    return js.call("csv.js", "parseCsv", text, shape)


def test_a_header_blank_lines_comments_and_separators_are_taken_in_their_stride(js):
    text = "x1;x2;label\r\n\n# a comment\n1,2,1\n-0.5\t3e-1\t0\n 4 , 5 , 1 , test \n6,7,0,テスト\n"
    assert parse(js, text, BINARY) == {"data": {
        "inputs": [[1, 2], [-0.5, 0.3]], "targets": [[1], [0]],
        "test_inputs": [[4, 5], [6, 7]], "test_targets": [[1], [0]]}}


def test_without_a_test_line_there_is_no_test_part(js):
    assert parse(js, "1,2,0.25", {**BINARY, "range": None}) == {"data": {"inputs": [[1, 2]], "targets": [[0.25]]}}


def test_a_class_number_is_a_one_hot_target_in_the_outputs_range(js):
    assert parse(js, "0,0,1\n0,0,3", THREE)["data"]["targets"] == [[1, 0, 0], [0, 0, 1]]
    assert parse(js, "0,0,2", {**THREE, "range": [-1, 1]})["data"]["targets"] == [[-1, 1, -1]]


@pytest.mark.parametrize(("text", "shape", "key", "params"), [
    ("1,2,1\n1,2\n", BINARY, "csvFields", {"line": 2, "found": 2, "expected": 3, "columns": "x1, x2, label"}),
    ("x,y,label\n1,2,1\n1,abc,1\n", BINARY, "csvNumber", {"line": 3, "value": "abc"}),
    ("1,2,1\n1,2,", BINARY, "csvNumber", {"line": 2, "value": ""}),
    ("1,2,1\n1,2,4\n", THREE, "csvClass", {"line": 2, "value": "4", "last": 3}),
    ("1,2,1\n1,2,1.5\n", THREE, "csvClass", {"line": 2, "value": "1.5", "last": 3}),
    ("1,abc,1\n", BINARY, "csvNumber", {"line": 1, "value": "abc"}),  # not a header: it has numbers
    ("1,2,1,later\n", BINARY, "csvSet", {"line": 1, "value": "later"}),
    ("x1,x2,label\n1,2,1,test\n", BINARY, "csvNoTraining", {}),
    ("\n".join(["1,2,1"] * 11), BINARY, "csvTooMany", {"count": 11, "max": 10}),
])
def test_a_bad_line_is_named_by_its_number(js, text, shape, key, params):
    assert parse(js, text, shape) == {"error": {"key": key, "params": params}}


def test_the_csv_written_reads_back_to_the_same_data(js):
    data = {"inputs": [[0.1, -2], [3, 4]], "targets": [[0, 0, 1], [1, 0, 0]],
            "test_inputs": [[5, 6]], "test_targets": [[0, 1, 0]]}
    text = js.call("csv.js", "toCsv", data, THREE)
    assert text == "x1,x2,label,set\n0.1,-2,3,train\n3,4,1,train\n5,6,2,test\n"
    assert parse(js, text, THREE) == {"data": data}
