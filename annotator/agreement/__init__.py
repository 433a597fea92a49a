"""Inter-annotator agreement on claims: spans, stance, speaker and target, for a paper to cite.

Pure Python on plain values, no Django: the service layer turns the database into one mapping
per document, annotator username -> that annotator's ``ClaimRecord`` list. Only documents
with two or more annotators count; an annotator present with an empty list counts as having
found no claims there.

Matching is one-to-one, per document and pair of annotators:

- *exact*: same start and end (and the same fragments, for discontinuous spans). Duplicated
  spans match at most as often as they occur on both sides.
- *overlap*: at least one shared character (``Span.overlaps`` for the non-empty spans that
  ``offsets.check_span`` guarantees). A discontinuous span covers only its fragments: the
  words between the pieces of a quote are not part of it, so shared characters are counted
  fragment by fragment. We take the matching with the most shared characters in
  total (ties: more exact pairs, then more pairs), exactly rather than greedily: greedy "largest
  overlap first" gets it wrong, e.g. a=[0,10) [12,20), b=[5,15) [0,3): greedy pairs [0,10)
  with [5,15) (5 characters) and nothing else; the optimum pairs both (3 + 3). We do not
  maximise the number of pairs first: that would split two identical claims to pair each with
  a one-character sliver of a neighbour. The optimum comes from SciPy's exact assignment
  solver (``linear_sum_assignment``) on each run of chained overlapping spans (almost all runs
  are one claim per side and need no search); it sees the claims sorted by position, so the
  ties left are settled the same way every time.

Figures:

- span precision, recall, F1, micro-averaged over every annotator pair of every document:
  F1 = 2·Σmatches / Σ(|A|+|B|). The alphabetically first
  annotator of a pair (A) is the reference: precision = Σmatches / Σ|B|, recall = Σmatches / Σ|A|.
- stance, on overlap-matched pairs: Cohen's kappa per annotator pair over their matched
  claims with a stance on both sides (documents pooled), and the mean over pairs; Krippendorff's
  alpha (nominal, ``krippendorff`` package) over units aligned across all annotators of a
  document: the pairwise matches are merged into units, largest overlap first, skipping a merge
  that would put two claims of one annotator into one unit; a missing claim or an unset stance
  is a missing value.
- speaker and target: the share of matched pairs with the same key. Pairs where both keys are
  None are left out; one None against a key counts as disagreement.
- stance confusion in the coincidence convention (Krippendorff's): every matched pair is
  counted in both orders, [a][b] and [b][a]. The matrix is symmetric, an agreeing pair adds 2
  to its diagonal cell, and the cells sum to twice the matched pairs. Unset stance is "none".
- per annotator: span F1 against all the others pooled (micro, over the pairs they are in)
  and the mean of their pair kappas.

A figure that is undefined is None, never a made-up number: a ratio with nothing to divide by
(F1 when nobody marked a claim, speaker agreement with no comparable pair), kappa with no rated
pair or with chance agreement 1 (both annotators used one and the same label throughout),
alpha with no unit holding two stances or with a single label among them (expected
disagreement 0). Means are taken over the defined values only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.agreement.matching import (
    align_units,
    exact_matches,
    match_overlap,
    shared_characters,
)
from annotator.agreement.stats import cohen_kappa, krippendorff_alpha

__all__ = [
    "ClaimRecord",
    "align_units",
    "cohen_kappa",
    "compute",
    "exact_matches",
    "krippendorff_alpha",
    "match_overlap",
    "shared_characters",
]

CONFUSION_CONVENTION = (
    "symmetric: each matched pair counts in [a][b] and in [b][a], so an agreeing pair adds 2 "
    "to its diagonal cell and the cells sum to twice the matched pairs"
)


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    start: int
    end: int
    stance: str | None  # None: not set
    # ("entity", id) when an entity is linked, else ("span", start, end); None when absent.
    speaker: Hashable | None = None
    target: Hashable | None = None
    # The claim span's pieces when it is discontinuous (overlap counts their characters).
    pieces: tuple[tuple[int, int], ...] = ()
    # The pieces of the speaker and cue spans, for the token-wise role agreement.
    speaker_pieces: tuple[tuple[int, int], ...] = ()
    cue_pieces: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class _PairTally:
    documents: int = 0
    claims_a: int = 0
    claims_b: int = 0
    exact: int = 0
    overlap: int = 0
    stances: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    speaker_same: int = 0
    speaker_compared: int = 0
    target_same: int = 0
    target_compared: int = 0

    def add(self, a: Sequence[ClaimRecord], b: Sequence[ClaimRecord]) -> list[tuple[int, int]]:
        """Tally one document; return the overlap matches for the alpha units."""
        matches = match_overlap(a, b)
        self.documents += 1
        self.claims_a += len(a)
        self.claims_b += len(b)
        self.exact += exact_matches(a, b)
        self.overlap += len(matches)
        for i, j in matches:
            x, y = a[i], b[j]
            self.stances[(x.stance, y.stance)] += 1
            if x.speaker is not None or y.speaker is not None:
                self.speaker_compared += 1
                self.speaker_same += x.speaker == y.speaker
            if x.target is not None or y.target is not None:
                self.target_compared += 1
                self.target_same += x.target == y.target
        return matches

    def kappa(self) -> float | None:
        return cohen_kappa(
            {(x, y): n for (x, y), n in self.stances.items() if x is not None and y is not None}
        )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [value for value in values if value is not None]
    return round(sum(defined) / len(defined), 4) if defined else None


def _span_figures(matches: int, claims_a: int, claims_b: int) -> dict[str, Any]:
    return {
        "precision": _ratio(matches, claims_b),
        "recall": _ratio(matches, claims_a),
        "f1": _ratio(2 * matches, claims_a + claims_b),
        "matches": matches,
    }


def compute(
    documents: Iterable[Mapping[str, Sequence[ClaimRecord]]], labels: Sequence[str]
) -> dict[str, Any]:
    """Agreement figures over the documents that have at least two annotators."""
    tallies: dict[tuple[str, str], _PairTally] = {}
    claims_of: Counter[str] = Counter()
    documents_of: Counter[str] = Counter()
    units: list[list[str]] = []
    counted = 0
    for document in documents:
        if len(document) < 2:
            continue
        counted += 1
        names = sorted(document)
        for name in names:
            claims_of[name] += len(document[name])
            documents_of[name] += 1
        matches: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for a, b in combinations(names, 2):
            tally = tallies.setdefault((a, b), _PairTally())
            matches[(a, b)] = tally.add(document[a], document[b])
        for unit in align_units(document, matches):
            stances = [document[name][i].stance for name, i in unit.items()]
            rated = [stance for stance in stances if stance is not None]
            if len(rated) >= 2:  # only units with two stances or more carry information
                units.append(rated)
    return _report(counted, tallies, claims_of, documents_of, units, labels)


def _report(
    counted: int,
    tallies: dict[tuple[str, str], _PairTally],
    claims_of: Counter[str],
    documents_of: Counter[str],
    units: list[list[str]],
    labels: Sequence[str],
) -> dict[str, Any]:
    kappas = {pair: tally.kappa() for pair, tally in sorted(tallies.items())}
    pairs = [
        {
            "a": a,
            "b": b,
            "documents": t.documents,
            "claims_a": t.claims_a,
            "claims_b": t.claims_b,
            "exact": _span_figures(t.exact, t.claims_a, t.claims_b),
            "overlap": _span_figures(t.overlap, t.claims_a, t.claims_b),
            "cohen_kappa": _round(kappas[(a, b)]),
            "speaker_agreement": _ratio(t.speaker_same, t.speaker_compared),
            "target_agreement": _ratio(t.target_same, t.target_compared),
        }
        for (a, b), t in sorted(tallies.items())
    ]
    every = list(tallies.values())
    claims_a = sum(t.claims_a for t in every)
    claims_b = sum(t.claims_b for t in every)
    exact = _span_figures(sum(t.exact for t in every), claims_a, claims_b)
    overlap = _span_figures(sum(t.overlap for t in every), claims_a, claims_b)
    stances: Counter[tuple[str | None, str | None]] = sum((t.stances for t in every), Counter())
    speaker_compared = sum(t.speaker_compared for t in every)
    target_compared = sum(t.target_compared for t in every)
    return {
        "documents": counted,
        "annotators": sorted(documents_of),
        "pairs": pairs,
        "span_f1": {"exact": exact["f1"], "overlap": overlap["f1"]},
        "span_precision": {"exact": exact["precision"], "overlap": overlap["precision"]},
        "span_recall": {"exact": exact["recall"], "overlap": overlap["recall"]},
        "stance": {
            "cohen_kappa_mean": _mean(kappas.values()),
            "krippendorff_alpha": _round(krippendorff_alpha(units, labels)),
            "confusion": _confusion(stances, labels),
            "confusion_convention": CONFUSION_CONVENTION,
            "matched_pairs": stances.total(),
            "rated_pairs": sum(
                n for (x, y), n in stances.items() if x is not None and y is not None
            ),
            "alpha_units": len(units),
        },
        "speaker_agreement": _ratio(sum(t.speaker_same for t in every), speaker_compared),
        "speaker_pairs": speaker_compared,
        "target_agreement": _ratio(sum(t.target_same for t in every), target_compared),
        "target_pairs": target_compared,
        "per_annotator": {
            name: _annotator_figures(name, tallies, kappas, claims_of, documents_of)
            for name in sorted(documents_of)
        },
    }


def _confusion(
    stances: Counter[tuple[str | None, str | None]], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    seen = {s for pair in stances for s in pair if s is not None}
    domain = list(dict.fromkeys(labels)) + sorted(seen.difference(labels))
    # A project label literally called "none" must not merge with unset stances.
    unset = "none" if "none" not in domain else "(none)"
    keys = [*domain, unset]
    matrix = {row: dict.fromkeys(keys, 0) for row in keys}
    for (x, y), count in stances.items():
        x_key = unset if x is None else x
        y_key = unset if y is None else y
        matrix[x_key][y_key] += count
        matrix[y_key][x_key] += count
    return matrix


def _annotator_figures(
    name: str,
    tallies: dict[tuple[str, str], _PairTally],
    kappas: dict[tuple[str, str], float | None],
    claims_of: Counter[str],
    documents_of: Counter[str],
) -> dict[str, Any]:
    """One annotator against all others pooled (micro), and the mean of their pair kappas."""
    mine = [pair for pair in tallies if name in pair]
    claims = sum(tallies[p].claims_a + tallies[p].claims_b for p in mine)
    return {
        "claims": claims_of[name],
        "documents": documents_of[name],
        "span_f1": {
            "exact": _ratio(2 * sum(tallies[p].exact for p in mine), claims),
            "overlap": _ratio(2 * sum(tallies[p].overlap for p in mine), claims),
        },
        "cohen_kappa_mean": _mean(kappas[p] for p in mine),
    }
