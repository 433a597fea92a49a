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
from .tokens import is_name_part, is_verb_like, words

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
        found.append((claim, Span(m.start("cue"), m.end("cue")), _possessor(s, m)))
    return found


def _possessor(s: Sentence, m: re.Match[str]) -> Mention:
    """The speaker mention of a match's "source" group: "Smith’s", "his"."""
    source = Span(m.start("source"), m.end("source"))
    word = m.group("source").lower()
    if word in _POSSESSIVE_PRONOUNS:
        return Mention(source, source, "pronoun", word, word, False, False)
    a = bisect_left(s.starts, source.start, s.i0, s.i1)
    b = bisect_left(s.starts, source.end, s.i0, s.i1) - 1
    name = s.toks[b]
    if name.is_possessive:  # "Smith’s" is one token: the name without its "’s"
        source = Span(source.start, name.end - 2)
    mention = mention_of(s.toks, a, b, s.i0)
    return Mention(source, source, "name", mention.head, mention.first, True, True)


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
    r"(?!\s+(?:on|in|at|with|before|for|from|onstage|alongside|together|today|tonight|"
    r"yesterday|live|briefly|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"[A-Z][a-z]+day|to\s+(?:be\s+)?"
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
        h = bisect_left(s.starts, m.start(), s.i0, s.i1)
        left = subject_left(s.toks, h, s.i0, set())
        subject = left[0] if left is not None and left[0].kind != "description" else None
        reported = _hedged_cue(s, m, end)
        if reported is not None and subject is not None:
            verb, start = reported
            if (claim := trim(s.text, s.toks[start].start, end)) is not None:
                found.append((claim, Span(cue.start, verb.end), subject))
            continue
        # The seeming is the subject's, though the claim is the reporter's: "Rubio seemed
        # hopeful that …".
        if (claim := trim(s.text, toks[k].start, end)) is not None:
            found.append((claim, cue, subject))
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


# Rule "topics": a noun cue and what it is about, "his support for [abortion rights]",
# "concerns about [police brutality]", "Trump's attacks on [Curiel]". The speaker is the
# possessive before the noun, if any.
# (Nouns right less than half the time on PolNeAR train, such as "position", "remarks",
# "threats", "rhetoric", are left out.)
_TOPIC_NOUNS = (
    "criticism|support|attacks?|questions|concerns?|opposition|endorsement|complaints?|"
    "allegations?|praise|condemnation|defen[cs]e|skepticism|scepticism|doubts|fears|"
    "warnings?|calls|promises?|pledges?|comments?|views|stance|objections?|protests?|"
    "frustration|outrage|disdain|contempt|admiration|enthusiasm|accusations?"
)
_TOPIC_RE = re.compile(
    r"(?<![\w'’-])(?:(?P<source>(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s?|[Hh]is|[Hh]er|"
    r"[Tt]heir|[Ii]ts)\s+(?:[a-z-]+\s+)?)?(?P<cue>(?:" + _TOPIC_NOUNS + r")\s+"
    r"(?:of|for|on|about|against|over|toward|towards))\s+(?=\S)"
)
_NP_STOP = words(
    "that which who whom whose when while because since although though but as if than "
    "is are was were has have had will would can could should may might must do does did"
)
_CLAUSE_OPENERS = words("whether what how why who when where if")


def _topics(s: Sentence, matches: list[re.Match[str]]) -> Found:
    found = []
    for m in matches:
        if m.end() >= s.span.end or s.in_quote(m.start()):
            continue
        toks = s.tokens_in(m.end(), s.span.end)
        if not toks or (not toks[0].is_word and toks[0].text not in "“\"'‘$"):
            continue
        k = 0
        if toks[0].lower not in _CLAUSE_OPENERS:  # "questions about whether …" runs on
            while k < len(toks) and k < 14:
                t = toks[k]
                if t.text in ",;:.!?()—–" or (k and t.lower in _NP_STOP):
                    break
                if k and t.lower == "and" and k + 1 < len(toks) and is_verb_like(toks, k + 1):
                    break
                if k and is_verb_like(toks, k) and t.lower not in ("'s", "’s"):
                    break
                k += 1
            end = toks[k - 1].end if k else m.end()
        else:
            comma = s.text.find(",", m.end(), s.span.end)
            end = s.span.end if comma == -1 else comma
        claim = trim(s.text, m.end(), end)
        if claim is None:
            continue
        mention = _possessor(s, m) if m.group("source") else _modifier(s, m.start("cue"))
        if mention is None or mention.kind == "pronoun":
            # "Cruz reboots his attacks on", "Members voiced concerns about": the subject.
            mention = _doer(s, m.start("source") if mention else m.start("cue")) or mention
        found.append((claim, Span(m.start("cue"), m.end("cue")), mention))
    return found


def _modifier(s: Sentence, start: int) -> Mention | None:
    """A capitalised modifier as the speaker: "[Republican] criticism of", "[GOP] attacks on"."""
    cue = bisect_left(s.starts, start, s.i0, s.i1)
    j = cue - 1
    while j >= s.i0 and is_name_part(s.toks[j]) and cue - j <= 3:
        j -= 1
    if j == cue - 1:
        return None
    mention = mention_of(s.toks, j + 1, cue - 1, s.i0)
    return mention if mention.kind == "name" else None


def _doer(s: Sentence, start: int) -> Mention | None:
    """The subject of the verb a noun cue is the object of: "[Kasich] avoided direct criticism
    of", "[House members] voiced concerns about"."""
    cue = bisect_left(s.starts, start, s.i0, s.i1)
    j = cue - 1
    while j > s.i0 and j > cue - 5 and not is_verb_like(s.toks, j) and s.toks[j].is_word:
        j -= 1
    if j <= s.i0 or not is_verb_like(s.toks, j):
        return None
    left = subject_left(s.toks, j, s.i0, set())
    return left[0] if left is not None else None


# Rule "turns": a line that opens with a name and a colon is that person's words, as in a
# transcript ("WALLACE: Do you …") or a headline ("Trump: Clinton should have …").
_TURN_RE = re.compile(
    r"^[ \t]*[\"“]?(?P<source>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,2}):[ \t]+(?P<cue>)(?=\S)",
    re.MULTILINE,
)
_NOT_TURNS = words(
    "q a the contributing poll polls twitter breaking report revealed wow update note byline "
    "pledged superdelegates delegate editor’s editor's news watch video photos live exclusive "
    "related read more source sources correction clarification"
)


def _speaking(hits: list[re.Match[str]]) -> list[re.Match[str]]:
    """The turns that are speech: a name in capitals ("WALLACE:") only in a transcript, where
    two or more such names take turns; alone it is a dateline ("DAMASCUS: …")."""
    shouted = {m.group("source") for m in hits if m.group("source").isupper()}
    return [m for m in hits if len(shouted) > 1 or not m.group("source").isupper()]


def _turns(s: Sentence, matches: list[re.Match[str]]) -> Found:
    found = []
    for m in matches:
        if m.group("source").split()[0].lower() in _NOT_TURNS:
            continue
        line_end = s.text.find("\n", m.end())
        claim = trim(s.text, m.end(), len(s.text) if line_end == -1 else line_end)
        if claim is None:
            continue
        a = bisect_left(s.starts, m.start("source"), s.i0, s.i1)
        b = bisect_left(s.starts, m.end("source"), s.i0, s.i1) - 1
        mention = mention_of(s.toks, a, b, s.i0)
        if mention.kind != "name":
            continue
        source = Span(m.start("source"), m.end("source"))
        mention = Mention(source, source, "name", mention.head, mention.first, True, True)
        found.append((claim, source, mention))
    return found


# Rule "asked": a question put to someone, "Asked whether he would run, Reid said …", "was
# asked about the deal", "Asked by Thrush if Clinton “gets” race" (the asker, if named, is the
# speaker). PolNeAR marks the question as a claim.
_ASKED_RE = re.compile(
    r"(?:(?<=[Ww]hen\s)|(?<=[Ww]as\s)|(?<=[Ww]ere\s)|(?<=[Bb]eing\s)|(?<=[Bb]een\s)|"
    r"(?<![\w’'-])(?=A))(?P<cue>[Aa]sked)(?:\s+by\s+(?P<source>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}))?"
    r"(?:\s+(?P<about>about)\s+|\s+(?=(?:whether|if|why|how|what|who|when|where|which)\b)|"
    r"\s*,?\s*(?=[“\"]))"
)


def _asked(s: Sentence, matches: list[re.Match[str]]) -> Found:
    found = []
    for m in matches:
        if m.end() >= s.span.end or s.in_quote(m.start()):
            continue
        quote = next((q for q in s.quotes if q.outer.start == m.end()), None)
        if quote is not None:
            claim = trim(s.text, quote.inner.start, quote.inner.end)
        else:
            comma = s.text.find(",", m.end(), s.span.end)
            while comma != -1 and s.in_quote(comma):
                if s.text[comma + 1 : comma + 2] in ("”", '"'):
                    comma += 2  # "if the pier “is safe,” Per Lind said": the quote ends it
                    break
                comma = s.text.find(",", comma + 1, s.span.end)
            claim = trim(s.text, m.end(), s.span.end if comma == -1 else comma)
        if claim is None:
            continue
        mention = None
        if m.group("source"):
            a = bisect_left(s.starts, m.start("source"), s.i0, s.i1)
            b = bisect_left(s.starts, m.end("source"), s.i0, s.i1) - 1
            mention = mention_of(s.toks, a, b, s.i0)
        found.append((claim, Span(m.start("cue"), m.end("cue")), mention))
    return found


# The loose rules in the order they are tried; a claim overlapping an earlier one is dropped.
RULES: dict[str, tuple[re.Pattern[str], Callable[[Sentence, list[re.Match[str]]], Found]]] = {
    "nouns": (_NOUN_CUE_RE, _noun_cues),
    "passive": (_PASSIVE_RE, _passives),
    "hedge": (_HEDGE_RE, _hedges),
    "topics": (_TOPIC_RE, _topics),
    "turns": (_TURN_RE, _turns),
    "asked": (_ASKED_RE, _asked),
}


class LooseRules:
    """The loose rules switched on, each searched once over the whole text (one search per
    text is cheaper than one per sentence), then asked sentence by sentence."""

    def __init__(self, text: str, on: frozenset[str]) -> None:
        self._hits = {}
        for rule, (pattern, _) in RULES.items():
            hits = list(pattern.finditer(text)) if rule in on else []
            if rule == "turns":
                hits = _speaking(hits)
            if hits:
                self._hits[rule] = (hits, [m.start() for m in hits])

    def found(self, s: Sentence) -> list[tuple[str, Span, Span, Mention | None]]:
        """(rule, claim, cue, speaker mention) in the sentence."""
        result = []
        for rule, (hits, starts) in self._hits.items():
            mine = hits[bisect_left(starts, s.span.start) : bisect_left(starts, s.span.end)]
            if mine:
                result += [(rule, *f) for f in RULES[rule][1](s, mine)]
        return result
