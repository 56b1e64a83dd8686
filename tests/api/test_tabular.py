"""CSV traces and histories (app.api.tabular): read back with Python's csv module, every row's value
is the JSON answer's number at the place the row names, and every number of the JSON has its row."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from app.api.tabular import COLUMNS, trace_csv

from .conftest import API

NETWORK = {"layer_sizes": [2, 3, 2, 1], "activation": "tanh", "optimizer": {"name": "adam"}, "batch_size": 4,
           "dataset": {"name": "xor", "n_samples": 20, "seed": 1}, "init": {"seed": 1},
           "regularization": {"kind": "l2", "rate": 0.01}}
SKIPPED = ("applied", "diverged")  # not numbers of the step: a flag and a reason


def read(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


def leaves(node: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Every number (or null in place of one) of a JSON document, by its path."""
    if isinstance(node, dict):
        return {p: v for k, item in node.items() if k not in SKIPPED for p, v in leaves(item, (*path, k)).items()}
    if isinstance(node, list):
        return {p: v for k, item in enumerate(node) for p, v in leaves(item, (*path, k)).items()}
    if isinstance(node, bool) or isinstance(node, str):
        return {}
    return {path: node}


def path_of(row: dict[str, str]) -> tuple:
    """Where the row's number is in the JSON, by the documented meaning of the columns."""
    index = tuple(int(row[c]) for c in ("sample", "i", "j") if row[c] != "")
    layer = (int(row["layer"]),) if row["layer"] != "" else ()
    if row["quantity"].startswith("optimizer."):
        return (*row["quantity"].split("."), *layer, *index)
    if layer:
        return (row["phase"], *layer, row["quantity"], *index)
    return (row["quantity"], *index)


def assert_same_numbers(rows: list[dict[str, str]], document: Any) -> None:
    numbers = leaves(document)
    seen = set()
    for row in rows:
        path = path_of(row)
        expected = numbers[path]
        assert (row["value"] == "") == (expected is None), (row, expected)
        if expected is not None:
            assert float(row["value"]) == expected, (row, expected)  # 17 digits: the float64 exactly
        seen.add(path)
    assert seen == set(numbers) and len(rows) == len(numbers)


def test_a_kept_steps_csv_trace_has_every_number_of_its_json_trace(client):
    sid = client.post(f"{API}/networks", json=NETWORK).json()["id"]
    client.post(f"{API}/networks/{sid}/step")
    client.post(f"{API}/networks/{sid}/step")

    trace = client.get(f"{API}/networks/{sid}/steps/2/trace").json()
    answer = client.get(f"{API}/networks/{sid}/steps/2/trace", params={"format": "csv"})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="step-2.csv"'
    rows = read(answer.text)
    assert_same_numbers(rows, trace)
    assert {r["phase"] for r in rows} == {"step", "input", "forward", "loss", "backward", "update"}
    assert {"optimizer.slots_after.m.weights", "optimizer.bias_corrected.v.biases"} <= {r["quantity"] for r in rows}
    weight = next(r for r in rows if r["quantity"] == "grad_weights" and r["layer"] == "1" and r["i"] == "2")
    assert weight["sample"] == "" and weight["j"] in ("0", "1")
    assert float(weight["value"]) == trace["backward"][1]["grad_weights"][2][int(weight["j"])]


def test_the_trace_csv_is_the_step_answer_in_csv(client):
    sid = client.post(f"{API}/networks", json=NETWORK).json()["id"]
    step = client.post(f"{API}/networks/{sid}/step").json()

    rows = read(client.get(f"{API}/networks/{sid}/steps/1/trace", params={"format": "csv"}).text)

    assert_same_numbers(rows, step)


def test_a_train_history_csv_has_the_numbers_of_the_json_history(client):
    body = {"steps": 7, "eval_every": 3}
    as_json = client.post(f"{API}/networks/{client.post(f'{API}/networks', json=NETWORK).json()['id']}/train",
                          json=body).json()["history"]
    twin = client.post(f"{API}/networks", json=NETWORK).json()["id"]  # the same seeds: the same run

    answer = client.post(f"{API}/networks/{twin}/train", json=body, params={"format": "csv"})

    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="train-to-step-7.csv"'
    rows = read(answer.text)
    assert len([r for r in rows if r["phase"] == "history"]) == 7
    history = {"loss": as_json["loss"], "evaluations": as_json["evaluations"]}
    for row in rows:
        i = int(row["i"])
        expected = history["loss"][i] if row["phase"] == "history" else history["evaluations"][i][row["quantity"]]
        assert (row["value"] == "" and expected is None) or float(row["value"]) == expected
    assert len(rows) == len(leaves(history))
    assert client.get(f"{API}/networks/{twin}").json()["step"] == 7  # the CSV call trained as the JSON one


def test_nulls_and_non_finite_numbers_are_empty_values_and_floats_keep_17_digits():
    trace = {"step": 1, "loss": None, "data_loss": math.inf, "loss_per_sample": [0.1, math.nan],
             "forward": [{"z": [[1 / 3]], "a": [[None]]}]}

    rows = read(trace_csv(trace))

    by_quantity = {(r["quantity"], r["sample"]): r["value"] for r in rows}
    assert by_quantity[("loss", "")] == "" and by_quantity[("data_loss", "")] == ""
    assert by_quantity[("loss_per_sample", "0")] == "0.10000000000000001"
    assert by_quantity[("loss_per_sample", "1")] == ""
    assert by_quantity[("z", "0")] == "0.33333333333333331" and by_quantity[("a", "0")] == ""
