"""Attributions: the accepted cues of a sentence, each with its speaker phrase, and whether it
reports the words before it (trailing) or after it."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from annotator.offsets import Span

from .clauses import clause_start, skip_adverbials
from .lexicon import (
    EVIDENCE_NOUNS,
    EVIDENTIAL,
    EXTRA_LEMMAS,
    MORE_LEMMAS,
    NOUN_LIKE_S,
    OBJECT_LEMMAS,
    OPEN_VERBS,
    Cue,
    find_cues,
)
from .sentences import Sentence
from .speakers import (
    Mention,
    mention_of,
    subject_left,
    subject_right,
)
from .subjects import (
    QUANTIFIERS,
    after_asked,
    coordinated,
    infinitive_subject,
    piece_of_apposition,
    relative_speaker,
    same_sentence_antecedent,
    sentence_subject,
    verb_phrase,
)
from .tokens import (
    AUXILIARIES,
    DETERMINERS,
    MODALS,
    NEGATIONS,
    WEEKDAYS,
    is_verb_like,
    words,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: Cue
    mention: Mention | None
    first: int  # index of its first token (speaker phrase or cue)
    after: int  # index of the token after it
    start: int  # character offsets of the whole attribution
    end: int
    trailing: bool  # set off by a comma or closing quote: it reports what came before
    participle: bool  # ", emphasising …": the speaker is the previous one
    rule: str = "base"  # the rule category that made it
    antecedent: Mention | None = None  # what "who" refers to ("Trump, who said …")


# "He’s", "they’ve", "I’m": a pronoun and its auxiliary in one token (Token.lower has "'").
_CONTRACTED = re.compile(r"^(he|she|they|we|i|you|it|who)'(?:s|re|m|ve|d)$")


_WHEN_HEADS = words("week month year night morning evening afternoon weekend past")


_PASSIVE = words("was were been being is are be am get got gets")


_BASE_SUBJECTS = words("i we you they people police") | MODALS | {"do", "did", "does"}


# Forms right less than 40% of the time on PolNeAR train unless "that" follows them.
_ONLY_BEFORE_THAT = words("states continues continuing rules")
_NOT_BEFORE_ING = words("of about without for from in on at to with than like")
_ING_AFTER = words("and while by after before when also again") | _PASSIVE


_SURVEYED = words("surveyed polled asked interviewed questioned")


def _accept(s: Sentence, cue: Cue, a: int, on: frozenset[str]) -> bool:
    """Drop nouns ("the claim"), negated (unless rule "negated"), infinitive and passive uses
    of a reporting verb."""
    if cue.lemma == "according to":
        return True
    if not cue.text[0].islower() or a <= s.i0:
        return False
    if cue.text in _ONLY_BEFORE_THAT and not (a + 1 < s.i1 and s.toks[a + 1].lower == "that"):
        return False  # "The law states that …", but "other states have …"
    prev = s.toks[a - 1]
    low = prev.lower
    if "infinitive" in on and cue.form == "base" and cue.lemma in OPEN_VERBS:
        # "went on to say …", "would only say …", "47% say …", "those surveyed say …"
        if low == "to" or low in _SURVEYED or prev.text == "%" or prev.text.isdigit():
            return True
        if low.endswith("ly") and a - 2 >= s.i0 and s.toks[a - 2].lower in MODALS:
            return True
    if low in DETERMINERS or low == "to":
        return False
    if "negated" not in on and _negated(s, a):
        return False  # PolNeAR counts "did not mention X" (rule "negated")
    k = a - 1
    while k >= s.i0 and k >= a - 3:
        word = s.toks[k].lower
        if word in _PASSIVE and cue.form == "past":
            return False
        if word not in AUXILIARIES and not word.endswith("ly") and word not in NEGATIONS:
            break
        k -= 1
    if cue.form == "base" and "negated" in on and _negated(s, a):
        return True  # "did not mention"
    if "contracted" in on and cue.form == "ing" and _CONTRACTED.match(low):
        return True  # "He’s predicting …", "they’ve said …"
    if cue.form == "base":
        plural = low.endswith("s") and not low.endswith("ss") and not prev.is_possessive
        many = "speakers" in on and low in QUANTIFIERS  # "Many fear …"
        return low in _BASE_SUBJECTS or (prev.is_word and plural) or many
    if cue.form == "ing":
        # "… the “Golden Week,” saying …": the comma inside the quote (rule "open").
        quoted = "open" in on and a - 1 in s.closes and a - 2 >= s.i0 and s.toks[a - 2].text == ","
        # "a sign saying …", "eventually saying …" (rule "open").
        noun = "open" in on and cue.lemma == "say" and prev.is_word and low not in _NOT_BEFORE_ING
        return prev.text == "," or low in _ING_AFTER or quoted or noun
    return not (cue.form == "s" and prev.is_possessive)  # "Trump’s comments" is a noun


def _negated(s: Sentence, a: int) -> bool:
    """Whether the verb at token ``a`` is negated: "did not say", "has never mentioned"."""
    k = a - 1
    while k >= s.i0 and k >= a - 3:
        word = s.toks[k].lower
        if word in NEGATIONS or word.endswith(("n't", "n’t")):
            return True
        if word not in AUXILIARIES and not word.endswith("ly"):
            return False
        k -= 1
    return False


def sentence_cues(s: Sentence, starts: list[int], on: frozenset[str]) -> list[tuple[Cue, int, int]]:
    found: list[tuple[Cue, int, int]] = []
    for cue in find_cues(s.text, s.span.start, s.span.end):
        if cue.lemma in MORE_LEMMAS and "verbs" not in on:
            continue
        if cue.lemma in EXTRA_LEMMAS and "extra" not in on:
            continue
        a = bisect_left(starts, cue.span.start)
        b = bisect_left(starts, cue.span.end) - 1
        if a >= len(starts) or starts[a] != cue.span.start or s.in_quote(cue.span.start):
            continue
        if not _accept(s, cue, a, on):
            continue
        if found and found[-1][2] == a - 1:
            # Two cues in a row: "member states said" (a noun, then the verb) or
            # "rejected claims that" (the verb, then a noun).
            if found[-1][0].text in NOUN_LIKE_S:
                found.pop()
            else:
                continue
        found.append((cue, a, b))
    return found


def _has_verb(s: Sentence, first: int, end: int) -> bool:
    return any(is_verb_like(s.toks, k) for k in range(first, end))


def _leads(s: Sentence, cue: Cue, after: int, on: frozenset[str]) -> bool:
    """Whether the clause after an attribution is what it reports, though a comma precedes it:
    "In a message posted Friday, Cruz said he has had …", "In his tribute, Ali said “…”"."""
    k = skip_adverbials(s.toks, after, s.i1)
    if k < s.i1 and k in s.opens and cue.lemma != "according to":
        return True
    if k >= s.i1 or not s.toks[k].is_word:
        return False
    return clause_start(s.toks, k, s.i1, cue, s.opens) is not None


def find_attributions(
    s: Sentence, cues: list[tuple[Cue, int, int]], on: frozenset[str]
) -> tuple[list[Attribution], list[Attribution]]:
    """The sentence's attributions, and those nested in what another one reports ("Murphy
    said he supports the bill": "supports" is inside what Murphy said)."""
    # A speaker phrase never runs across another cue or a quote mark. (The search starts
    # outside the cue's own tokens, so one set serves every cue.)
    quote_marks = set(s.opens) | s.closes
    stops = {i for _, a, b in cues for i in range(a, b + 1)} | quote_marks
    atts: list[Attribution] = []
    inner: list[Attribution] = []
    for cue, a, b in cues:
        # "She said he supports the bill": inside what she said.
        nested = cue.lemma in OBJECT_LEMMAS and any(
            not x.trailing and not x.participle for x in atts
        )
        participle, antecedent = False, None
        left = None if cue.lemma == "according to" else subject_left(s.toks, a, s.i0, stops)
        rule = "verbs" if cue.lemma in MORE_LEMMAS else "base"
        rule = "extra" if cue.lemma in EXTRA_LEMMAS else rule
        # "Clinton Sunday said", "Police had last month charged"
        dated = left is not None and (
            left[0].head in WEEKDAYS | _WHEN_HEADS or piece_of_apposition(s, left[0])
        )
        infinitive = "infinitive" in on and cue.form == "base" and cue.lemma in OPEN_VERBS
        if infinitive and not _accept(s, cue, a, on - {"infinitive"}):
            rule = "infinitive"  # accepted only by that rule
        if "open" in on and cue.form == "ing" and not _accept(s, cue, a, on - {"open"}):
            rule = "open"  # "a sign saying …"
        if left is None and "infinitive" in on and s.toks[a - 1].lower == "to":
            left = infinitive_subject(s, a, stops)
            rule = "infinitive" if left is not None else rule
        if left is None and rule == "infinitive" and s.toks[a - 1].text == "%" and a - 2 > s.i0:
            left = mention_of(s.toks, a - 2, a - 1, s.i0), a - 2  # "47% say"
        # ", saying …" after a clause is a participle, not an apposition's verb.
        participial = cue.form == "ing" and s.toks[a - 1].text == ","
        if participial and "speakers" in on:
            left = None
        if (left is None or dated) and "speakers" in on and cue.lemma != "according to":
            left = None if participial else subject_left(s.toks, a, s.i0, quote_marks, wide=True)
            rule = "speakers" if left is not None else rule
        if left is not None and "speakers" in on and _in_phrase(s, left[1]):
            left = None  # "In [a statement] released Thursday, …": no subject
        if "contracted" in on and left is not None and _CONTRACTED.match(left[0].first):
            tok = s.toks[left[1]]
            span = Span(tok.start, tok.start + len(_CONTRACTED.match(left[0].first)[1]))
            word = left[0].first.split("'")[0]
            left = Mention(span, span, "pronoun", word, word, False, False), left[1]
            rule = "contracted"
        if left is not None and "speakers" in on and verb_phrase(s, left[1]):
            left = None  # "Trump will [feed insecurity in nations] worried …": no subject
        if left is not None:
            mention, first = left
            if cue.lemma in OBJECT_LEMMAS and cue.form == "s" and _has_verb(s, first, a):
                continue  # "Lavrov held phone calls": a plural noun after a verb, not a cue
            evidence = cue.lemma in EVIDENTIAL and mention.head in EVIDENCE_NOUNS
            if evidence and "evidence" not in on:
                continue  # "polls suggest …" reports evidence, not speech (PolNeAR counts it)
            if evidence:
                rule = "evidence"
            after, start, end = b + 1, s.toks[first].start, cue.span.end
        elif "relative" in on and (relative := relative_speaker(s, a, stops)) is not None:
            # "Trump, who previously questioned whether …": "who", and Trump.
            mention, antecedent, first = relative
            after, start, end = b + 1, s.toks[first].start, cue.span.end
            rule = "relative"
        elif cue.form == "ing":
            participle = True
            rule = "open" if a - 1 in s.closes else rule  # "the “plan,” saying …"
            mention = atts[-1].mention if atts else sentence_subject(s, "speakers" in on)
            first, after, start, end = a, b + 1, cue.span.start, cue.span.end
        elif "coord" in on and cue.form != "base" and coordinated(s, a):
            # "Cruz exhorted Republicans to vote and said he …": the sentence's subject.
            mention = atts[-1].mention if atts else sentence_subject(s, "speakers" in on)
            if mention is None:
                continue
            first, after, start, end = a, b + 1, cue.span.start, cue.span.end
            rule = "coord"
        else:
            # Inverted ("…,” said the mayor Lucas Rossi") or "according to X".
            inverted = a == s.i0 or a - 1 in s.closes or s.toks[a - 1].text in ",;:—–"
            opening = a == s.i0 + 1 and s.toks[s.i0].lower in ("but", "and", "yet", "so")
            if cue.lemma == "according to" and "according" in on and opening:
                inverted, rule = True, "according"  # "But according to the report, …"
            right = subject_right(s.toks, b, s.i0, s.i1, stops) if inverted else None
            if right is None:
                continue
            mention, last = right
            first, after, start, end = a, last + 1, cue.span.start, s.toks[last].end
        trailing = (
            not participle
            and rule != "relative"
            and first > s.i0
            and (first - 1 in s.closes or s.toks[first - 1].text in ",;—–")
        )
        if trailing and "asked" in on and after_asked(s):
            trailing, rule = False, "asked"  # "Asked whether …, Reid said he would not."
        quoted = first - 1 in s.closes  # "“…?” Trump told ITV in an interview aired …"
        if trailing and not quoted and "lead" in on and _leads(s, cue, after, on):
            trailing, rule = False, "lead"
        if "negated" in on and _negated(s, a):
            rule = "negated"
        if "coref" in on and antecedent is None and mention is not None:
            antecedent = same_sentence_antecedent(s, mention)
        att = Attribution(
            cue, mention, first, after, start, end, trailing, participle, rule, antecedent
        )
        (inner if nested else atts).append(att)
    # "Both sides expressed support …, the ministry said": a belief or object cue before a
    # trailing verb of saying is inside what was said.
    last = max(
        (n for n, x in enumerate(atts) if x.trailing and x.cue.lemma not in OBJECT_LEMMAS),
        default=-1,
    )
    outer = [x for n, x in enumerate(atts) if n > last or x.cue.lemma not in OBJECT_LEMMAS]
    if last >= 0:  # nor is a claim nested in such a cue one of its own
        inner = [x for x in inner if x.start > atts[last].start]
    return outer, inner


_PREPOSITIONS = words("in on at for from with by during after before")


def _in_phrase(s: Sentence, first: int) -> bool:
    """Whether a would-be subject is the object of a preposition that opens the sentence or a
    comma-set phrase ("In a statement released Thursday, …")."""
    if first - 1 < s.i0 or s.toks[first - 1].lower not in _PREPOSITIONS:
        return False
    return first - 2 < s.i0 or s.toks[first - 2].text in ",;:("
