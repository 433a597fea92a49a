"""One-to-one matching of two annotators' claims, and alignment of claims across annotators.

The conventions (why optimal rather than greedy, how ties break) are in the package docstring.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linear_sum_assignment

if TYPE_CHECKING:
    from annotator.agreement import ClaimRecord


def exact_matches(a: Sequence[ClaimRecord], b: Sequence[ClaimRecord]) -> int:
    """Count one-to-one exact matches between two annotators' claims."""
    spans_a = Counter((c.start, c.end, c.pieces) for c in a)
    spans_b = Counter((c.start, c.end, c.pieces) for c in b)
    return (spans_a & spans_b).total()


def shared_characters(x: ClaimRecord, y: ClaimRecord) -> int:
    """Characters both claim spans cover; a discontinuous span covers its fragments only."""
    if not x.pieces and not y.pieces:
        return max(0, min(x.end, y.end) - max(x.start, y.start))
    return sum(
        max(0, min(b, d) - max(a, c))
        for a, b in (x.pieces or ((x.start, x.end),))
        for c, d in (y.pieces or ((y.start, y.end),))
    )


def match_overlap(a: Sequence[ClaimRecord], b: Sequence[ClaimRecord]) -> list[tuple[int, int]]:
    """Optimal one-to-one overlap matching, as sorted (index in a, index in b) pairs."""
    pairs: list[tuple[int, int]] = []
    for rows, cols in _overlap_runs(a, b):
        if len(rows) == 1 and len(cols) == 1:
            if shared_characters(a[rows[0]], b[cols[0]]):
                pairs.append((rows[0], cols[0]))
            continue
        # The lexicographic objective (shared characters, then exact pairs, then pairs) folded
        # into one integer weight. A matching has at most n pairs, so its exact bonuses (n + 1
        # each) and pair counts (1 each) sum to at most n·(n + 1) + n < scale, the worth of one
        # shared character; and one exact bonus outweighs any difference in count.
        n = min(len(rows), len(cols))
        scale = (n + 1) ** 2
        weights = np.zeros((len(rows), len(cols)), dtype=np.int64)
        for r, i in enumerate(rows):
            for c, j in enumerate(cols):
                shared = shared_characters(a[i], b[j])
                exact = (a[i].start, a[i].end, a[i].pieces) == (b[j].start, b[j].end, b[j].pieces)
                weights[r, c] = shared * scale + exact * (n + 1) + 1 if shared else 0
        # SciPy solves in float64, exact for these integers: far below 2**53 for any document.
        # A zero-weight pair (no shared character) is no match.
        chosen = zip(*linear_sum_assignment(weights, maximize=True), strict=True)
        pairs.extend((rows[r], cols[c]) for r, c in chosen if weights[r, c])
    return sorted(pairs)


def _overlap_runs(
    a: Sequence[ClaimRecord], b: Sequence[ClaimRecord]
) -> list[tuple[list[int], list[int]]]:
    """Split both claim lists into runs of chained overlapping spans; no match crosses runs."""
    spans = sorted(
        [(c.start, c.end, 0, i) for i, c in enumerate(a)]
        + [(c.start, c.end, 1, j) for j, c in enumerate(b)]
    )
    runs: list[tuple[list[int], list[int]]] = []
    reach = -1
    for start, end, side, index in spans:
        if start >= reach:
            runs.append(([], []))
        runs[-1][side].append(index)
        reach = max(reach, end)
    return [run for run in runs if run[0] and run[1]]


def align_units(
    claims: Mapping[str, Sequence[ClaimRecord]],
    matches: Mapping[tuple[str, str], Sequence[tuple[int, int]]],
) -> list[dict[str, int]]:
    """Merge one document's pairwise matches into units of at most one claim per annotator.

    ``matches`` maps each annotator pair (a, b) to its (index in a, index in b) pairs; the
    result maps annotator -> claim index, for the units that hold two claims or more.
    """
    edges = sorted(
        (-shared_characters(claims[a][i], claims[b][j]), a, i, b, j)
        for (a, b), pairs in matches.items()
        for i, j in pairs
    )
    unit_of: dict[tuple[str, int], int] = {}
    units: list[dict[str, int]] = []
    # Largest overlap first (then position): when a chain of matches would put two claims of
    # one annotator in a unit, the weakest link is the one dropped.
    for _, a, i, b, j in edges:
        for name, index in ((a, i), (b, j)):
            if (name, index) not in unit_of:
                unit_of[(name, index)] = len(units)
                units.append({name: index})
        ua, ub = unit_of[(a, i)], unit_of[(b, j)]
        if ua != ub and units[ua].keys().isdisjoint(units[ub]):
            for name, index in units[ub].items():
                unit_of[(name, index)] = ua
            units[ua].update(units[ub])
            units[ub] = {}
    return [unit for unit in units if len(unit) >= 2]
