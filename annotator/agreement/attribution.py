"""PolNeAR's two agreement measures on attribution (claim) annotation. Pure Python + numpy.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) reports, over its multi-annotated articles,
a token-wise Krippendorff's α of 75.4 % and an attribution-wise agreement of 92.3 %. We
compute the same two measures on any project, defined as follows.

- **Token-wise α over source/cue/content/none**: every token of a document (a run of word
  characters, or one other non-space character) gets, from each annotator of the document,
  one label: *source* if one of their speaker spans covers any of its characters, *cue* for
  a cue span, *content* for a claim span (fragments only), else *none* (a token under two
  roles takes the narrower: cue, then source, then content). Each token is a unit;
  Krippendorff's α (nominal) over all units, pooled across documents; the coincidence
  matrix counts every ordered pair of annotators' labels on a unit, weighted 1/(m_u − 1).
- **Attribution-wise agreement (agr)**, after Wiebe et al. (2005) as used for PARC:
  agr(A‖B) is the share of A's attributions that match one of B's, one to one; two
  attributions match when their cues share a character (an attribution is anchored on its
  cue, the event trigger in PolNeAR's files), or their claim spans do when either has no
  cue. The figure for a pair is the mean of agr(A‖B) and agr(B‖A) with counts pooled over
  their shared documents; the overall figure pools every pair's counts the same way.

Only documents with two or more annotators count. Our tokens are not CoreNLP's (PolNeAR's),
and our figures cover the articles a project holds, so expect nearby, not equal, figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator.agreement.matching import match_overlap

if TYPE_CHECKING:
    from annotator.agreement import ClaimRecord

# In order of precedence: where spans of several roles cover a token, the narrower role wins.
LABELS = ("none", "content", "source", "cue")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_ROLES = (("content", "pieces"), ("source", "speaker_pieces"), ("cue", "cue_pieces"))


def token_labels(text: str, claims: Sequence[ClaimRecord]) -> np.ndarray:
    """One label index (see LABELS) per token of the text."""
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    per_char = np.zeros(len(text), dtype=np.int8)
    for label, attribute in _ROLES:
        index = LABELS.index(label)
        for claim in claims:
            pieces = getattr(claim, attribute)
            if attribute == "pieces" and not pieces:
                pieces = ((claim.start, claim.end),)
            for start, end in pieces:
                per_char[start:end] = np.maximum(per_char[start:end], index)
    return np.array([per_char[a:b].max() if b > a else 0 for a, b in tokens], dtype=np.int8)


@dataclass
class _Agr:
    matched_a: int = 0
    matched_b: int = 0
    total_a: int = 0
    total_b: int = 0

    def figure(self) -> float | None:
        shares = [
            m / t for m, t in ((self.matched_a, self.total_a), (self.matched_b, self.total_b)) if t
        ]
        return round(sum(shares) / len(shares), 4) if shares else None


@dataclass
class AttributionTally:
    """Fed one document at a time (``add``), so a project never has to be held whole."""

    coincidences: np.ndarray = field(default_factory=lambda: np.zeros((4, 4)))
    tokens: int = 0
    documents: int = 0
    pairs: dict[tuple[str, str], _Agr] = field(default_factory=dict)

    def add(self, text: str, sets: Mapping[str, Sequence[ClaimRecord]]) -> None:
        if len(sets) < 2:
            return
        names = sorted(sets)
        self.documents += 1
        labels = np.stack([token_labels(text, sets[name]) for name in names])
        if labels.shape[1]:
            counts = np.stack([(labels == i).sum(axis=0) for i in range(4)], axis=1)
            pairs = counts.T @ counts - np.diag(counts.sum(axis=0))
            self.coincidences += pairs / (len(names) - 1)
            self.tokens += labels.shape[1]
        for a, b in combinations(names, 2):
            tally = self.pairs.setdefault((a, b), _Agr())
            matched = len(match_overlap(_anchors(sets[a]), _anchors(sets[b])))
            tally.matched_a += matched
            tally.matched_b += matched
            tally.total_a += len(sets[a])
            tally.total_b += len(sets[b])

    def report(self) -> dict[str, Any]:
        overall = _Agr()
        for tally in self.pairs.values():
            overall.matched_a += tally.matched_a
            overall.matched_b += tally.matched_b
            overall.total_a += tally.total_a
            overall.total_b += tally.total_b
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            "token_alpha": _nominal_alpha(self.coincidences),
            "agr": overall.figure(),
            "pairs": [
                {"a": a, "b": b, "agr": tally.figure()}
                for (a, b), tally in sorted(self.pairs.items())
            ],
            "published": {"token_alpha": 0.754, "agr": 0.923},
        }


def _anchors(claims: Sequence[ClaimRecord]) -> list[ClaimRecord]:
    """Each attribution as the span it is anchored on: its cue, else its claim span."""
    from annotator.agreement import ClaimRecord

    anchored = []
    for claim in claims:
        pieces = claim.cue_pieces or claim.pieces or ((claim.start, claim.end),)
        start, end = pieces[0][0], pieces[-1][1]
        anchored.append(ClaimRecord(start, end, None, pieces=pieces if len(pieces) > 1 else ()))
    return anchored


def _nominal_alpha(coincidences: np.ndarray) -> float | None:
    """α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, from the coincidence matrix.

    The matrix is summed a document at a time, so memory stays flat however many tokens
    (the krippendorff package wants every unit's counts at once; the tests check that both
    give the same α)."""
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    expected = np.outer(totals, totals).sum() - (totals**2).sum()
    if n <= 1 or expected == 0:
        return None
    observed = coincidences.sum() - np.trace(coincidences)
    return round(float(1 - (n - 1) * observed / expected), 4)
