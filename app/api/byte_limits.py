"""Bounds in bytes: the memory a network holds (max_network_bytes) and the size of every answer
(max_answer_bytes), estimated from shapes before any work is done (app.nn.sizing).

A network is checked whole at create, import and PATCH (`check_trainer`: its footprint, and the
answers its settings make on every later call: a /step of its batch, its data, its export), so that
no accepted setting makes every later request fail. Each request then checks its own answer from
what it asks (rows, steps, resolution, precision) before the work. A refusal is a LimitExceeded
with code network_too_large or answer_too_large (422), `field` naming what to lower and `params`
{limit, max, value, and `most`: the largest value of that field that fits, when there is one}.
An answer is estimated at PER_NUMBER bytes per number, plus OVERHEAD: above what the values of a network
take, and the answer_limit middleware refuses any answer that still comes out larger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..config import AppSettings
from ..nn import EngineError, Trainer
from ..nn.run import snapshot_count
from ..nn.sizing import footprint, forward_numbers, step_numbers
from .limits import LimitExceeded

# Bytes a number takes in an answer, at most for the values of a network (-1.2345678901234567e-05: a
# sign, 17 significant digits and a two-digit exponent, and its comma): JSON float64, the same rounded
# to float32, compact's base64 of float32, a CSV row per number (tests/api/test_byte_limits.py checks
# them against real answers). A rarer, longer number (1e-300) may pass an estimate: the answer is
# then refused as it leaves (middleware.answer_limit).
PER_NUMBER = {"float64": 24, "float32": 16, "compact": 6, "csv": 72}
OVERHEAD = 4096  # names, scalars and brackets of a body beside its arrays
MAP_FIELDS = 160  # a boundary map's lo, hi, shape and names beside its levels
GRADCHECK_ENTRY = 256  # one parameter of a gradient check: its place, both gradients, their error


def answer_bytes(numbers: int, precision: str = "float64") -> int:
    return numbers * PER_NUMBER[precision] + OVERHEAD


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def check_bytes(what: str, size: int, field: str, advice: str, s: AppSettings, most: int | None = None) -> None:
    """An answer of `size` bytes (an upper estimate) within max_answer_bytes; `advice` says what to lower."""
    if size > s.max_answer_bytes:
        extra = {} if most is None else {"most": max(0, most)}
        raise LimitExceeded(f"{what} would be about {size:,} bytes ({_mib(size)}); this server sends at most "
                            f"{s.max_answer_bytes:,} ({_mib(s.max_answer_bytes)}, max_answer_bytes): {advice}",
                            field, "max_answer_bytes", s.max_answer_bytes, size, code="answer_too_large", **extra)


def _most(size_of: Callable[[int], int], asked: int, s: AppSettings) -> int:
    """The largest n ≤ asked with size_of(n) within max_answer_bytes (size_of grows with n), 0 if none."""
    lo, hi = 0, asked
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if size_of(mid) <= s.max_answer_bytes else (lo, mid - 1)
    return lo


def check_answer(numbers: int, precision: str, what: str, field: str, advice: str, s: AppSettings) -> None:
    """An answer of `numbers` numbers (at most PER_NUMBER[precision] bytes each) within max_answer_bytes."""
    check_bytes(what, answer_bytes(numbers, precision), field, advice, s)


def _trace_numbers(layer_sizes: tuple[int, ...], rows: int, n_slots: int, adam: bool, use_bias: bool,
                   forward: bool) -> int:
    if forward:
        return forward_numbers(layer_sizes, rows)
    return step_numbers(layer_sizes, rows, n_slots, adam, True, use_bias)


def batch_rows(trainer: Trainer, inputs: list[Any] | None) -> int:
    """The rows of a step's batch: the caller's, or the next mini-batch's."""
    return len(inputs) if inputs is not None else min(trainer.settings.batch_size, trainer.n_train)


def check_step(trainer: Trainer, rows: int, precision: str, field: str, s: AppSettings, *,
               forward: bool = False, what: str = "this step's trace", advice: str | None = None) -> None:
    """A step's (or forward pass's) trace over `rows` samples, in `precision` (or csv); `advice` replaces
    "lower `field` to at most N rows" where the rows are not the caller's to choose (a kept step)."""
    arch = trainer.arch
    shape = (len(trainer.slots), trainer.settings.optimizer.name == "adam", arch.use_bias, forward)

    def size(r: int) -> int:
        return answer_bytes(_trace_numbers(arch.layer_sizes, r, *shape), precision)

    if size(rows) <= s.max_answer_bytes:  # the usual case: no search for the most that fits
        return
    most = _most(size, rows, s)
    compact = "" if precision in ("compact", "csv") else "ask for precision=compact (a fifth of the bytes)"
    if advice is None:
        advice = f"lower {field} to at most {most} rows" + (f", or {compact}" if compact else "")
    elif compact:
        advice = f"{compact}; {advice}"
    check_bytes(what, size(rows), field, advice, s, most)


def check_network(trainer: Trainer, s: AppSettings, data_field: str, field: str | None = None,
                  prefix: str = "") -> None:
    """The trainer's footprint (its most memory, see app.nn.sizing) within max_network_bytes."""
    fp = footprint(trainer)
    if fp.total <= s.max_network_bytes:
        return
    largest = fp.largest()
    where = field or {"parameters": prefix + "layer_sizes", "data": data_field,
                      "batch_size": prefix + "batch_size"}[largest]
    why = {"parameters": "its parameters and optimizer state (and the copies its kept steps hold)",
           "data": "its data (and the shuffled copies its kept steps' batches are slices of)",
           "batch_size": "the batches of the steps it keeps to explain them "
                         f"(batch_size {trainer.settings.batch_size})"}
    raise LimitExceeded(
        f"this network would hold up to {fp.total:,} bytes ({_mib(fp.total)}) of the server's memory, most of it "
        f"in {why[largest]}; this server allows {s.max_network_bytes:,} ({_mib(s.max_network_bytes)}, "
        f"max_network_bytes) per network: lower {where}", where, "max_network_bytes", s.max_network_bytes, fp.total,
        code="network_too_large", parameters=fp.parameters, optimizer=fp.optimizer, data=fp.data,
        kept=fp.kept_parameters + fp.kept_batches)


def check_trainer(trainer: Trainer, s: AppSettings, data_field: str = "dataset.n_samples",
                  field: str | None = None, prefix: str = "") -> None:
    """A network as created, imported or changed: its memory, and the answers every later call makes
    (a /step of its batch in float64, as the page asks; its data; its state and export). `field`: what
    a PATCH changed (named whatever weighs most); `prefix`: where the spec sits in the body ("spec.")."""
    check_network(trainer, s, data_field, field, prefix)
    check_step(trainer, batch_rows(trainer, None), "float64", prefix + "batch_size", s,
               what="a step's trace at this batch_size (float64)")
    d = trainer.data
    columns = trainer.n_raw + trainer.arch.layer_sizes[-1]  # /data holds the raw inputs
    data_numbers = (len(d.train_inputs) + len(d.test_inputs)) * columns
    check_answer(data_numbers, "float64", "this network's data (GET /data)", data_field, "use fewer samples", s)
    params = trainer.network.layout.size
    export = (2 + len(trainer.slots)) * params + (data_numbers if trainer.custom_data else 0)
    check_answer(export, "float64", "this network's export", prefix + "layer_sizes", "use a smaller network", s)


@contextmanager
def undone_if_refused(trainer: Trainer) -> Iterator[None]:
    """A PATCH's changes of how training continues (optimizer, its slots and t, regularization, batch
    size, its data) put back if the block refuses the result (a store that shares networks also reloads
    them)."""
    settings = trainer.settings
    saved = (settings.optimizer, settings.regularization, settings.batch_size, trainer.slots,
             trainer.optimizer_steps)
    data = (trainer.data, trainer.custom_data, settings.dataset, trainer.batches, trainer.data_edits)
    try:
        yield
    except (LimitExceeded, EngineError):
        (settings.optimizer, settings.regularization, settings.batch_size, trainer.slots,
         trainer.optimizer_steps) = saved
        trainer.data, trainer.custom_data, settings.dataset, trainer.batches, trainer.data_edits = data
        raise


def boundary_bytes(trainer: Trainer, resolution: int, hidden_resolution: int | None) -> int:
    """A boundary's maps: a byte per grid point and unit, in base64 (4 characters per 3 bytes), and each
    map's range and names (MAP_FIELDS)."""
    sizes = trainer.arch.layer_sizes
    hidden = (sum(sizes[1:-1]) + sizes[0]) * (hidden_resolution or resolution) ** 2  # the input units' maps too
    maps = sum(sizes)
    return (sizes[-1] * resolution**2 + hidden) * 4 // 3 + maps * MAP_FIELDS + OVERHEAD


def check_boundary_answer(trainer: Trainer, resolution: int, hidden_resolution: int | None, s: AppSettings,
                          copies: int = 1) -> None:
    size = copies * boundary_bytes(trainer, resolution, hidden_resolution)
    check_bytes("this boundary", size, "resolution", "ask for a lower resolution (or hidden_resolution)", s)


def train_numbers(trainer: Trainer, steps: int, eval_every: int | None, path: bool, snapshots: int = 0) -> int:
    """The numbers of a /train answer: the loss and each layer's gradient norm per step, the evaluations,
    the last step's gradients and δ means, the state (parameters, optimizer slots), the path and the
    snapshots (each: step, epoch, loss, parameters, and gradients as the last step's)."""
    layers = len(trainer.arch.layer_sizes) - 1
    params = trainer.network.layout.size
    evaluations = steps // (eval_every or steps or 1) + 1
    last = params + 2 * sum(trainer.arch.layer_sizes[1:])
    return steps * (1 + layers) + 6 * evaluations + last + (1 + len(trainer.slots)) * params + (
        steps * params if path else 0) + snapshot_count(steps, snapshots) * (3 + params + last)


def check_train_answer(trainers: list[Trainer], steps: int, eval_every: int | None, s: AppSettings, *,
                       fmt: str = "json", boundary: tuple[int, int | None] | None = None, path: bool = False,
                       snapshots: int = 0) -> None:
    """/train's (or a race's, over its racers) answer for `steps` steps."""
    def size(n: int) -> int:
        if fmt == "csv":
            return answer_bytes(n + 6 * (n // (eval_every or n or 1) + 1), "csv")
        total = sum(answer_bytes(train_numbers(t, n, eval_every, path, snapshots)) for t in trainers)
        if boundary is not None:
            total += sum(boundary_bytes(t, *boundary) for t in trainers if t.n_raw == 2)
        return total

    if size(steps) <= s.max_answer_bytes:
        return
    most = _most(size, steps, s)
    check_bytes("this training call's answer", size(steps), "steps", f"ask for at most {most} steps at a time", s,
               most)
