"""How a network is written to a shared store: its whole export once, at creation, and after
that only the part a request can change (a few kilobytes of raw float64, cheap to save per step).

    base  = dump_base(trainer)    # orjson export: spec, seeds, initial weights, own data
    state = dump_state(trainer)   # trainer.snapshot(): parameters, optimizer state, step, epoch, settings
    load_state(load_base(base), state)  # trainer.restore(...): the same network, bit for bit
    record = dump_record(trainer.kept.find(n))  # a kept step (history.py); load_record reads it back

The state blob is a 4-byte little-endian header length, an orjson header (the scalars and the slot
arrays' shapes), then the arrays' bytes (little-endian float64): the network's flat parameter
vector (its shape is the network's own), then each optimizer slot's arrays. The header's "t" is
the optimizer's step count (the snapshot's `optimizer_steps`), named as in stored networks.
A kept step's blob has the same layout, with the batch's arrays after the slots.
Once the data has been replaced in place (Trainer.replace_data; the base still holds the data the
network was made with), the state also carries it: the header's "data_edits" counts replacements and
"data" holds the arrays' shapes (inputs, targets, and a test part if any), their bytes come last;
a trainer whose own count differs takes that data before the rest of the state.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from ..nn import OptimizerSettings, RegularizationSettings, Snapshot, Trainer
from ..nn.history import StepRecord
from ..nn.optimizers import Slots

_HEADER_LENGTH = struct.Struct("<I")
_FLOAT = np.dtype("<f8")
_INDEX = np.dtype("<i8")


def dump_base(trainer: Trainer) -> bytes:
    return orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY)


def load_base(blob: bytes) -> Trainer:
    return Trainer.from_export(orjson.loads(blob))


def dump_state(trainer: Trainer) -> bytes:
    snap = trainer.snapshot()
    data = trainer.own_data() if trainer.data_edits else None
    edited: dict[str, Any] = {} if data is None else {
        "data_edits": trainer.data_edits, "data": {k: a.shape for k, a in data.items()}}
    return _pack({"step": snap.step, "epoch": snap.epoch, "epoch_position": snap.epoch_position,
                  "t": snap.optimizer_steps, **_settings_header(snap.optimizer, snap.regularization),
                  "batch_size": snap.batch_size, "slots": _shapes(snap.slots), **edited},
                 [snap.params, *_slot_arrays(snap.slots), *([] if data is None else data.values())])


def load_state(trainer: Trainer, blob: bytes) -> None:
    """Put a saved state into a trainer of the same network (built from its base)."""
    read = _Reader(blob)
    header = read.header
    params = read.take((trainer.network.layout.size,))
    slots = read.slots(header["slots"])
    data = {k: read.take(tuple(shape)) for k, shape in header.get("data", {}).items()}
    read.done()
    if data and header["data_edits"] != trainer.data_edits:
        trainer.replace_data(data)
        trainer.data_edits = header["data_edits"]
    optimizer, regularization = _settings(header)
    trainer.restore(Snapshot(
        params, slots, optimizer_steps=header["t"], step=header["step"], epoch=header["epoch"],
        epoch_position=header["epoch_position"], optimizer=optimizer, regularization=regularization,
        batch_size=header["batch_size"]))


def dump_record(record: StepRecord) -> bytes:
    """A kept step (history.StepRecord) in the state's layout: header, then the parameters, the
    slots, the inputs, the targets and (for a training-set batch) the sample indices."""
    indices = record.sample_indices
    return _pack({"step": record.step, "epoch": record.epoch, "t": record.optimizer_steps,
                  **_settings_header(record.optimizer, record.regularization), "slots": _shapes(record.slots),
                  "inputs": record.inputs.shape, "targets": record.targets.shape, "indices": indices is not None},
                 [record.params, *_slot_arrays(record.slots), record.inputs, record.targets,
                  *([] if indices is None else [indices])])


def load_record(trainer: Trainer, blob: bytes) -> StepRecord:
    """A kept step of this trainer's network, as dump_record wrote it."""
    read = _Reader(blob)
    header = read.header
    params = read.take((trainer.network.layout.size,))
    slots = read.slots(header["slots"])
    inputs, targets = read.take(tuple(header["inputs"])), read.take(tuple(header["targets"]))
    indices = read.take((len(inputs),), _INDEX) if header["indices"] else None
    read.done()
    optimizer, regularization = _settings(header)
    return StepRecord(header["step"], header["epoch"], params, slots, header["t"], optimizer, regularization,
                      inputs, targets, indices)


def _settings_header(opt: OptimizerSettings, reg: RegularizationSettings) -> dict[str, Any]:
    return {"optimizer": [opt.name, opt.learning_rate, opt.hyperparameters], "regularization": [reg.kind, reg.rate]}


def _settings(header: dict[str, Any]) -> tuple[OptimizerSettings, RegularizationSettings]:
    name, learning_rate, hyperparameters = header["optimizer"]
    kind, rate = header["regularization"]
    return OptimizerSettings(name, learning_rate, dict(hyperparameters)), RegularizationSettings(kind, rate)


def _shapes(slots: Slots) -> dict[str, list[tuple[int, ...]]]:
    return {name: [a.shape for a in arrays] for name, arrays in slots.items()}


def _slot_arrays(slots: Slots) -> list[NDArray[Any]]:
    return [a for arrays in slots.values() for a in arrays]


def _pack(header: dict[str, Any], arrays: list[NDArray[Any]]) -> bytes:
    """Header length, header, then each array's bytes (float64, or int64 indices; little-endian)."""
    raw = orjson.dumps(header)
    return b"".join([_HEADER_LENGTH.pack(len(raw)), raw,
                     *(np.ascontiguousarray(a, dtype=_INDEX if a.dtype.kind == "i" else _FLOAT).tobytes()
                       for a in arrays)])


class _Reader:
    """Reads what _pack wrote, array by array."""

    def __init__(self, blob: bytes):
        (n,) = _HEADER_LENGTH.unpack_from(blob)
        self.blob, self.offset = blob, _HEADER_LENGTH.size + n
        self.header: dict[str, Any] = orjson.loads(blob[_HEADER_LENGTH.size:self.offset])

    def take(self, shape: tuple[int, ...], dtype: np.dtype[Any] = _FLOAT) -> NDArray[Any]:
        count = int(np.prod(shape))
        a = np.frombuffer(self.blob, dtype=dtype, count=count, offset=self.offset).reshape(shape)
        self.offset += count * dtype.itemsize
        return a.astype(dtype.newbyteorder("="))  # a writable copy in the native byte order

    def slots(self, shapes: dict[str, list[list[int]]]) -> Slots:
        return {name: [self.take(tuple(shape)) for shape in arrays] for name, arrays in shapes.items()}

    def done(self) -> None:
        if self.offset != len(self.blob):
            raise ValueError("a saved session state does not fit its network")
