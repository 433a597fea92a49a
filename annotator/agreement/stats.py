"""Chance-corrected agreement on nominal labels: Cohen's kappa and Krippendorff's alpha."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import krippendorff
import numpy as np


def cohen_kappa(table: Mapping[tuple[str, str], int]) -> float | None:
    """Cohen's kappa from counts of (label of a, label of b); None when undefined.

    Kept rather than sklearn's cohen_kappa_score (which takes this table as sample_weight):
    that one works in floats and moves a published 4th decimal now and then, e.g. 0.15625.
    """
    n = sum(table.values())
    agree = sum(count for (x, y), count in table.items() if x == y)
    rows: Counter[str] = Counter()
    cols: Counter[str] = Counter()
    for (x, y), count in table.items():
        rows[x] += count
        cols[y] += count
    # Integer arithmetic: kappa = (po - pe) / (1 - pe) with both multiplied by n².
    chance = sum(count * cols[label] for label, count in rows.items())
    if n == 0 or chance == n * n:
        return None
    return (agree * n - chance) / (n * n - chance)


def krippendorff_alpha(units: Iterable[Sequence[str]], labels: Sequence[str]) -> float | None:
    """Nominal alpha over units of stances (missing ones left out); None when undefined."""
    pairable = [unit for unit in units if len(unit) >= 2]
    seen = {stance for unit in pairable for stance in unit}
    if len(seen) < 2:
        return None
    domain = list(dict.fromkeys(labels)) + sorted(seen.difference(labels))
    column = {label: index for index, label in enumerate(domain)}
    counts = np.zeros((len(pairable), len(domain)))
    for row, unit in enumerate(pairable):
        for stance in unit:
            counts[row, column[stance]] += 1
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))
