"""Which speaker and cue belong to a claim: a CRF run once per claim over its sentences.

Nearness is a poor guide on real news: the nearest name is often the wrong one (a date, the
claim's subject, a transcript's moderator), and a claim nested in another has its speaker
inside the outer one. So each claim is tagged on its own: the sequence is the sentences the
claim touches, each token described by the document features plus where it stands to *this*
claim (inside it, in a gap between its fragments, before or after it, how far) and whether
the rules gave it as this claim's speaker or cue. Tags: ``B-S``/``I-S`` the speaker,
``B-Q``/``I-Q`` the cue, ``O``. Pure Python, no Django.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import pycrfsuite

from annotator.suggest import Detected
from annotator.suggest.tokens import AUXILIARIES, CLAUSE_LINKS, NP_PREPOSITIONS, words

from .features import Analysed, Features, bucket

_QUOTES = "\"“‘'«"

TokenRange = tuple[int, int]  # token indices [i, j)

# The document features a link needs: the word and its neighbours, cue words, quotes, the
# rules' marks. (Sentence position and the claim's own marks are replaced below.) Not the
# word pairs: for links they cost a quarter of the training time and gained nothing.
_KEPT = (
    "bias", "w", "shape", "suf3", "pron", "quote_mark", "inq", "lex", "rs", "rq",
    "sent_first", "para_first", "-1:w", "1:w", "-1:lex", "1:lex", "-1:rs", "1:rs",
    "-1:shape", "+1:shape", "-2:w", "2:w", "-2:lex", "2:lex",
    "cueL", "cueR",
)  # fmt: skip


def window(analysed: Analysed, fragments: Sequence[TokenRange]) -> TokenRange:
    """The tokens of the sentences a claim touches (its speaker is there 99 times in 100)."""
    sentence_of = analysed.sentence_of
    first, last = sentence_of[fragments[0][0]], sentence_of[fragments[-1][1] - 1]
    return bisect_left(sentence_of, first), bisect_right(sentence_of, last)


def rule_for(analysed: Analysed, start: int, end: int) -> Detected | None:
    """The rules' claim that shares most characters with this one, if any does."""
    best, shared = None, 0
    for d in analysed.rules:
        common = min(d.claim.end, end) - max(d.claim.start, start)
        if common > shared:
            best, shared = d, common
    return best


def features(analysed: Analysed, fragments: Sequence[TokenRange]) -> list[Features]:
    """One feature dict per token of the claim's window."""
    toks = analysed.tokens
    w0, w1 = window(analysed, fragments)
    first, last = fragments[0][0], fragments[-1][1]
    rule = rule_for(analysed, toks[first].start, toks[last - 1].end)
    rule_marks: dict[int, str] = {}
    if rule is not None:
        for name, span in (("S", rule.speaker), ("Q", rule.cue), ("A", rule.speaker_antecedent)):
            if span is not None:
                for k in range(w0, w1):
                    if toks[k].start < span.end and span.start < toks[k].end:
                        rule_marks[k] = rule_marks.get(k, "") + name
    at = []
    for k in range(w0, w1):
        if any(i <= k < j for i, j in fragments):
            at.append("in")
        elif first <= k < last:
            at.append("gap")
        else:
            at.append("before" if k < first else "after")
    lexical = [analysed.features[k]["lex"] != "O" for k in range(w0, w1)]
    # Is a cue word between the token and the claim? (A speaker stands by its cue.)
    cue_between = [False] * (w1 - w0)
    seen = False
    for k in range(first - 1, w0 - 1, -1):
        cue_between[k - w0] = seen
        seen = seen or lexical[k - w0]
    seen = False
    for k in range(last, w1):
        cue_between[k - w0] = seen
        seen = seen or lexical[k - w0]
    text = analysed.text
    opening = text[toks[first].start : toks[first].start + 1]
    shape = ("quote" if opening in _QUOTES else "plain") + (
        "|first" if analysed.features[first]["sent_first"] else ""
    )
    out = []
    for k in range(w0, w1):
        f = analysed.features[k]
        g: Features = {name: f[name] for name in _KEPT if name in f}
        where = at[k - w0]
        distance = first - k if where == "before" else k - last + 1 if where == "after" else 0
        g["at"] = where
        g["d"] = bucket(distance)
        g["at|w"] = f"{where}|{f['w']}"
        g["at|lex"] = f"{where}|{f['lex']}"
        g["at|shape"] = f"{where}|{f['shape']}"
        g["at|claim"] = f"{where}|{shape}"
        g["at|qb"] = f"{where}|{cue_between[k - w0]}"
        g["rm"] = rule_marks.get(k, "O")
        g["-1:at"] = at[k - w0 - 1] if k > w0 else "edge"
        g["+1:at"] = at[k - w0 + 1] if k + 1 < w1 else "edge"
        g["-1:rm"] = rule_marks.get(k - 1, "O")
        g["+1:rm"] = rule_marks.get(k + 1, "O")
        out.append(g)
    return out


def labels(
    analysed: Analysed, fragments: Sequence[TokenRange], speaker: TokenRange, cue: TokenRange
) -> list[str]:
    """Gold tags of the claim's window; a role outside the window is left out."""
    w0, w1 = window(analysed, fragments)
    tags = ["O"] * (w1 - w0)
    for role, (i, j) in (("S", speaker), ("Q", cue)):
        i, j = max(i, w0), min(j, w1)
        if i >= j or any(tags[k - w0] != "O" for k in range(i, j)):
            continue
        for k in range(i, j):
            tags[k - w0] = f"I-{role}"
        tags[i - w0] = f"B-{role}"
    return tags


def _tagged(tags: Sequence[str], words: Sequence[bool], role: str) -> list[TokenRange]:
    """Runs tagged ``role`` (window-relative), trimmed of punctuation."""
    runs: list[TokenRange] = []
    for k, tag in enumerate(tags):
        if tag == f"B-{role}" or (tag == f"I-{role}" and (not runs or runs[-1][1] != k)):
            runs.append((k, k + 1))
        elif tag == f"I-{role}":
            runs[-1] = (runs[-1][0], k + 1)
    trimmed = []
    for i, j in runs:  # without punctuation at either end
        while i < j and not words[i]:
            i += 1
        while j > i and not words[j - 1]:
            j -= 1
        if i < j:
            trimmed.append((i, j))
    return trimmed


def _guess(
    tagger: pycrfsuite.Tagger, words: Sequence[bool], role: str, labels: set[str]
) -> TokenRange | None:
    """When no run is tagged: the likeliest word to start one, and its likely continuation
    (if the model knows one: a team's cues may all be one word)."""
    n = len(words)
    begin = [tagger.marginal(f"B-{role}", k) if words[k] else 0.0 for k in range(n)]
    k = max(range(n), key=begin.__getitem__)
    if begin[k] <= 0.0:
        return None
    end = k + 1
    while f"I-{role}" in labels and end < n and tagger.marginal(f"I-{role}", end) > 0.3:
        end += 1
    return k, end


# An article alone is no speaker: "The" of "The New York businessman says".
_ARTICLES = words("the a an this these those")
_PHRASE_ENDS = AUXILIARIES | CLAUSE_LINKS | NP_PREPOSITIONS
_MAX_PHRASE = 6


def whole_phrase(analysed: Analysed, guess: TokenRange) -> TokenRange:
    """A speaker guessed as a lone article, as the phrase it opens: up to a cue, a verb-like
    or linking word, punctuation, or a few words on. (No part-of-speech tagger here; on
    PolNeAR dev and held-out train this turned 4 wrong speakers right and no right one
    wrong.)"""
    toks, i, j = analysed.tokens, *guess
    if j != i + 1 or toks[i].lower not in _ARTICLES:
        return guess
    limit = min(len(toks), i + _MAX_PHRASE)
    while (
        j < limit
        and toks[j].is_word
        and toks[j].lower not in _PHRASE_ENDS
        and analysed.features[j]["lex"] == "O"
    ):
        j += 1
    return i, j


def link(
    tagger: pycrfsuite.Tagger, analysed: Analysed, fragments: Sequence[TokenRange]
) -> tuple[TokenRange | None, TokenRange | None]:
    """The claim's speaker and cue as document token ranges (None when none is found).

    The tagged run the model is surest of; when it tags none, the rules' speaker or cue
    for the same claim, else the model's likeliest guess."""
    # A team that marks no speakers (or no cues) trains a model without those tags.
    labels = set(tagger.labels())
    known = {label[2:] for label in labels if label.startswith("B-")}
    if not known:
        return None, None
    w0, w1 = window(analysed, fragments)
    tagger.set(pycrfsuite.ItemSequence(features(analysed, fragments)))
    tags = tagger.tag()
    toks = analysed.tokens
    words = [t.is_word for t in toks[w0:w1]]
    rule = rule_for(analysed, toks[fragments[0][0]].start, toks[fragments[-1][1] - 1].end)
    found: list[TokenRange | None] = []
    for role in ("S", "Q"):
        if role not in known:
            found.append(None)
            continue
        runs = _tagged(tags, words, role)
        if runs:
            best = max(runs, key=lambda r: tagger.marginal(tags[r[0]], r[0]))
            found.append((best[0] + w0, best[1] + w0))
            continue
        span = None if rule is None else rule.speaker if role == "S" else rule.cue
        if span is not None:
            found.append(_tokens_of(analysed, span.start, span.end))
            continue
        guess = _guess(tagger, words, role, labels)
        if guess is None:
            found.append(None)
            continue
        at = (guess[0] + w0, guess[1] + w0)
        found.append(whole_phrase(analysed, at) if role == "S" else at)
    return found[0], found[1]


def _tokens_of(analysed: Analysed, start: int, end: int) -> TokenRange | None:
    toks = analysed.tokens
    i = max(bisect_right(toks, start, key=lambda t: t.start) - 1, 0)
    j = bisect_left(toks, end, key=lambda t: t.start)
    return (i, j) if j > i else None
