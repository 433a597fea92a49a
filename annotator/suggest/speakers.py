"""Speakers: the subject noun phrase of a cue, the name inside it, and who "he" refers to.

The speaker of "National Security Council spokesman Sean Savett said" is the name "Sean
Savett", not the role, so titles and roles are trimmed off a noun phrase's final run of
capitalised words. Pronouns and descriptions ("his office", "the ministry") are resolved to
the last named speaker by ``SpeakerHistory``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from annotator.offsets import Span

from .tokens import (
    AUXILIARIES,
    CLAUSE_LINKS,
    DETERMINERS,
    NEGATIONS,
    NP_PREPOSITIONS,
    POSSESSIVE_DETERMINERS,
    PRONOUNS,
    TIME_WORDS,
    WEEKDAYS,
    Token,
    is_name_part,
    words,
)

TITLE_WORDS = words(
    "president prime minister secretary chancellor spokesman spokeswoman spokesperson "
    "diplomat governor mayor senator ambassador chief director general commander leader "
    "king queen prince princess sheikh emir pope judge chairman chairwoman chair ceo envoy "
    "deputy vice foreign defence defense interior finance state sen. rep. gov. gen. col. lt. "
    "sgt. capt. premier representative "
    "congressman congresswoman lawmaker mp official economist analyst researcher professor "
    "head adviser advisor commissioner councillor councilor bishop archbishop cardinal "
    "rabbi imam ayatollah marshal admiral colonel major captain lieutenant sergeant "
    "inspector attorney"
)
# Heads of descriptions that stand for a named speaker mentioned before ("the ministry said").
REFERRING_HEADS = words(
    "office ministry agency government spokesman spokeswoman spokesperson statement embassy "
    "department presidency palace president minister official administration campaign "
    "company firm party team group army military council committee"
)
ORGANISATION_HEADS = REFERRING_HEADS | words("media news union federation bank")
# Capitalised only because they open the sentence; not names.
COMMON_SUBJECTS = words(
    "officials analysts critics experts sources residents witnesses observers protesters "
    "police authorities officers lawmakers diplomats investors economists researchers "
    "scientists doctors activists supporters opponents others some many most several both "
    "all few reports polls people"
)
_WHEN_PREPOSITIONS = words("on in at during last this")
_WHEN_WORDS = WEEKDAYS | words("week month year night morning evening afternoon weekend")
_NOT_IN_SUBJECT = words("by with without about against into over through what why how")
_NOT_ADVERBS = words("family assembly supply rally italy july monopoly reply ally")
_MAX_NP = 10


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span  # the speaker as it should be highlighted: the name when there is one
    np: Span  # the whole noun phrase, title and role included
    kind: str  # "name", "pronoun" or "description"
    head: str  # lower-case last word of the phrase
    first: str  # lower-case first word ("his", "the", "a", a name)
    named: bool  # carries a proper name, so later pronouns can refer to it
    person: bool  # looks like a person's name (what "he"/"she"/"his office" refer to)


_ADVERBS = words("often long however together never always just even sometimes first last only")


def _is_adverb(tok: Token) -> bool:
    low = tok.lower
    if low in TIME_WORDS or low in _ADVERBS:
        return True
    return (
        low.endswith("ly") and len(low) > 4 and not tok.is_capitalised and low not in _NOT_ADVERBS
    )


def _plural_possessive(toks: list[Token], j: int) -> bool:
    """The apostrophe of "the employers' federation", which is part of the phrase."""
    tok = toks[j]
    if tok.text not in "'’" or j == 0 or j + 1 >= len(toks):
        return False
    prev = toks[j - 1]
    return prev.end == tok.start and prev.lower.endswith("s") and toks[j + 1].is_word


def _joins_names(toks: list[Token], r: int, start: int) -> bool:
    """The "and" of "Lavrov and Fidan", one speaker of two names."""
    return toks[r].lower == "and" and r > start and toks[r - 1].is_capitalised


def mention_of(toks: list[Token], start: int, end: int, sentence_start: int) -> Mention:
    """The mention for the noun phrase ``toks[start:end + 1]``."""
    phrase = toks[start : end + 1]
    np = Span(phrase[0].start, phrase[-1].end)
    head = phrase[-1].lower
    first = phrase[0].lower
    if len(phrase) == 1 and first in PRONOUNS:
        return Mention(np, np, "pronoun", head, first, False, False)
    r = end
    while r >= start and (is_name_part(toks[r]) or _joins_names(toks, r, start)):
        r -= 1
    run = toks[r + 1 : end + 1]
    while run and not run[0].is_capitalised:
        run = run[1:]  # a name starts with a capital, not with a particle
    at_sentence_start = bool(run) and run[0].start == toks[sentence_start].start
    common = at_sentence_start and len(run) == 1 and run[0].lower in COMMON_SUBJECTS
    if run and first not in POSSESSIVE_DETERMINERS and not common:
        titles = [k for k, t in enumerate(run[:-1]) if t.lower in TITLE_WORDS]
        if titles:
            run = run[titles[-1] + 1 :]
        span = Span(run[0].start, run[-1].end)
        org = run[0].lower == "the" or any(t.lower in ORGANISATION_HEADS for t in run)
        return Mention(span, np, "name", head, first, True, not org)
    named = any(t.is_capitalised and t.start != toks[sentence_start].start for t in phrase)
    return Mention(np, np, "description", head, first, named, False)


_STATE = re.compile(r"^(?:[A-Z][a-z]{1,4}\.|[A-Z]\.[A-Z]\.|[RDI]-[A-Z][\w.]*)$")


_PIECE_OPENERS = words(
    "of from in during at on after before with without like including despite who which whose"
)


def apposition_piece(toks: list[Token], comma: int, sentence_start: int) -> bool:
    """Whether the words before ``comma`` back to the previous comma are a piece of an
    apposition, not a subject: an age ("22"), a place ("of Flint", "Mich."), a party tag."""
    j = comma - 1
    first = j
    while first > sentence_start and toks[first - 1].text != ",":
        first -= 1
    piece = toks[first:comma]
    if not piece or first <= sentence_start:
        return False
    word = piece[0]
    if word.lower in _PIECE_OPENERS or (word.text.islower() and word.lower.endswith("ing")):
        return True  # "during a town hall in Columbus", "facing a challenge in Iowa"
    return len(piece) <= 6 and (
        word.text.isdigit() or (len(piece) == 1 and bool(_STATE.match(word.text)))
    )


def subject_left(
    toks: list[Token], i: int, sentence_start: int, stops: Collection[int], wide: bool = False
) -> tuple[Mention, int] | None:
    """The subject before the cue at token ``i`` and the index where its phrase starts.

    Skips auxiliaries and adverbs ("has said", "on Sunday said") and an appositive or
    parenthesis between commas ("Maria Alvarez, the mayor, said"; "The US, meanwhile, said").
    ``stops`` holds token indices that may not be crossed (cues, quote marks). ``wide`` (rule
    "speakers") also skips a party tag ("Paul Ryan (R-Wis.) said") and takes an apposition
    of up to 40 tokens ("Tom Ode, who served as ambassador from 2012 until this year, said").
    """
    j = i - 1
    while j >= sentence_start:
        low = toks[j].lower
        if low in AUXILIARIES or _is_adverb(toks[j]) or low in NEGATIONS or low.endswith("n't"):
            j -= 1  # "has said", "on Sunday said", "did not say"
        elif low in WEEKDAYS and j > sentence_start and toks[j - 1].lower in ("on", "last"):
            j -= 2
        elif wide and low in WEEKDAYS:
            j -= 1  # "Trump earlier Tuesday backed …"
        elif wide and low in _WHEN_WORDS | {"past"} and j > sentence_start:
            # "had last month charged", "have in the past said", "earlier this week said"
            k = j - 1
            while k > sentence_start and toks[k].lower in _WHEN_PREPOSITIONS | {"the", "earlier"}:
                k -= 1
            if k == j - 1:
                break
            j = k
        else:
            break
    if j < sentence_start or j in stops:
        return None
    if wide and toks[j].text == ")":
        k = j - 1
        while k > sentence_start and k > j - 8 and toks[k].text != "(" and k not in stops:
            k -= 1
        if toks[k].text == "(" and k > sentence_start:
            j = k - 1
    if toks[j].text == ",":
        k = j - 1
        window = 40 if wide else 12
        while k > sentence_start and k > j - window and toks[k].text != "," and k not in stops:
            k -= 1
        if k <= sentence_start or toks[k].text != "," or k == j - 1:
            return None  # no second comma, or a cue or quote mark in between: not a parenthesis
        j = k - 1
        # "Cory James, 22, of Flint, Mich., said": more pieces of the same apposition.
        while wide and j > sentence_start and apposition_piece(toks, k, sentence_start):
            k = j
            while k > sentence_start and toks[k].text != "," and k not in stops:
                k -= 1
            if toks[k].text != "," or k <= sentence_start:
                break
            j = k - 1
    end = j
    if toks[end].lower in PRONOUNS:
        # "what he called", "why she believes": the pronoun alone is the subject.
        return mention_of(toks, end, end, sentence_start), end
    while j >= sentence_start and end - j < _MAX_NP and j not in stops:
        tok = toks[j]
        low = tok.lower
        if (not tok.is_word and not _plural_possessive(toks, j)) or low in AUXILIARIES:
            break
        if low in _NOT_IN_SUBJECT:
            break  # "… African-Americans by telling …": a preposition, not a subject
        if low in CLAUSE_LINKS:
            # "Lavrov and Fidan said": names joined by "and" are one subject.
            joined = low == "and" and j > sentence_start and j < end
            if not (joined and toks[j - 1].is_capitalised and toks[j + 1].is_capitalised):
                break
        j -= 1
    start = j + 1
    while start <= end and toks[start].lower in NP_PREPOSITIONS | {"and"}:
        start += 1
    if start > end or toks[end].lower in DETERMINERS | NP_PREPOSITIONS:
        return None
    return mention_of(toks, start, end, sentence_start), start


def subject_right(
    toks: list[Token], i: int, sentence_start: int, sentence_end: int, stops: Collection[int]
) -> tuple[Mention, int] | None:
    """The subject after an inverted cue ("…,” said the mayor Lucas Rossi") and its last index."""
    j = i + 1
    while j < sentence_end and j - i <= _MAX_NP and j not in stops:
        tok = toks[j]
        if not tok.is_word and not _plural_possessive(toks, j):
            break
        if tok.lower in AUXILIARIES or tok.lower in CLAUSE_LINKS:
            break
        nxt = toks[j + 1].lower if j + 1 < sentence_end else ""
        if tok.lower in _WHEN_PREPOSITIONS and j > i + 1 and nxt in _WHEN_WORDS:
            break  # "said Mayor Ana Ruiz on Monday", but "a researcher at the institute X"
        j += 1
    end = j - 1
    if end <= i:
        return None
    mention = mention_of(toks, i + 1, end, sentence_start)
    # "said the mayor, Lucas Rossi." — the name comes as an appositive.
    if mention.kind == "description" and j + 1 < sentence_end and toks[j].text == ",":
        k = j + 1
        while k < sentence_end and is_name_part(toks[k]):
            k += 1
        if k > j + 1 and (k == sentence_end or not toks[k].is_word):
            named = mention_of(toks, j + 1, k - 1, sentence_start)
            if named.kind == "name":
                return named, k - 1
    return mention, end


class SpeakerHistory:
    """The named speakers so far, for resolving "he", "his office" and "the ministry"."""

    def __init__(self) -> None:
        self._named: list[Mention] = []

    def add(self, mention: Mention) -> None:
        if mention.named:
            self._named.append(mention)

    def needs_antecedent(self, mention: Mention) -> bool:
        if mention.kind == "pronoun":
            return True
        if mention.kind != "description" or mention.named or mention.first in ("a", "an"):
            return False  # "a spokesperson said" introduces someone new
        return mention.head in REFERRING_HEADS

    def resolve(self, mention: Mention) -> Mention | None:
        if not self.needs_antecedent(mention):
            return None
        if mention.kind == "description" and mention.first not in POSSESSIVE_DETERMINERS:
            same_head = [m for m in self._named if m.head == mention.head]
            if same_head:
                return same_head[-1]  # "the ministry" after "the Russian foreign ministry"
        wants_person = mention.first in {"he", "she", "his", "her", "i"}
        wants_person = wants_person or mention.head in TITLE_WORDS
        for m in reversed(self._named):
            if m.person or not wants_person:
                return m
        return None
