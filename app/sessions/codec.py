"""How a network is written to a shared store: its whole export once, at creation, and after
that only the part a request can change (a few kilobytes of raw float64, cheap to save per step).

    base  = dump_base(trainer)    # orjson export: spec, seeds, initial weights, own data
    state = dump_state(trainer)   # trainer.snapshot(): parameters, optimizer state, step, epoch, settings
    load_state(load_base(base), state)  # trainer.restore(...): the same network, bit for bit

The state blob is a 4-byte little-endian header length, an orjson header (the scalars and the slot
arrays' shapes), then the arrays' bytes (little-endian float64): the network's flat parameter
vector (its shape is the network's own), then each optimizer slot's arrays. The header's "t" is
the optimizer's step count (the snapshot's `optimizer_steps`), named as in stored networks.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from ..nn import OptimizerSettings, RegularizationSettings, Snapshot, Trainer

_HEADER_LENGTH = struct.Struct("<I")
_FLOAT = np.dtype("<f8")


def dump_base(trainer: Trainer) -> bytes:
    return orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY)


def load_base(blob: bytes) -> Trainer:
    return Trainer.from_export(orjson.loads(blob))


def dump_state(trainer: Trainer) -> bytes:
    snap = trainer.snapshot()
    opt, reg = snap.optimizer, snap.regularization
    header = orjson.dumps({
        "step": snap.step, "epoch": snap.epoch, "epoch_position": snap.epoch_position,
        "t": snap.optimizer_steps,
        "optimizer": [opt.name, opt.learning_rate, opt.hyperparameters],
        "regularization": [reg.kind, reg.rate], "batch_size": snap.batch_size,
        "slots": {name: [a.shape for a in arrays] for name, arrays in snap.slots.items()},
    })
    arrays = [snap.params, *(a for arrays in snap.slots.values() for a in arrays)]
    return b"".join([_HEADER_LENGTH.pack(len(header)), header,
                     *(np.ascontiguousarray(a, dtype=_FLOAT).tobytes() for a in arrays)])


def load_state(trainer: Trainer, blob: bytes) -> None:
    """Put a saved state into a trainer of the same network (built from its base)."""
    (n,) = _HEADER_LENGTH.unpack_from(blob)
    offset = _HEADER_LENGTH.size + n
    header: dict[str, Any] = orjson.loads(blob[_HEADER_LENGTH.size:offset])

    def take(shape: tuple[int, ...]) -> NDArray[np.float64]:
        nonlocal offset
        count = int(np.prod(shape))
        a = np.frombuffer(blob, dtype=_FLOAT, count=count, offset=offset).reshape(shape)
        offset += count * _FLOAT.itemsize
        return a.astype(np.float64)  # a writable copy in the native byte order

    params = take((trainer.network.layout.size,))
    slots = {name: [take(tuple(shape)) for shape in shapes] for name, shapes in header["slots"].items()}
    if offset != len(blob):
        raise ValueError("a saved session state does not fit its network")
    name, learning_rate, hyperparameters = header["optimizer"]
    kind, rate = header["regularization"]
    trainer.restore(Snapshot(
        params, slots, optimizer_steps=header["t"], step=header["step"], epoch=header["epoch"],
        epoch_position=header["epoch_position"],
        optimizer=OptimizerSettings(name, learning_rate, dict(hyperparameters)),
        regularization=RegularizationSettings(kind, rate), batch_size=header["batch_size"]))
