"""Held-out figures: claim precision, recall and F1 by one-to-one overlap match, and speaker
accuracy on the matched claims — the measure bench/suggest_eval.py reports (the match is
annotator/suggest/scoring.py's). Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.suggest.scoring import Pair, overlap
from annotator.suggest.scoring import match as match_pieces


def match(truth: Sequence[Pair], found: Sequence[Pair]) -> list[tuple[int, int]]:
    """One-to-one pairs (truth index, found index) of overlapping contiguous spans."""
    return match_pieces([(t,) for t in truth], [(f,) for f in found])


@dataclass(frozen=True, slots=True)
class Found:
    """A suggested claim as scored: its outer span and its speaker guesses."""

    claim: Pair
    speakers: tuple[Pair, ...]  # the mention and its antecedent, when there are


@dataclass(frozen=True, slots=True)
class Truth:
    claim: Pair
    speaker: Pair | None


@dataclass
class Tally:
    truth: int = 0
    found: int = 0
    hits: int = 0
    speaker_total: int = 0
    speaker_ok: int = 0

    def add(self, truths: Sequence[Truth], found: Sequence[Found]) -> None:
        self.truth += len(truths)
        self.found += len(found)
        pairs = match([t.claim for t in truths], [f.claim for f in found])
        self.hits += len(pairs)
        for i, j in pairs:
            if truths[i].speaker is None:
                continue
            self.speaker_total += 1
            self.speaker_ok += any(overlap(s, truths[i].speaker) for s in found[j].speakers)

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker(self) -> float | None:
        return self.speaker_ok / self.speaker_total if self.speaker_total else None
