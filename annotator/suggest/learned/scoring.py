"""Held-out figures: claim precision, recall and F1 by one-to-one overlap match, and speaker
accuracy on the matched claims — the measure bench/suggest_eval.py reports (the match is
annotator/suggest/scoring.py's). Pure Python."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

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

    @classmethod
    def of(cls, truths: Sequence[Truth], found: Sequence[Found]) -> Tally:
        tally = cls()
        tally.add(truths, found)
        return tally

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        tallies = list(tallies)
        return cls(**{f.name: sum(getattr(t, f.name) for t in tallies) for f in fields(cls)})

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


def intervals(
    documents: Sequence[Tally], figures: Sequence[str] = ("f1", "speaker"), rounds: int = 1000
) -> dict[str, tuple[float, float] | None]:
    """A 95 % bootstrap interval of each figure over documents (resampled with replacement,
    the same draws for every figure): how far another sample of documents like these could
    move it. A held-out split of a few documents gives a wide one. None where the figure
    never exists (no speakers to score). Seeded: the same documents give the same answer."""
    rng = random.Random(0)
    values: dict[str, list[float]] = {name: [] for name in figures}
    for _ in range(rounds if documents else 0):
        total = Tally.total(rng.choices(documents, k=len(documents)))
        for name in figures:
            value = getattr(total, name)
            if value is not None:
                values[name].append(value)
    out: dict[str, tuple[float, float] | None] = {}
    for name, found in values.items():
        found.sort()
        low, high = int(0.025 * len(found)), int(0.975 * len(found)) - 1
        out[name] = (round(found[low], 3), round(found[high], 3)) if found else None
    return out
