"""The reference sizes of the speed issue, shared by every benchmark; and (python -m bench.sizes) the
measured memory, disk and answer bytes of a small, the default and the largest legal network."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    key: str
    layer_sizes: tuple[int, ...]
    batch: int
    note: str


SIZES = {
    s.key: s
    for s in (
        Size("a", (2, 4, 1), 1, "2-4-1, batch 1"),
        Size("b", (2, 8, 8, 8, 1), 10, "2-8-8-8-1, batch 10 (the playground's typical size)"),
        Size("c", (2, 8, 8, 8, 8, 8, 8, 1), 30, "2, six hidden layers of 8, batch 30"),
        Size("d", (784, 128, 64, 10), 64, "784-128-64-10, batch 64 (engine only, beyond the API's limits)"),
        Size("e", (2, 8, 8, 1), 500, "2-8-8-1, batch 500"),
    )
}


# ---- the memory and disk of one network (for sizing the server's bounds: README, serving) -----------
# python -m bench.sizes: small, default and largest legal networks, measured.

MAX_ARCH = [64] + [32] * 8 + [32]  # max_inputs, max_hidden_layers of max_units, max_units outputs


def _trainer(spec: dict, data: dict | None = None):
    from app.nn import Settings, Trainer

    return Trainer(Settings.from_dict(spec), data=data)


def largest_legal(batch_size: int = 32, settings=None):
    """The largest network the bounds admit (AppSettings defaults unless given): the largest architecture,
    Adam, and as many rows of its own random data as max_network_bytes and max_answer_bytes allow (only an
    import can bring them: a creation's body is at most max_body_bytes). Returns (spec, data, trainer)."""
    import numpy as np

    from app.api.byte_limits import check_trainer
    from app.api.limits import LimitExceeded
    from app.config import AppSettings

    settings = settings or AppSettings()
    spec = {"layer_sizes": MAX_ARCH, "activation": "tanh", "output_activation": "linear", "loss": "mse",
            "optimizer": {"name": "adam", "learning_rate": 0.001}, "batch_size": batch_size, "init": {"seed": 1},
            "dataset": None}
    rng = np.random.default_rng(0)

    def build(n: int):
        data = {"inputs": rng.normal(size=(n, MAX_ARCH[0])).round(3),
                "targets": rng.normal(size=(n, MAX_ARCH[-1])).round(3)}
        return data, _trainer(spec, data)

    def fits(n: int) -> bool:
        try:
            check_trainer(build(n)[1], settings, "data.inputs")
        except LimitExceeded:
            return False
        return True

    lo, hi = 1, settings.max_samples
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
    data, trainer = build(lo)
    return spec, data, trainer


NETWORKS = {
    "small": ({"layer_sizes": [2, 4, 1], "dataset": {"name": "circle", "n_samples": 100, "seed": 1},
               "batch_size": 10, "optimizer": {"name": "sgd", "learning_rate": 0.1}, "init": {"seed": 1}}, None),
    "default": ({"dataset": {"name": "circle", "seed": 1}, "init": {"seed": 1}}, None),  # POST /networks {}
}


def measure(trainer) -> dict[str, int]:
    """Bytes: the footprint (the most it holds), what it holds after KEEP + 3 steps (measured), what a
    store keeps of it (base, state and KEEP kept steps, as the stores write them) and one /step answer."""
    from app.api.encoding import dumps
    from app.nn.history import KEEP
    from app.nn.sizing import footprint, held_nbytes
    from app.sessions.codec import dump_base, dump_record, dump_state

    projected = footprint(trainer).total
    for _ in range(KEEP + 2):
        trainer.step(details=False)
    answer = len(dumps(trainer.step()))
    stored = len(dump_base(trainer)) + len(dump_state(trainer)) + sum(len(dump_record(r)) for r in trainer.kept)
    return {"footprint": projected, "held": held_nbytes(trainer), "stored": stored, "step_answer": answer}


def measured_networks() -> dict[str, tuple[str, dict[str, int]]]:
    from app.api.routes.networks import trainer_from_body
    from app.schemas import NetworkCreate

    out = {}
    for name, (body, _) in NETWORKS.items():
        trainer = trainer_from_body(NetworkCreate.model_validate(body))
        out[name] = (f"{'-'.join(map(str, trainer.arch.layer_sizes))}, {trainer.n_train} training samples, "
                     f"batch {trainer.settings.batch_size}, {trainer.settings.optimizer.name}", measure(trainer))
    spec, data, trainer = largest_legal()
    out["largest legal"] = (f"64-32×8-32, {trainer.n_train} rows of its own data, batch {trainer.settings.batch_size}, "
                            "adam", measure(trainer))
    return out


def main() -> None:
    import platform

    import numpy as np

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}")
    print(f"{'network':<15}{'footprint':>12}{'held':>12}{'stored':>12}{'/step':>12}   (KiB)")
    for name, (what, m) in measured_networks().items():
        print(f"{name:<15}" + "".join(f"{m[k] / 1024:>12,.0f}" for k in ("footprint", "held", "stored", "step_answer"))
              + f"   {what}")


if __name__ == "__main__":
    main()
