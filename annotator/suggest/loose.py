"""Loose rules: attributions found by a pattern over the whole text rather than by a cue
and its subject. Each rule gives, per sentence, (claim, cue, speaker mention or None).

  * "nouns": "Smith's claim that …", "her view is that …";
  * "passive": "Obama is expected to join Clinton", "it was reported that …";
  * "hedge": "Clinton seemed to implore Sanders …", "the hackers have reportedly …".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from annotator.offsets import Span

from .clauses import clause_start, trim
from .lexicon import find_cues
from .sentences import Sentence
from .speakers import Mention, mention_of, subject_left
from .tokens import words

Found = list[tuple[Span, Span, Mention | None]]


# Rule "nouns": "Smith's claim that …", "her view is that …", "the mayor's warning that …".
_NOUN_CUE_RE = re.compile(
    r"(?<![\w'’])(?P<source>(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s?|[Hh]is|[Hh]er|[Tt]heir|"
    r"[Ii]ts)\s+(?:[a-z]+\s+)?(?P<cue>claim|statement|view|assertion|argument|belief|contention|"
    r"allegation|accusation|warning|promise|pledge|insistence|suggestion|position|hope|fear|"
    r"conclusion)(?:\s+(?:is|was))?\s+that\s"
)
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}


def _noun_cues(s: Sentence, matches: list[re.Match[str]]) -> Found:
    """(claim, cue, speaker mention) for each noun cue in the sentence."""
    found = []
    for m in matches:
        if m.end() > s.span.end:
            continue
        end = s.text.find(",", m.end(), s.span.end)
        claim = trim(s.text, m.end(), s.span.end if end == -1 else end)
        if claim is None or s.in_quote(m.start()):
            continue
        source = Span(m.start("source"), m.end("source"))
        word = m.group("source").lower()
        if word in _POSSESSIVE_PRONOUNS:
            mention = Mention(source, source, "pronoun", word, word, False, False)
        else:
            a = bisect_left(s.starts, source.start, s.i0, s.i1)
            b = bisect_left(s.starts, source.end, s.i0, s.i1) - 1
            name = s.toks[b]
            if name.is_possessive:  # "Smith’s" is one token: the name without its "’s"
                source = Span(source.start, name.end - 2)
            mention = mention_of(s.toks, a, b, s.i0)
            mention = Mention(source, source, "name", mention.head, mention.first, True, True)
        found.append((claim, Span(m.start("cue"), m.end("cue")), mention))
    return found


# Rule "passive": attribution without a source. "Obama is expected to join Clinton" (the
# clause is the claim) and "it was reported that the mayor will resign" (what follows is).
_PASSIVE_RE = re.compile(
    r"(?<![\w'’])(?P<cue>(?P<it>[Ii]t\s+)?(?:is|are|was|were|has\s+been|had\s+been)\s+"
    r"(?:widely\s+|also\s+|now\s+)?(?:expected|believed|thought|reported|rumou?red|projected|"
    r"predicted|alleged|announced|estimated))\s+(?P<link>that|to)\s"
)


def _passives(s: Sentence, matches: list[re.Match[str]]) -> Found:
    """(claim, cue) for each sourceless passive attribution in the sentence."""
    found = []
    for m in matches:
        if s.in_quote(m.start()) or m.end() > s.span.end:
            continue
        semicolon = s.text.find(";", m.end(), s.span.end)
        end = s.span.end if semicolon == -1 else semicolon
        if m.group("it") and m.group("link") == "that":
            claim = trim(s.text, m.end(), end)
        elif not m.group("it") and m.group("link") == "to":
            comma = s.text.rfind(",", s.span.start, m.start())
            claim = trim(s.text, s.span.start if comma == -1 else comma + 1, end)
        else:
            continue
        if claim is not None:
            found.append((claim, Span(m.start("cue"), m.end("cue")), None))
    return found


# Rule "hedge": the reporter's hedged impression, whose claim is the whole clause, subject and
# cue included: "Clinton seemed to implore Sanders …", "Kasich appears to have the state to
# himself", "the hackers have reportedly infiltrated …" (PolNeAR marks these, no source).
_HEDGE_RE = re.compile(
    r"(?<![\w'’-])(?P<cue>seem(?:s|ed)?|appear(?:s|ed)?|reportedly)(?![\w'’-])"
    r"(?!\s+(?:on|in|at|with|before|for|from|onstage|alongside|together|to\s+(?:be\s+)?"
    r"(?:speak|talk|testify|vote)\b))"
)
_HEDGE_LINKS = words("but and yet so while though although because as since when if")


def _hedges(s: Sentence, matches: list[re.Match[str]]) -> Found:
    """(claim, cue, speaker) for each hedge in the sentence: the clause around it, from the last
    comma (or clause link) before it to the next comma and link after it, or the sentence end.
    "He appeared to suggest that …" is an attribution: its speaker is the subject, its claim
    what the verb after it reports."""
    found = []
    for m in matches:
        if m.end() > s.span.end or s.in_quote(m.start()):
            continue
        begin = max(s.text.rfind(c, s.span.start, m.start()) for c in ",;:—")
        begin = s.span.start if begin == -1 else begin + 1
        toks = s.tokens_in(begin, m.start())
        if not toks:
            continue  # "Appearing on …", "Seemingly …": no subject before it
        k = 0
        while k < len(toks) and toks[k].lower in _HEDGE_LINKS:
            k += 1
        if k == len(toks):
            continue
        end = s.span.end
        for t in s.tokens_in(m.end(), s.span.end):
            if t.text == ";" or (t.text == "," and _next_is_link(s, t.end)):
                end = t.start
                break
        cue = Span(m.start("cue"), m.end("cue"))
        reported = _hedged_cue(s, m, end)
        if reported is not None:
            verb, start = reported
            h = bisect_left(s.starts, m.start(), s.i0, s.i1)
            left = subject_left(s.toks, h, s.i0, set())
            if left is not None and left[0].kind != "description":
                if (claim := trim(s.text, s.toks[start].start, end)) is not None:
                    found.append((claim, Span(cue.start, verb.end), left[0]))
                continue
        if (claim := trim(s.text, toks[k].start, end)) is not None:
            found.append((claim, cue, None))
    return found


def _hedged_cue(s: Sentence, m: re.Match[str], end: int) -> tuple[Span, int] | None:
    """A reporting verb after "seemed to" / "appears to", and where what it reports starts."""
    after = s.tokens_in(m.end(), end)
    if len(after) < 3 or after[0].lower != "to":
        return None
    cues = find_cues(s.text, after[1].start, after[1].end)
    if not cues or cues[0].form != "base":
        return None
    j = bisect_left(s.starts, after[1].end, s.i0, s.i1)
    begin = clause_start(s.toks, j, s.i1, cues[0], s.opens)
    return None if begin is None else (cues[0].span, begin)


def _next_is_link(s: Sentence, pos: int) -> bool:
    after = s.tokens_in(pos, min(s.span.end, pos + 20))
    return bool(after) and after[0].lower in _HEDGE_LINKS | {"which", "who", "as"}


# The loose rules in the order they are tried; a claim overlapping an earlier one is dropped.
RULES: dict[str, tuple[re.Pattern[str], Callable[[Sentence, list[re.Match[str]]], Found]]] = {
    "nouns": (_NOUN_CUE_RE, _noun_cues),
    "passive": (_PASSIVE_RE, _passives),
    "hedge": (_HEDGE_RE, _hedges),
}


class LooseRules:
    """The loose rules switched on, each searched once over the whole text (one search per
    text is cheaper than one per sentence), then asked sentence by sentence."""

    def __init__(self, text: str, on: frozenset[str]) -> None:
        self._hits = {}
        for rule, (pattern, _) in RULES.items():
            if rule in on and (hits := list(pattern.finditer(text))):
                self._hits[rule] = (hits, [m.start() for m in hits])

    def found(self, s: Sentence) -> list[tuple[str, Span, Span, Mention | None]]:
        """(rule, claim, cue, speaker mention) in the sentence."""
        result = []
        for rule, (hits, starts) in self._hits.items():
            mine = hits[bisect_left(starts, s.span.start) : bisect_left(starts, s.span.end)]
            if mine:
                result += [(rule, *f) for f in RULES[rule][1](s, mine)]
        return result
