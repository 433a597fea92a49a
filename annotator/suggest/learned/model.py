"""Train and apply the CRFs of the trained suggester; the model is a bytes value.

Two linear-chain CRFs (CRFsuite, through python-crfsuite):

* claims, over a document's tokens: ``B`` starts a claim, ``I`` continues it, ``C`` starts a
  further fragment of the claim before it (the second half of a quote split by "he said"),
  ``O`` elsewhere;
* links, once per claim over the sentences it touches (link.py): that claim's speaker
  (``B-S``/``I-S``) and cue (``B-Q``/``I-Q``). Learning the link, rather than taking the
  nearest name, is what gets speakers right on real news.

A nested claim ("X said that Y claimed Z") cannot be one tag sequence: the outer claim is
kept. A pronoun speaker gets the rules' antecedent when they found the same mention, else the
last named speaker. Offsets are token boundaries, so every span is ``text[start:end]`` of the
document. Pure Python, no Django.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pycrfsuite

from annotator.offsets import Span
from annotator.suggest.tokens import PRONOUNS, Token

from . import link
from .features import Analysed, analyse

Pieces = tuple[tuple[int, int], ...]
_MAGIC = b"CLAIMCRF2"  # 1: a roles CRF instead of the links one
# L-BFGS iterations per CRF, each as good on PolNeAR dev and held-out train as after 100
# (the claims one without word triples; 40 lose 0.015 F1 and 0.03 speaker).
ITERATIONS = {"claims": 60, "links": 50}
_PARAMS = {
    "c2": 0.01,
    "feature.possible_transitions": True,
}


def l1_weight(claims: int) -> float:
    """CRFsuite's L1 term weighs against the summed likelihood of all training claims, so
    its pull weakens as a project grows: 1.0 suits PolNeAR's 4,000-20,000 claims (a tenth
    of the model's size, and better on held-out news than a weak term), but would prune a
    young project's 100 claims to nothing. Hence in proportion, within bounds."""
    return min(1.0, max(0.02, claims / 4000))


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
    """The two taggers (claims, links), loaded from (and kept as) bytes."""

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


def labels_for(analysed: Analysed, claims: Sequence[GoldClaim]) -> list[str]:
    """Gold claim tags for one document."""
    n = len(analysed.tokens)
    index = _Index(analysed.tokens)
    claim_tags = ["O"] * n
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
    return claim_tags


def links_for(analysed: Analysed, claims: Sequence[GoldClaim]) -> list[tuple[list, list[str]]]:
    """(features, gold tags) of each claim's link sequence, nested claims included."""
    index = _Index(analysed.tokens)

    def tokens(pieces: Pieces) -> tuple[int, int]:
        if not pieces:
            return (0, 0)
        r = index.covered(min(s for s, _ in pieces), max(e for _, e in pieces))
        return (r[0], r[-1] + 1) if r else (0, 0)

    out = []
    for gold in claims:
        fragments = [(r[0], r[-1] + 1) for s, e in sorted(gold.claim) if (r := index.covered(s, e))]
        if fragments:
            tags = link.labels(analysed, fragments, tokens(gold.speaker), tokens(gold.cue))
            out.append((link.features(analysed, fragments), tags))
    return out


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
    links_trainer = pycrfsuite.Trainer(verbose=False)
    claims = sum(len(e.claims) for e in examples)
    settings = {**_PARAMS, "c1": l1_weight(claims), **(params or {})}
    for n, example in enumerate(examples, 1):
        analysed = analyse(example.text)
        if not analysed.tokens:
            continue
        claims_trainer.append(
            pycrfsuite.ItemSequence(analysed.features), labels_for(analysed, example.claims)
        )
        for features, tags in links_for(analysed, example.claims):
            links_trainer.append(pycrfsuite.ItemSequence(features), tags)
        report("features", n, len(examples))
    blobs = []
    for name, trainer in (("claims", claims_trainer), ("links", links_trainer)):
        trainer.set_params({"max_iterations": ITERATIONS[name], **settings})
        total = int(settings.get("max_iterations", ITERATIONS[name]))

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


def _pack(claims: bytes, links: bytes) -> bytes:
    return _MAGIC + struct.pack(">QQ", len(claims), len(links)) + claims + links


def _unpack(blob: bytes) -> tuple[bytes, bytes]:
    if blob.startswith(_MAGIC[:-1]) and not blob.startswith(_MAGIC):
        raise ValueError("a trained suggester model of an older format: train it again")
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
    claims_tagger, links_tagger = model.taggers()
    return decode(analysed, claim_tags(claims_tagger, analysed), links_tagger)


# The likeliest tag sequence leaves out claims the model half believes. Each run of at least
# MIN_RUN untagged tokens the model thinks more likely inside a claim than outside it, and
# that touches no tagged claim, is added. On PolNeAR dev (with the cue-lemma features) 0.5
# and 6 gave P 0.863, R 0.751, F1 0.803, speaker 0.904; 0.6 and 3 (the earlier choice) gave
# F1 0.803 but speaker 0.896, as the short half-believed runs are the ones with wrong
# speakers. Chosen on dev among 0.5-0.65 and 2-6 tokens.
OUTSIDE = 0.5
MIN_RUN = 6


def claim_tags(tagger: pycrfsuite.Tagger, analysed: Analysed) -> list[str]:
    """The claims CRF's tags: its best sequence, plus the runs it half believes."""
    tagger.set(pycrfsuite.ItemSequence(analysed.features))
    tags = tagger.tag()
    n = len(tags)
    likely = [tags[k] == "O" and tagger.marginal("O", k) < OUTSIDE for k in range(n)]
    k = 0
    while k < n:
        if not likely[k]:
            k += 1
            continue
        j = k
        while j < n and likely[j]:
            j += 1
        touches = (k > 0 and tags[k - 1] != "O") or (j < n and tags[j] != "O")
        if j - k >= MIN_RUN and not touches:
            tags[k:j] = ["B"] + ["I"] * (j - k - 1)
        k = j
    return tags


# A transcript's turns ("WALLACE: Governor, I want to ask …"): in one, "I" is its speaker.
_TURN = re.compile(r"^\W{0,3}([A-Z][A-Z.'’ -]*[A-Z]):", re.MULTILINE)
_FIRST_PERSON = frozenset(["i", "me", "my", "we", "us", "our"])


def decode(
    analysed: Analysed, claim_tags: Sequence[str], links_tagger: pycrfsuite.Tagger
) -> list[Suggested]:
    """Claims with fragments, each with the speaker and cue its link finds."""
    toks, text = analysed.tokens, analysed.text

    def chars(r: tuple[int, int]) -> Span:
        return Span(toks[r[0]].start, toks[r[1] - 1].end)

    out: list[Suggested] = []
    named: list[Span] = []  # named speakers so far, in text order
    turns = [Span(m.start(1), m.end(1)) for m in _TURN.finditer(text)]
    for fragments in _claims(claim_tags):
        pieces = [chars(r) for r in fragments]
        claim = Span(pieces[0].start, pieces[-1].end)
        speaker, cue = link.link(links_tagger, analysed, fragments)
        rule = link.rule_for(analysed, claim.start, claim.end)
        cue_span = chars(cue) if cue else (rule.cue if rule else None)
        speaker_span = _no_possessive(text, chars(speaker)) if speaker else None
        antecedent = None
        if speaker_span is not None:
            mention = text[speaker_span.start : speaker_span.end].lower()
            same = [
                d.speaker_antecedent
                for d in analysed.rules
                if d.speaker and d.speaker.overlaps(speaker_span) and d.speaker_antecedent
            ]
            turn = [t for t in turns if t.start < speaker_span.start]
            if mention in _FIRST_PERSON and turn:
                antecedent = turn[-1]
            elif same:
                antecedent = same[0]
            elif mention in PRONOUNS:
                earlier = [s for s in named if s.start < speaker_span.start]
                antecedent = earlier[-1] if earlier else None
            elif text[speaker_span.start].isupper():
                named.append(speaker_span)
        out.append(
            Suggested(
                claim=claim,
                fragments=tuple(pieces) if len(pieces) > 1 else (),
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
