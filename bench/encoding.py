"""Bytes and µs to encode one full step trace, exact (float64) and compact (float32).

    python -m bench.encoding
"""

from __future__ import annotations

import json

from app.api.encoding import as_float32, compact, dumps
from bench.engine import make_trainer, median_us
from bench.sizes import SIZES


def run(repeat: int = 2000) -> list[dict]:
    rows = []
    for key in ("b", "c"):
        trainer = make_trainer(SIZES[key])
        trace = trainer.step()
        full = dumps(trace)
        f32 = dumps(as_float32(trace))
        small = compact(trace)
        json.loads(full)  # valid JSON
        rows.append({
            "size": key,
            "full_bytes": len(full), "full_us": median_us(lambda tr=trace: dumps(tr), repeat),
            "f32_bytes": len(f32), "f32_us": median_us(lambda tr=trace: dumps(as_float32(tr)), repeat),
            "compact_bytes": len(small), "compact_us": median_us(lambda tr=trace: compact(tr), repeat),
        })
    return rows


def main() -> None:
    print("Encoding one full step trace (orjson, NumPy arrays serialized natively)")
    print(f"{'size':<5}{'float64 JSON':>22}{'float32 JSON':>22}{'compact (f32 buffer)':>24}")
    for r in run():
        print(f"{r['size']:<5}{r['full_bytes']:>10,} B {r['full_us']:>6.1f} µs{r['f32_bytes']:>10,} B "
              f"{r['f32_us']:>6.1f} µs{r['compact_bytes']:>12,} B {r['compact_us']:>6.1f} µs")


if __name__ == "__main__":
    main()
