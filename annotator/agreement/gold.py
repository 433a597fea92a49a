"""Each annotator against the gold standard: claim span precision, recall and F1 (exact and
overlap matching, as in annotator.agreement), micro-averaged over the documents where both
the annotator's submitted set and a complete gold set exist. Pure Python, no Django."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotator.agreement import ClaimRecord
from annotator.agreement.matching import exact_matches, match_overlap


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def against_gold(
    documents: Iterable[tuple[Sequence[ClaimRecord], Mapping[str, Sequence[ClaimRecord]]]],
) -> dict[str, dict[str, Any]]:
    """``documents``: (gold claims, annotator -> claims) per document; per annotator their
    documents, claims, gold claims, and precision/recall/F1 for exact and overlap."""
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gold, sets in documents:
        for name, claims in sets.items():
            t = tally[name]
            t["documents"] += 1
            t["claims"] += len(claims)
            t["gold"] += len(gold)
            t["exact"] += exact_matches(claims, gold)
            t["overlap"] += len(match_overlap(claims, gold))
    return {
        name: {
            "documents": t["documents"],
            "claims": t["claims"],
            "gold_claims": t["gold"],
            **{
                kind: {
                    "precision": _ratio(t[kind], t["claims"]),
                    "recall": _ratio(t[kind], t["gold"]),
                    "f1": _ratio(2 * t[kind], t["claims"] + t["gold"]),
                }
                for kind in ("exact", "overlap")
            },
        }
        for name, t in sorted(tally.items())
    }
