"""Train and apply the token CRFs of the trained suggester; the model is a bytes value.

Two linear-chain CRFs (CRFsuite, through python-crfsuite) over a document's tokens:

* claims: ``B`` starts a claim, ``I`` continues it, ``C`` starts a further fragment of the
  claim before it (the second half of a quote split by "he said"), ``O`` elsewhere;
* roles: ``B-S``/``I-S`` a speaker, ``B-Q``/``I-Q`` a cue.

A nested claim ("X said that Y claimed Z") cannot be one tag sequence: the outer claim is
kept. Decoding links each claim to the nearest predicted cue in its sentences and that cue's
speaker — unless the rules found the same claim with a speaker: their speaker finder (with
its resolution of "he" to a name) is the better one. A pronoun speaker otherwise gets the
rules' antecedent when they found the same mention, else the last named speaker. Offsets
are token boundaries, so every span is ``text[start:end]`` of the document. Pure Python, no Django.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pycrfsuite

from annotator.offsets import Span
from annotator.suggest.tokens import PRONOUNS, Token

from .features import Analysed, Features, analyse, bucket

Pieces = tuple[tuple[int, int], ...]
_MAGIC = b"CLAIMCRF1"
ITERATIONS = 100  # L-BFGS iterations per CRF
_PARAMS = {
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": ITERATIONS,
    "feature.possible_transitions": True,
}


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """A claim to learn from: each role as its pieces (one piece unless discontinuous)."""

    claim: Pieces
    speaker: Pieces = ()
    cue: Pieces = ()


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    claims: Sequence[GoldClaim]


@dataclass(frozen=True, slots=True)
class Suggested:
    """One predicted claim; ``claim`` is the outer extent of its ``fragments``."""

    claim: Span
    fragments: tuple[Span, ...]  # () for one piece
    cue: Span | None
    speaker: Span | None
    speaker_antecedent: Span | None  # for a pronoun speaker
    target: Span | None  # borrowed from the rules' claim at the same place
    stance: str | None
    kind: str  # "direct", "indirect" or "mixed"


@dataclass
class Model:
    """The two taggers, loaded from (and kept as) bytes."""

    blob: bytes
    _taggers: tuple[pycrfsuite.Tagger, pycrfsuite.Tagger] | None = field(default=None, repr=False)
    # CRFsuite reads an in-memory model in place: its bytes must outlive the taggers.
    _parts: tuple[bytes, bytes] | None = field(default=None, repr=False)

    def taggers(self) -> tuple[pycrfsuite.Tagger, pycrfsuite.Tagger]:
        if self._taggers is None:
            self._parts = _unpack(self.blob)
            self._taggers = (_tagger(self._parts[0]), _tagger(self._parts[1]))
        return self._taggers

    def predict(self, text: str) -> list[Suggested]:
        return predict(self, text)


# --- training -------------------------------------------------------------------------------


class _Index:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.starts = [t.start for t in tokens]

    def covered(self, start: int, end: int) -> range:
        from bisect import bisect_left, bisect_right

        i = bisect_right(self.starts, start) - 1
        if i < 0 or self.tokens[i].end <= start:
            i += 1
        j = bisect_left(self.starts, end)
        return range(max(i, 0), j)


def labels_for(analysed: Analysed, claims: Sequence[GoldClaim]) -> tuple[list[str], list[str]]:
    """Gold tag sequences (claims, roles) for one document."""
    n = len(analysed.tokens)
    index = _Index(analysed.tokens)
    claim_tags = ["O"] * n
    role_tags = ["O"] * n
    # Outer claims first: a nested claim whose tokens are taken is left out.
    for gold in sorted(claims, key=lambda g: -(g.claim[-1][1] - g.claim[0][0])):
        pieces = sorted(gold.claim)
        ranges = [index.covered(s, e) for s, e in pieces]
        if any(claim_tags[k] != "O" for r in ranges for k in r) or not any(ranges):
            continue
        for number, r in enumerate(r for r in ranges if r):
            for k in r:
                claim_tags[k] = "I"
            claim_tags[r[0]] = "B" if number == 0 else "C"
    for gold in claims:
        for role, pieces in (("S", gold.speaker), ("Q", gold.cue)):
            for s, e in pieces:
                r = index.covered(s, e)
                if not r or any(role_tags[k] != "O" for k in r):
                    continue
                for k in r:
                    role_tags[k] = f"I-{role}"
                role_tags[r[0]] = f"B-{role}"
    return claim_tags, role_tags


def _near(tags: Sequence[str], step: int) -> list[int]:
    """Tokens from each token to the nearest claim token in one direction (-1: none)."""
    n = len(tags)
    out = [-1] * n
    last = -1
    order = range(n) if step > 0 else range(n - 1, -1, -1)
    for k in order:
        out[k] = abs(k - last) if last >= 0 else -1
        if tags[k] != "O":
            last = k
    return out


def with_claims(features: Sequence[Features], claim_tags: Sequence[str]) -> pycrfsuite.ItemSequence:
    """The roles CRF's input: the token features plus where the claims are (gold claims in
    training, the claims CRF's in prediction): speakers and cues sit beside claims."""
    n = len(claim_tags)
    before, after = _near(claim_tags, 1), _near(claim_tags, -1)
    out = []
    for k, f in enumerate(features):
        g = dict(f)
        g["c"] = claim_tags[k]
        for d in (-2, -1, 1, 2):
            g[f"{d}:c"] = claim_tags[k + d] if 0 <= k + d < n else "edge"
        g["cL"] = bucket(before[k]) if before[k] >= 0 else "none"
        g["cR"] = bucket(after[k]) if after[k] >= 0 else "none"
        out.append(g)
    return pycrfsuite.ItemSequence(out)


def train(
    examples: Iterable[Example],
    progress: Callable[[str, int, int], None] | None = None,
    params: dict | None = None,
) -> bytes:
    """A model trained on the examples, as bytes. ``progress(stage, done, total)`` is called
    while features are built and during each CRF's iterations."""
    examples = list(examples)
    report = progress or (lambda stage, done, total: None)
    claims_trainer = pycrfsuite.Trainer(verbose=False)
    roles_trainer = pycrfsuite.Trainer(verbose=False)
    settings = {**_PARAMS, **(params or {})}
    for n, example in enumerate(examples, 1):
        analysed = analyse(example.text)
        if not analysed.tokens:
            continue
        claim_tags, role_tags = labels_for(analysed, example.claims)
        claims_trainer.append(pycrfsuite.ItemSequence(analysed.features), claim_tags)
        roles_trainer.append(with_claims(analysed.features, claim_tags), role_tags)
        report("features", n, len(examples))
    blobs = []
    for name, trainer in (("claims", claims_trainer), ("roles", roles_trainer)):
        trainer.set_params(settings)
        total = int(settings["max_iterations"])

        def message(log: str, name: str = name, total: int = total) -> None:
            if log.startswith("***** Iteration #"):
                done = int(log.split("#")[1].split()[0])
                report(name, min(done, total), total)

        trainer.message = message  # type: ignore[method-assign]
        blobs.append(_fit(trainer))
    return _pack(*blobs)


def _fit(trainer: pycrfsuite.Trainer) -> bytes:
    # CRFsuite writes its model to a file; we keep the bytes and remove the file.
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _pack(claims: bytes, roles: bytes) -> bytes:
    return _MAGIC + struct.pack(">QQ", len(claims), len(roles)) + claims + roles


def _unpack(blob: bytes) -> tuple[bytes, bytes]:
    if not blob.startswith(_MAGIC):
        raise ValueError("not a trained suggester model")
    at = len(_MAGIC)
    a, b = struct.unpack_from(">QQ", blob, at)
    at += 16
    if len(blob) != at + a + b:
        raise ValueError("a truncated trained suggester model")
    return blob[at : at + a], blob[at + a :]


def _tagger(blob: bytes) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(blob)
    return tagger


def load(blob: bytes) -> Model:
    model = Model(blob)
    model.taggers()  # a broken blob fails here, not at the first document
    return model


# --- prediction -----------------------------------------------------------------------------


def _segments(tags: Sequence[str], prefix: str) -> list[tuple[int, int]]:
    """Token ranges [i, j) tagged B-prefix I-prefix*."""
    out: list[tuple[int, int]] = []
    start = None
    for k, tag in enumerate([*tags, "O"]):
        if tag == f"B-{prefix}" or (tag == f"I-{prefix}" and start is None):
            if start is not None:
                out.append((start, k))
            start = k
        elif tag != f"I-{prefix}" and start is not None:
            out.append((start, k))
            start = None
    return out


def _claims(tags: Sequence[str]) -> list[list[tuple[int, int]]]:
    """Token ranges of each claim's fragments."""
    claims: list[list[tuple[int, int]]] = []
    start = None
    continuing = False
    for k, tag in enumerate([*tags, "O"]):
        if start is not None and tag != "I":
            if continuing and claims:
                claims[-1].append((start, k))
            else:
                claims.append([(start, k)])
            start = None
        if tag in ("B", "C") or (tag == "I" and start is None):
            start, continuing = k, tag == "C"
    return claims


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _kind(text: str, claim: Span) -> str:
    inner = text[claim.start : claim.end]
    marks = sum(inner.count(m) for m in '"“”')
    if marks == 0:
        return "indirect"
    stripped = inner.strip(" .,")
    return "direct" if stripped[:1] in '"“' and stripped[-1:] in '"”' else "mixed"


def _no_possessive(text: str, span: Span) -> Span:
    """ "Nora Vance's reading": the tokenizer keeps "Vance's" whole; the speaker is the name."""
    if span.end - span.start > 2 and text[span.end - 2] in "'’" and text[span.end - 1] in "sS":
        return Span(span.start, span.end - 2)
    return span


def predict(model: Model, text: str) -> list[Suggested]:
    analysed = analyse(text)
    if not analysed.tokens:
        return []
    claims_tagger, roles_tagger = model.taggers()
    claim_tags = claims_tagger.tag(pycrfsuite.ItemSequence(analysed.features))
    role_tags = roles_tagger.tag(with_claims(analysed.features, claim_tags))
    return decode(analysed, claim_tags, role_tags)


def decode(
    analysed: Analysed,
    claim_tags: Sequence[str],
    role_tags: Sequence[str],
    prefer_rules: bool = True,
) -> list[Suggested]:
    """Claims with fragments, each linked to a cue and a speaker."""
    toks, text, sentence_of = analysed.tokens, analysed.text, analysed.sentence_of
    cues = _segments(role_tags, "Q")
    speakers = _segments(role_tags, "S")

    def chars(r: tuple[int, int]) -> tuple[int, int]:
        return toks[r[0]].start, toks[r[1] - 1].end

    out: list[Suggested] = []
    named: list[tuple[int, tuple[int, int]]] = []  # (char start, span) of named speakers so far
    for fragments in _claims(claim_tags):
        pieces = [chars(r) for r in fragments]
        outer = (pieces[0][0], pieces[-1][1])
        sentences = {sentence_of[fragments[0][0]], sentence_of[fragments[-1][1] - 1]}
        near = {min(sentences) - 1, *sentences, max(sentences) + 1}

        def distance(r: tuple[int, int], pieces=pieces, outer=outer) -> tuple[int, int]:
            span = chars(r)
            inside_gap = outer[0] <= span[0] and span[1] <= outer[1]
            in_claim = any(p[0] <= span[0] < p[1] for p in pieces)
            return (int(in_claim), 0 if inside_gap else _gap(span, outer))

        cue_candidates = [r for r in cues if sentence_of[r[0]] in near and distance(r)[0] == 0]
        cue = min(cue_candidates, key=distance) if cue_candidates else None
        speaker_candidates = [
            r for r in speakers if sentence_of[r[0]] in near and distance(r)[0] == 0
        ]
        if cue is not None:  # the cue's speaker is in the cue's sentence
            speaker_candidates = [
                r for r in speaker_candidates if sentence_of[r[0]] == sentence_of[cue[0]]
            ]
        speaker = None
        if speaker_candidates:
            anchor = chars(cue) if cue else outer
            speaker = min(speaker_candidates, key=lambda r: _gap(chars(r), anchor))
        cue_span = Span(*chars(cue)) if cue else None
        speaker_span = _no_possessive(text, Span(*chars(speaker))) if speaker else None
        claim = Span(*outer)
        rules = [d for d in analysed.rules if d.claim.overlaps(claim)]
        rule = max(
            rules,
            key=lambda d: min(d.claim.end, claim.end) - max(d.claim.start, claim.start),
            default=None,
        )
        antecedent = None
        if prefer_rules and rule is not None and rule.speaker is not None:
            # The rules' speaker finder is the better one where they found this claim.
            speaker_span, antecedent = rule.speaker, rule.speaker_antecedent
            cue_span = rule.cue or cue_span
        elif speaker_span is not None:
            same = [d for d in analysed.rules if d.speaker and d.speaker.overlaps(speaker_span)]
            if same and same[0].speaker_antecedent:
                antecedent = same[0].speaker_antecedent
            elif text[speaker_span.start : speaker_span.end].lower() in PRONOUNS:
                earlier = [s for start, s in named if start < speaker_span.start]
                antecedent = Span(*earlier[-1]) if earlier else None
        if speaker_span is not None and text[speaker_span.start].isupper():
            named.append((speaker_span.start, (speaker_span.start, speaker_span.end)))
        out.append(
            Suggested(
                claim=claim,
                fragments=tuple(Span(*p) for p in pieces) if len(pieces) > 1 else (),
                cue=cue_span,
                speaker=speaker_span,
                speaker_antecedent=antecedent,
                target=rule.target
                if rule
                and rule.target
                and rule.target.start >= claim.start
                and rule.target.end <= claim.end
                else None,
                stance=rule.stance if rule and cue_span and rule.cue == cue_span else None,
                kind=_kind(text, claim),
            )
        )
    return out
