"""How a network is written to a shared store: its whole export once, at creation, and after
that only the part a request can change (a few kilobytes of raw float64, cheap to save per step).

    base  = dump_base(trainer)    # orjson export: spec, seeds, initial weights, own data
    state = dump_state(trainer)   # weights, biases, optimizer slots and t, step, epoch, settings
    load_state(load_base(base), state)  # the same network, bit for bit

The state blob is a 4-byte little-endian header length, an orjson header (the scalars and the slot
arrays' shapes), then the arrays' bytes (little-endian float64): the network's flat parameter
vector (its shape is the network's own), then each optimizer slot's arrays.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import orjson

from ..nn import OptimizerSettings, RegularizationSettings, Trainer

_HEADER_LENGTH = struct.Struct("<I")
_FLOAT = np.dtype("<f8")


def dump_base(trainer: Trainer) -> bytes:
    return orjson.dumps(trainer.export(), option=orjson.OPT_SERIALIZE_NUMPY)


def load_base(blob: bytes) -> Trainer:
    return Trainer.from_export(orjson.loads(blob))


def dump_state(trainer: Trainer) -> bytes:
    s = trainer.settings
    opt, reg = s.optimizer, s.regularization
    header = orjson.dumps({
        "step": int(trainer.step_count), "epoch": int(trainer.epoch),
        "epoch_position": int(trainer.epoch_position), "t": int(trainer.t),
        "optimizer": [opt.name, opt.learning_rate, opt.hyperparameters],
        "regularization": [reg.kind, reg.rate], "batch_size": int(s.batch_size),
        "slots": {name: [a.shape for a in arrays] for name, arrays in trainer.slots.items()},
    })
    arrays = [trainer.network.params, *(a for arrays in trainer.slots.values() for a in arrays)]
    return b"".join([_HEADER_LENGTH.pack(len(header)), header,
                     *(np.ascontiguousarray(a, dtype=_FLOAT).tobytes() for a in arrays)])


def load_state(trainer: Trainer, blob: bytes) -> None:
    """Put a saved state into a trainer of the same network (built from its base)."""
    (n,) = _HEADER_LENGTH.unpack_from(blob)
    offset = _HEADER_LENGTH.size + n
    header: dict[str, Any] = orjson.loads(blob[_HEADER_LENGTH.size:offset])

    def take(shape) -> np.ndarray:
        nonlocal offset
        count = int(np.prod(shape))
        a = np.frombuffer(blob, dtype=_FLOAT, count=count, offset=offset).reshape(shape)
        offset += count * _FLOAT.itemsize
        return a.astype(np.float64)  # a writable copy in the native byte order

    params = take(trainer.network.params.shape)
    slots = {name: [take(shape) for shape in shapes] for name, shapes in header["slots"].items()}
    if offset != len(blob):
        raise ValueError("a saved session state does not fit its network")
    trainer.network.set_params(params)
    trainer.slots = slots
    trainer.t = header["t"]
    trainer.step_count = header["step"]
    trainer.epoch = header["epoch"]
    trainer.epoch_position = header["epoch_position"]
    name, learning_rate, hyperparameters = header["optimizer"]
    trainer.settings.optimizer = OptimizerSettings(name, learning_rate, dict(hyperparameters))
    kind, rate = header["regularization"]
    trainer.settings.regularization = RegularizationSettings(kind, rate)
    trainer.settings.batch_size = header["batch_size"]
