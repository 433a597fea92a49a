"""How suggested claims are scored against true ones: a one-to-one match of claim spans,
the measure every suggestion figure (bench/suggest_eval.py, the trained suggester's
held-out split) reports. A span is its pieces: one, or a discontinuous claim's fragments.
Pure Python."""

from __future__ import annotations

from collections.abc import Sequence

Pair = tuple[int, int]
Pieces = tuple[Pair, ...]


def overlap(a: Pair, b: Pair) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _shared(a: Pieces, b: Pieces) -> int:
    return sum(overlap(x, y) for x in a for y in b)


def _size(a: Pieces) -> int:
    return sum(e - s for s, e in a)


def match(
    truth: Sequence[Pieces], found: Sequence[Pieces], exact: bool = False
) -> list[tuple[int, int]]:
    """One-to-one pairs (truth index, found index) of equal (``exact``) or overlapping spans,
    greedy by shared characters over the union, best first."""
    candidates = []
    for i, t in enumerate(truth):
        for j, f in enumerate(found):
            if exact:
                if t == f:
                    candidates.append((1.0, i, j))
            elif f[0][0] < t[-1][1] and t[0][0] < f[-1][1] and (shared := _shared(t, f)) > 0:
                candidates.append((shared / (_size(t) + _size(f) - shared), i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_t: set[int] = set()
    used_f: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return pairs
