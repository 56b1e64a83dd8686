"""Decision boundary: bytes and server time for one update of the output map and every hidden
unit's map, for the typical network (b), at the resolutions the page asks for.

    python -m bench.boundary
"""

from __future__ import annotations

from app.api.encoding import dumps
from app.api.views import boundary_view
from app.nn import DatasetSettings, InitSettings, Settings, Trainer
from bench.engine import median_us
from bench.sizes import SIZES

RESOLUTIONS = ((100, 25), (50, 20), (100, 100))  # (output, hidden); the page uses the first


def run(repeat: int = 300) -> list[dict]:
    size = SIZES["b"]
    trainer = Trainer(Settings(layer_sizes=list(size.layer_sizes), dataset=DatasetSettings("circle", seed=1),
                               init=InitSettings(seed=1), batch_size=size.batch))
    trainer.train(200)
    rows = []
    for res, hidden in RESOLUTIONS:
        body = dumps(boundary_view(trainer, res, hidden))
        us = median_us(lambda r=res, h=hidden: dumps(boundary_view(trainer, r, h)), repeat, warmup=20)
        rows.append({"resolution": res, "hidden_resolution": hidden, "bytes": len(body), "ms": us / 1000})
    return rows


def main() -> None:
    print("Boundary for (b): output map + 24 hidden-unit maps, computed and encoded (uint8, base64)")
    print(f"{'output N':>9}{'hidden N':>10}{'bytes':>10}{'server ms':>11}")
    for r in run():
        print(f"{r['resolution']:>9}{r['hidden_resolution']:>10}{r['bytes']:>10,}{r['ms']:>11.2f}")


if __name__ == "__main__":
    main()
