"""Traces and training histories as CSV, to open in a spreadsheet: one row per number.

Columns: phase, layer, quantity, sample, i, j, value.
- phase: step (step, epoch), input (inputs, targets, sample_indices), forward, loss, backward, update
  (the update and the optimizer's numbers); for /train: history (loss) and evaluation.
- layer: as in `weights[layer]`: forward[l], backward[l] and update[l] are the layer that weights[l] feeds.
- quantity: the field's name as in the JSON (dotted inside the optimizer block, e.g.
  `optimizer.slots_after.v.weights`).
- sample: the row of the batch; i: the unit feeding weights[layer] (a weight's row, an input);
  j: the unit it feeds (a weight's column, a layer's unit, an output). For a history, i is the
  position in the list. Columns that do not apply to a number's array are empty.
- value: 17 significant digits (float64 read back exactly); a null (an overflowed number) is empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
from starlette.responses import Response

from .encoding import dumps

COLUMNS = ("phase", "layer", "quantity", "sample", "i", "j", "value")
Row = tuple[str, str, str, str, str, str, str]

PER_SAMPLE, MATRIX, VECTOR, SAMPLES, SCALAR = ("sample", "j"), ("i", "j"), ("j",), ("sample",), ()
TOP: dict[str, tuple[str, tuple[str, ...]]] = {  # the trace's own fields: phase and axes
    "step": ("step", SCALAR), "epoch": ("step", SCALAR),
    "inputs": ("input", ("sample", "i")), "targets": ("input", PER_SAMPLE), "sample_indices": ("input", SAMPLES),
    "loss": ("loss", SCALAR), "data_loss": ("loss", SCALAR), "loss_per_sample": ("loss", SAMPLES),
    "loss_after": ("loss", SCALAR),
}
LAYERS: dict[str, dict[str, tuple[str, ...]]] = {  # per-layer sections: each quantity's axes
    "forward": {"z": PER_SAMPLE, "a": PER_SAMPLE},
    "backward": {"grad_a": PER_SAMPLE, "grad_z": PER_SAMPLE, "grad_weights": MATRIX, "grad_biases": VECTOR},
    "update": {"weight_deltas": MATRIX, "bias_deltas": VECTOR, "weights": MATRIX, "biases": VECTOR},
}


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format(value, ".17g")


def cells(phase: str, layer: int | None, quantity: str, values: Any, axes: tuple[str, ...]) -> Iterator[Row]:
    """One row per number of `values`, nested as `axes` say."""
    def walk(node: Any, depth: int, where: dict[str, int]) -> Iterator[Row]:
        if depth == len(axes):
            sample, i, j = (str(where[c]) if c in where else "" for c in ("sample", "i", "j"))
            yield (phase, "" if layer is None else str(layer), quantity, sample, i, j, number(node))
            return
        for k, item in enumerate(node):
            yield from walk(item, depth + 1, {**where, axes[depth]: k})

    if values is not None or not axes:  # a null number is a row with an empty value; a null array, no rows
        yield from walk(values, 0, {})


def optimizer_rows(block: dict[str, Any]) -> Iterator[Row]:
    """The optimizer block: its numbers (learning_rate, t_before, ...), its hyperparameters, and every
    map of slots ({slot: {weights, biases}}: slots_before, slots_after, bias_corrected, ...)."""
    for key, value in block.items():
        quantity = f"optimizer.{key}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield from cells("update", None, quantity, value, SCALAR)
        elif isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict):  # a slot, per layer
                    for part, axes in (("weights", MATRIX), ("biases", VECTOR)):
                        for l, array in enumerate(item[part] or []):
                            yield from cells("update", l, f"{quantity}.{name}.{part}", array, axes)
                else:
                    yield from cells("update", None, f"{quantity}.{name}", item, SCALAR)


def trace_rows(trace: dict[str, Any]) -> Iterator[Row]:
    """Every number of a forward or step trace (as its JSON has it)."""
    for key, (phase, axes) in TOP.items():
        if key in trace:
            yield from cells(phase, None, key, trace[key], axes)
    for phase, quantities in LAYERS.items():
        for l, layer in enumerate(trace.get(phase, [])):
            for quantity, axes in quantities.items():
                yield from cells(phase, l, quantity, layer[quantity], axes)
    if trace.get("optimizer"):
        yield from optimizer_rows(trace["optimizer"])


def history_rows(history: dict[str, Any]) -> Iterator[Row]:
    """Every number of /train's history: loss[i], then each evaluation's fields."""
    for i, loss in enumerate(history["loss"]):
        yield ("history", "", "loss", "", str(i), "", number(loss))
    for i, evaluation in enumerate(history["evaluations"]):
        for quantity, value in evaluation.items():
            yield ("evaluation", "", quantity, "", str(i), "", number(value))


def as_json(content: Any) -> Any:
    """The structure as its JSON answer has it (arrays as lists, non-finite numbers as null)."""
    return orjson.loads(dumps(content))


def to_csv(rows: Iterator[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def trace_csv(trace: dict[str, Any]) -> str:
    return to_csv(trace_rows(as_json(trace)))


def history_csv(history: dict[str, Any]) -> str:
    return to_csv(history_rows(as_json(history)))


FORMAT_DESCRIPTION = ("json (default), or csv: the same numbers as a table, one row per number (phase, layer, "
                      "quantity, sample, i, j, value; 17 significant digits, null as an empty value), to "
                      "download and open in a spreadsheet.")
CSV_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "The JSON body, or with `format=csv` a CSV table."}}


def csv_response(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})
