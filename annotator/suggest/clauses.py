"""Claim regions: where the words a cue reports begin, how a region is trimmed, and whether
the claim is the quotation inside it.

"The United States said Al Assad 'lost control of Aleppo'" reports the quoted words about a
short subject: the claim is the quotation and the subject is its target. A longer clause
with a quote in it ("his country could defeat “all terrorists”") stays whole, as a mixed claim.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from annotator.offsets import Span

from .lexicon import HOSTILE, INFINITIVE, OBJECT_VERBS, SUPPORTIVE, Cue
from .quotes import Quote
from .tokens import (
    AUXILIARIES,
    CLAUSE_LINKS,
    DETERMINERS,
    IRREGULAR_PAST,
    NP_PREPOSITIONS,
    PRONOUNS,
    QUOTE_CHARS,
    TIME_WORDS,
    WEEKDAYS,
    Token,
    is_verb_like,
    words,
)

_PP_NOUNS = words("statement interview speech post briefing readout letter tweet conference")
_WHEN_WORDS = WEEKDAYS | words("week month year night morning evening twitter")
_NOT_CLAUSE_START = words(
    "to of for with about by nothing so goodbye in on at as yes no how whether what why when "
    "where who if"
)
_NOT_OBJECT_START = words("by with as in on at from of into than so and but or")
_SUBJECT_WORDS = words("this that it he she")
_OBJECT_WORDS = words("to everything nothing something anything it them us him her me you")
_TRAIL = ",;:.—–- \t\r\n"
_LEAD = ",;:—–- \t\r\n"
_LOOKAHEAD = 9  # how far "that" or a finite verb may be from the cue


def skip_adverbials(toks: list[Token], j: int, end: int) -> int:
    """Index of the first token after "on Sunday", "in a statement", "to reporters", "also"."""
    while j < end:
        low = toks[j].lower
        nxt = toks[j + 1].lower if j + 1 < end else ""
        if low in TIME_WORDS:
            j += 1
        elif low in ("on", "last", "late", "early", "this") and nxt in _WHEN_WORDS:
            j += 2
        elif low in ("in", "at", "during") and j + 2 < end and toks[j + 2].lower in _PP_NOUNS:
            j += 3 if nxt in DETERMINERS else 1
        elif low == "to" and nxt in ("reporters", "journalists"):
            j += 2
        else:
            break
    return j


def clause_start(
    toks: list[Token],
    j: int,
    end: int,
    cue: Cue,
    quote_opens: Collection[int],
    strict: bool = True,
    objects: bool = True,
) -> int | None:
    """Index of the token where the reported words start after the cue, if they are a clause
    ("said that …", "said he will …", "vowed to …") or, for hostile cues, an object."""
    j = skip_adverbials(toks, j, end)
    if j >= end:
        return None
    if j in quote_opens:
        return j
    for k in range(j, min(end, j + _LOOKAHEAD)):
        if toks[k].lower == "that":
            return k + 1 if k + 1 < end else None
        if not toks[k].is_word or (strict and k > j and is_verb_like(toks, k)):
            break  # "said the test could change that": that "that" is an object
    first = toks[j].lower
    if first == "to":
        return j if cue.lemma in INFINITIVE else None
    if toks[j].is_word and first not in _NOT_CLAUSE_START and first not in AUXILIARIES:
        for k in range(j + 1, min(end, j + _LOOKAHEAD)):
            if k in quote_opens or is_verb_like(toks, k):
                return j
            if not toks[k].is_word:
                break
    if cue.lemma in HOSTILE | SUPPORTIVE and toks[j].is_word and first not in _NOT_CLAUSE_START:
        return j
    if objects and cue.lemma in OBJECT_VERBS and toks[j].is_word and first not in _NOT_OBJECT_START:
        return j  # "called the charges unsubstantiated", "asked whether …"
    return None


def trim(text: str, start: int, end: int) -> Span | None:
    """The region without the commas, spaces and final full stop around it."""
    while start < end and text[start] in _LEAD:
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        # Keep the full stop of an abbreviation ("the U.S.").
        if text[end - 1] == "." and end - 3 >= start and text[end - 3] == ".":
            break
        end -= 1
    return Span(start, end) if start < end else None


def _subject_prefix(phrase: Sequence[Token]) -> Span | None:
    """The span of a short subject, with one auxiliary after it allowed ("Tehran will")."""
    if any(not (t.is_word or t.text in "'’-") for t in phrase):
        return None
    if phrase and phrase[-1].lower in AUXILIARIES:
        phrase = phrase[:-1]
    if not phrase or len(phrase) > 4 or phrase[0].lower == "to":
        return None
    if any(t.lower in CLAUSE_LINKS or is_verb_like(phrase, k) for k, t in enumerate(phrase)):
        return None  # "the decision showed “weakness”" is a clause, not a subject
    return Span(phrase[0].start, phrase[-1].end)


def shape(
    text: str, region: Span, quotes: Sequence[Quote], toks: Sequence[Token]
) -> tuple[Span, str, Span | None]:
    """(claim, kind, subject as target) for the reported words in ``region``.

    ``toks`` are the tokens of the region. A region that is one quotation, or a short subject
    and a quotation, gives the quotation as a direct claim.
    """
    inside = [q for q in quotes if region.start <= q.outer.start and q.outer.end <= region.end]
    if len(inside) != 1:
        return region, ("mixed" if inside else "indirect"), None
    quote = inside[0]
    before = [t for t in toks if t.end <= quote.outer.start]
    after = text[quote.outer.end : region.end].strip(_TRAIL)
    inner = trim(text, quote.inner.start, quote.inner.end) or quote.inner
    if not before and not after:
        return inner, "direct", None
    subject = _subject_prefix(before) if before else None
    if not before or subject is not None:
        if subject is not None and text[subject.start : subject.end].lower() in PRONOUNS:
            subject = None  # "he “would not back down”": a pronoun is no target
        return inner, "direct", subject
    return region, "mixed", None


def _ends_np(toks: Sequence[Token], k: int) -> bool:
    """Whether token ``k`` is the verb after a leading noun phrase ("The levy delivers …")."""
    tok = toks[k]
    low = tok.lower
    if not tok.is_word or low in AUXILIARIES or low in IRREGULAR_PAST:
        return True
    if low in CLAUSE_LINKS or low in NP_PREPOSITIONS:
        return True
    if low.endswith("ed") and len(low) > 4:
        return True
    if low.endswith("s") and not low.endswith("ss") and k + 1 < len(toks):
        if toks[k - 1].lower in _SUBJECT_WORDS:
            return True  # "This changes …", "It means …"
        nxt = toks[k + 1].lower
        # "delivers exactly", "needs a", "raises questions"; but "the services levy".
        return nxt in DETERMINERS or nxt in _OBJECT_WORDS or nxt.endswith(("ly", "s"))
    return False


def leading_np(toks: Sequence[Token]) -> Span | None:
    """The noun phrase a claim starts with (its grammatical subject), a guess at its target."""
    phrase = list(toks)
    while phrase and not phrase[0].is_word:
        phrase = phrase[1:]  # an opening quote mark
    first = phrase[0].lower if phrase else ""
    if not phrase or first in _NOT_CLAUSE_START or re.split(r"['’]", first)[0] in PRONOUNS:
        return None  # "I am going …", "We're disappointed": the speaker, not a target
    if first.endswith("ing") and len(phrase) > 1 and phrase[1].lower in DETERMINERS:
        return None  # "Following the developments, …" opens with an adverbial, not a subject
    k = 1
    while k < len(phrase):
        if _quoted_word(phrase, k):
            k += 3  # "the 'new' plan": a one-word quotation inside the phrase
            continue
        if _ends_np(phrase, k):
            break
        k += 1
        if k > 6:
            return None  # no verb in sight: not a subject we can trust
    k = min(k, len(phrase))
    last = phrase[k - 1]
    if k == 1 and last.lower in DETERMINERS | {"it"}:
        return None  # "This is our land": a bare demonstrative is no target
    if k == 1 and last.is_possessive:
        return Span(last.start, last.end - 2)  # "Syria’s “reliance …”": the target is Syria
    return Span(phrase[0].start, last.end)


def _quoted_word(phrase: Sequence[Token], k: int) -> bool:
    return (
        k + 2 < len(phrase)
        and phrase[k].text in QUOTE_CHARS
        and phrase[k + 1].is_word
        and phrase[k + 2].text in QUOTE_CHARS
    )
