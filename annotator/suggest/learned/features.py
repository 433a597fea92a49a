"""Token features for the trained suggester, built from what the rules know.

One document is one sequence of tokens (claims may run across sentences). Each token gets
its word and shape, and what the rule-based detector sees around it: whether it is inside a
quotation, a reporting cue from the lexicon, which one is nearest in its sentence and how far,
where it sits in its sentence and paragraph, and the spans the rules themselves suggest
(claim, cue, speaker). The model learns how far to trust each of them for this project.
Pure Python, no Django.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from annotator.suggest import Detected, detect
from annotator.suggest.lexicon import find_cues
from annotator.suggest.quotes import find_quotes, top_level
from annotator.suggest.sentences import split_sentences
from annotator.suggest.tokens import PRONOUNS, Token, tokenize

Features = dict[str, float | str]

_QUOTE_MARKS = set("\"'“”‘’«»‹›„")


@dataclass(frozen=True, slots=True)
class Analysed:
    """A document as the model sees it: its tokens, their features and the rules' output."""

    text: str
    tokens: list[Token]
    features: list[Features]
    rules: list[Detected]
    sentence_of: list[int]  # each token's sentence number


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[0].isupper():
        return "Xx"
    if word[0].isalpha():
        return "x"
    return word if len(word) == 1 else "p"


def bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 12:
        return "7-12"
    return "13+"


def _marks(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    """BIO marks of character spans over tokens ("" outside)."""
    starts = [t.start for t in tokens]
    out = [""] * len(tokens)
    for start, end in spans:
        i = bisect_left(starts, start)
        j = bisect_left(starts, end)
        for k in range(i, j):
            if tokens[k].end <= end:
                out[k] = "I" if out[k] or k > i else "B"
    return out


def analyse(text: str) -> Analysed:
    """Tokens and features of one document."""
    tokens = tokenize(text)
    n = len(tokens)
    starts = [t.start for t in tokens]
    quotes = top_level(find_quotes(text))
    quote_spans = [(q.outer.start, q.outer.end) for q in quotes]
    sentences = split_sentences(text, [q.outer for q in quotes])
    rules = detect(text)

    in_quote = _marks(tokens, quote_spans)
    rule_claim = _marks(tokens, [(d.claim.start, d.claim.end) for d in rules])
    rule_cue = _marks(tokens, [(d.cue.start, d.cue.end) for d in rules if d.cue])
    rule_speaker = _marks(tokens, [(d.speaker.start, d.speaker.end) for d in rules if d.speaker])
    rule_kind = [""] * n
    for d in rules:
        for k in range(bisect_left(starts, d.claim.start), bisect_left(starts, d.claim.end)):
            rule_kind[k] = d.kind

    lexicon = [""] * n
    lemma = [""] * n
    cue_tokens: list[int] = []
    for cue in find_cues(text, 0, len(text)):
        i, j = bisect_left(starts, cue.span.start), bisect_left(starts, cue.span.end)
        for k in range(i, j):
            lexicon[k] = f"{cue.lemma}|{cue.form}"
        if i < n:
            cue_tokens.append(i)
            lemma[i] = cue.lemma

    sentence_of = [0] * n
    first_in_sentence = [False] * n
    last_in_sentence = [False] * n
    position = [0] * n
    remaining = [0] * n
    cue_left = [-1] * n  # distance in tokens to the nearest cue before, in the same sentence
    cue_right = [-1] * n
    # Which cue that is ("said" and "hopes" open different claims), and whether the
    # sentence has one at all.
    lemma_left = ["none"] * n
    lemma_right = ["none"] * n
    sentence_cue = [False] * n
    for number, sentence in enumerate(sentences):
        i, j = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        if i >= j:
            continue
        first_in_sentence[i] = last_in_sentence[j - 1] = True
        here = cue_tokens[bisect_left(cue_tokens, i) : bisect_left(cue_tokens, j)]
        for k in range(i, j):
            sentence_of[k], position[k], remaining[k] = number, k - i, j - 1 - k
            sentence_cue[k] = bool(here)
            left = bisect_right(here, k) - 1
            if left >= 0:
                cue_left[k] = k - here[left]
                lemma_left[k] = lemma[here[left]]
            right = bisect_left(here, k + 1)
            if right < len(here):
                cue_right[k] = here[right] - k
                lemma_right[k] = lemma[here[right]]

    paragraph_start = [
        i == 0 or "\n" in text[tokens[i - 1].end : tokens[i].start] for i in range(n)
    ]

    words = [t.text.lower() for t in tokens]
    features: list[Features] = []
    for k, tok in enumerate(tokens):
        w = words[k]
        f: Features = {
            "bias": 1.0,
            "w": w,
            "shape": _shape(tok.text),
            "suf3": w[-3:],
            "pron": w in PRONOUNS,
            "quote_mark": tok.text in _QUOTE_MARKS,
            "inq": in_quote[k] or "O",
            "lex": lexicon[k] or "O",
            "cueL": bucket(cue_left[k]) if cue_left[k] >= 0 else "none",
            "cueR": bucket(cue_right[k]) if cue_right[k] >= 0 else "none",
            "cueL_lemma": lemma_left[k],
            "cueR_lemma": lemma_right[k],
            "sent_cue": sentence_cue[k],
            "pos": bucket(position[k]),
            "rem": bucket(remaining[k]),
            "sent_first": first_in_sentence[k],
            "sent_last": last_in_sentence[k],
            "para_first": paragraph_start[k],
            "rc": rule_claim[k] or "O",
            "rq": rule_cue[k] or "O",
            "rs": rule_speaker[k] or "O",
            "rk": rule_kind[k] or "O",
        }
        # How far the nearest cue is, *and* which cue: "said" three words back opens a claim,
        # "plans" three words back rarely does. With the quote and rule marks likewise.
        f["cueL|lemma"] = f"{f['cueL']}|{lemma_left[k]}"
        f["cueR|lemma"] = f"{f['cueR']}|{lemma_right[k]}"
        f["inq|cueL"] = f"{f['inq']}|{f['cueL']}"
        f["rc|cueL"] = f"{f['rc']}|{f['cueL']}"
        for d in (-3, 3):  # a claim's edge is often three words from its cue ("said in a")
            if 0 <= k + d < n:
                f[f"{d}:w"] = words[k + d]
        for d in (-2, -1, 1, 2):
            m = k + d
            if 0 <= m < n:
                f[f"{d}:w"] = words[m]
                f[f"{d}:lex"] = lexicon[m] or "O"
                if d in (-1, 1):  # two tokens away, the rules' marks add time, not accuracy
                    f[f"{d}:rc"] = rule_claim[m] or "O"
                    f[f"{d}:rs"] = rule_speaker[m] or "O"
                    f[f"{d}:inq"] = in_quote[m] or "O"
            else:
                f[f"{d}:edge"] = True
        # Word pairs, not triples: the triples were most of the claims CRF's two million
        # features and gained nothing on PolNeAR dev or held-out train.
        if k > 0:
            f["-1:w|w"] = f"{words[k - 1]}|{w}"
            f["-1:shape"] = _shape(tokens[k - 1].text)
        if k + 1 < n:
            f["w|+1:w"] = f"{w}|{words[k + 1]}"
            f["+1:shape"] = _shape(tokens[k + 1].text)
        features.append(f)
    return Analysed(text, tokens, features, rules, sentence_of)
