"""The reference sizes of the speed issue, shared by every benchmark."""

from __future__ import annotations

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
