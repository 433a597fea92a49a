"""The detector: sentences → reporting cues → speakers → claims, linked to entities.

Per sentence, each accepted cue becomes an *attribution* (speaker phrase plus cue). An
attribution set off by a comma or a closing quote ("…,” his office said") reports the words
before it; any other one reports the clause or quotation after it ("X said that …", "He
added: “…”"). A clause runs to the next attribution or the end of the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from annotator.offsets import Span

from .clauses import clause_start, leading_np, shape, skip_adverbials, trim
from .entities import EntityLinker
from .lexicon import (
    EVIDENCE_NOUNS,
    EVIDENTIAL,
    EXTRA_LEMMAS,
    MORE_LEMMAS,
    NOUN_LIKE_S,
    OBJECT_LEMMAS,
    Cue,
    find_cues,
)
from .loose import LooseRules
from .quotes import Quote, find_quotes, top_level
from .sentences import Sentence, split_sentences
from .speakers import (
    Mention,
    SpeakerHistory,
    apposition_piece,
    mention_of,
    subject_left,
    subject_right,
)
from .tokens import (
    AUXILIARIES,
    CLAUSE_LINKS,
    DETERMINERS,
    MODALS,
    NEGATIONS,
    TIME_WORDS,
    WEEKDAYS,
    is_verb_like,
    tokenize,
    words,
)

# Rule categories, in the order the evaluation adds them; "base" is the seed-article detector.
RULES: tuple[str, ...] = (
    "base", "lead", "verbs", "split", "multi", "speakers", "dash", "colon", "stop", "nouns",
    "passive", "open", "evidence", "extra", "hedge", "topics", "coord", "turns", "negated",
    "according", "nested", "relative", "contracted", "quotes", "coref", "infinitive",
    "verbless", "asked",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Detected:
    """One suggested claim; every span is a code-point offset pair into the text."""

    claim: Span  # the quotation's words, or the reported clause without its full stop
    cue: Span | None  # "said", "told reporters", "according to", "quoted him as saying"
    speaker: Span | None  # the mention by the cue: "The United States", "his office", "He"
    speaker_antecedent: Span | None  # for "he"/"his office": the last named speaker before
    target: Span | None  # what the claim is about: an entity in it, or its subject
    stance: str | None  # "oppose"/"support" only after a hostile/approving cue, else None
    kind: str  # "direct", "indirect" or "mixed"
    speaker_entity: str | None  # canonical entity of the speaker (or of its antecedent)
    target_entity: str | None
    # A quotation split by its cue ("“We will win,” he said, “and rebuild.”"): the pieces, in
    # order; ``claim`` is then their outer extent. () for a claim of one piece.
    fragments: tuple[Span, ...] = ()
    rule: str = "base"  # the rule category that found it (see RULES)


@dataclass(frozen=True, slots=True)
class _Attribution:
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


@dataclass(frozen=True, slots=True)
class _Found:
    claim: Span
    kind: str
    subject: Span | None  # the short subject of a quoted predicate, the claim's target
    attribution: _Attribution
    fragments: tuple[Span, ...] = ()
    rule: str = ""  # when not the attribution's rule


# "He’s", "they’ve", "I’m": a pronoun and its auxiliary in one token (Token.lower has "'").
_CONTRACTED = re.compile(r"^(he|she|they|we|i|you|it|who)'(?:s|re|m|ve|d)$")
_WHEN_HEADS = words("week month year night morning evening afternoon weekend past")
_PASSIVE = words("was were been being is are be am get got gets")
_BASE_SUBJECTS = words("i we you they people police") | MODALS | {"do", "did", "does"}
_QUANTIFIERS = words("many most some few both all several others")
_ING_AFTER = words("and while by after before when also again") | _PASSIVE


def _accept(s: Sentence, cue: Cue, a: int, on: frozenset[str]) -> bool:
    """Drop nouns ("the claim"), negated (unless rule "negated"), infinitive and passive uses
    of a reporting verb."""
    if cue.lemma == "according to":
        return True
    if not cue.text[0].islower() or a <= s.i0:
        return False
    prev = s.toks[a - 1]
    low = prev.lower
    if "infinitive" in on and cue.form == "base" and cue.lemma in _OPEN_VERBS:
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
        many = "speakers" in on and low in _QUANTIFIERS  # "Many fear …"
        return low in _BASE_SUBJECTS or (prev.is_word and plural) or many
    if cue.form == "ing":
        # "… the “Golden Week,” saying …": the comma inside the quote (rule "open").
        quoted = "open" in on and a - 1 in s.closes and a - 2 >= s.i0 and s.toks[a - 2].text == ","
        return prev.text == "," or low in _ING_AFTER or quoted
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


def _cues(s: Sentence, starts: list[int], on: frozenset[str]) -> list[tuple[Cue, int, int]]:
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


def _sentence_subject(s: Sentence, wide: bool = False) -> Mention | None:
    """The subject the sentence opens with; ``wide`` (rule "speakers") skips adverbials and
    dates: "On Sunday, Clinton slammed …", "Trump earlier Tuesday backed …"."""
    start = _after_adverbials(s) if wide else s.i0
    k = start
    while k < s.i1 and k - start < 8 and s.toks[k].is_word:
        if s.toks[k].lower in CLAUSE_LINKS or is_verb_like(s.toks, k):
            break
        k += 1
    while wide and k - 1 > start and s.toks[k - 1].lower in WEEKDAYS | TIME_WORDS:
        k -= 1  # "Clinton Sunday slammed …"
    return mention_of(s.toks, start, k - 1, s.i0) if k > start else None


# Words that open an adverbial before the subject: "On Sunday, …", "In Iowa, …".
_ADVERBIAL_OPENERS = (
    words(
        "on in at during after before following earlier later last this with while since when "
        "as for by from over under speaking asked after amid despite"
    )
    | WEEKDAYS
)


def _after_adverbials(s: Sentence) -> int:
    """Where the subject starts, after leading adverbials set off by commas (rule
    "speakers"): "On Sunday, in Iowa, Mrs. Clinton tried …" starts at "Mrs."."""
    k = s.i0
    # A dateline: "WASHINGTON (AP) — Clinton has …", "LONDON, England — …".
    for j in range(s.i0, min(s.i1, s.i0 + 10)):
        tok = s.toks[j]
        if tok.text in "—–-" and j > s.i0:
            k = j + 1
            break
        if tok.is_word and not tok.text.isupper() and tok.text not in ("AP", "Reuters"):
            break
    while k < s.i1 and s.toks[k].lower in _ADVERBIAL_OPENERS:
        comma = next((j for j in range(k + 1, min(s.i1, k + 12)) if s.toks[j].text == ","), None)
        if comma is None:
            break
        k = comma + 1
    return k if k < s.i1 else s.i0


_DASHES = "―—–"


def _signed(s: Sentence) -> tuple[Quote, Span, int, int] | None:
    """Rule "dash": a quotation signed with a dash, "“We matter.” ― Ana Ruiz" (the quote, the
    dash, and the name's first and last token). The name may be split off as a sentence of its
    own, so it is looked for on the rest of the line."""
    if len(s.quotes) != 1 or s.quotes[0].outer.start != s.span.start:
        return None
    q = s.quotes[0]
    toks, text = s.toks, s.text
    k = bisect_left(s.starts, q.outer.end)
    if k + 1 >= len(toks) or toks[k].text not in _DASHES or not toks[k + 1].is_capitalised:
        return None
    last = k + 1
    while last + 1 < len(toks) and last - k < 5 and toks[last + 1].is_capitalised:
        if "\n" in text[toks[last].end : toks[last + 1].start]:
            break
        last += 1
    line_end = text.find("\n", toks[last].end)
    rest = text[toks[last].end : len(text) if line_end == -1 else line_end]
    if "\n" in text[q.outer.end : toks[last].start] or rest.strip(" .\t\r\xa0"):
        return None  # not the whole rest of the line: "“…” — Ana Ruiz said, …"
    return q, Span(toks[k].start, toks[k].end), k + 1, last


def _introduced(s: Sentence, wide: bool) -> tuple[Quote, Mention, int] | None:
    """Rule "colon": a quotation after a colon in a sentence whose subject is a name or a
    pronoun, "Limbaugh continued: “…”", "McCaskill scolded him: “…”" (the quote, the subject,
    and the index of the colon)."""
    for k in range(s.i0 + 1, s.i1 - 1):
        if s.toks[k].text == ":" and k + 1 in s.opens:
            subject = _sentence_subject(s, wide)
            if subject is None or subject.kind == "description" or k - s.i0 > 12:
                return None
            return s.opens[k + 1], subject, k
    return None


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


def _attributions(
    s: Sentence, cues: list[tuple[Cue, int, int]], on: frozenset[str]
) -> tuple[list[_Attribution], list[_Attribution]]:
    """The sentence's attributions, and those nested in what another one reports ("Murphy
    said he supports the bill": "supports" is inside what Murphy said)."""
    # A speaker phrase never runs across another cue or a quote mark. (The search starts
    # outside the cue's own tokens, so one set serves every cue.)
    quote_marks = set(s.opens) | s.closes
    stops = {i for _, a, b in cues for i in range(a, b + 1)} | quote_marks
    atts: list[_Attribution] = []
    inner: list[_Attribution] = []
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
            left[0].head in WEEKDAYS | _WHEN_HEADS or _piece_of_apposition(s, left[0])
        )
        infinitive = "infinitive" in on and cue.form == "base" and cue.lemma in _OPEN_VERBS
        if infinitive and not _accept(s, cue, a, on - {"infinitive"}):
            rule = "infinitive"  # accepted only by that rule
        if left is None and "infinitive" in on and s.toks[a - 1].lower == "to":
            left = _infinitive_subject(s, a, stops)
            rule = "infinitive" if left is not None else rule
        if left is None and rule == "infinitive" and s.toks[a - 1].text == "%" and a - 2 > s.i0:
            left = mention_of(s.toks, a - 2, a - 1, s.i0), a - 2  # "47% say"
        if (left is None or dated) and "speakers" in on and cue.lemma != "according to":
            left = subject_left(s.toks, a, s.i0, quote_marks, wide=True)
            rule = "speakers" if left is not None else rule
        if "contracted" in on and left is not None and _CONTRACTED.match(left[0].first):
            tok = s.toks[left[1]]
            span = Span(tok.start, tok.start + len(_CONTRACTED.match(left[0].first)[1]))
            word = left[0].first.split("'")[0]
            left = Mention(span, span, "pronoun", word, word, False, False), left[1]
            rule = "contracted"
        if left is not None and "speakers" in on and _verb_phrase(s, left[1]):
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
        elif "relative" in on and (relative := _relative(s, a, stops)) is not None:
            # "Trump, who previously questioned whether …": "who", and Trump.
            mention, antecedent, first = relative
            after, start, end = b + 1, s.toks[first].start, cue.span.end
            rule = "relative"
        elif cue.form == "ing":
            participle = True
            rule = "open" if a - 1 in s.closes else rule  # "the “plan,” saying …"
            mention = atts[-1].mention if atts else _sentence_subject(s, "speakers" in on)
            first, after, start, end = a, b + 1, cue.span.start, cue.span.end
        elif "coord" in on and cue.form != "base" and _coordinated(s, a):
            # "Cruz exhorted Republicans to vote and said he …": the sentence's subject.
            mention = atts[-1].mention if atts else _sentence_subject(s, "speakers" in on)
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
        if trailing and "asked" in on and _after_asked(s):
            trailing, rule = False, "asked"  # "Asked whether …, Reid said he would not."
        quoted = first - 1 in s.closes  # "“…?” Trump told ITV in an interview aired …"
        if trailing and not quoted and "lead" in on and _leads(s, cue, after, on):
            trailing, rule = False, "lead"
        if "negated" in on and _negated(s, a):
            rule = "negated"
        if "coref" in on and antecedent is None and mention is not None:
            antecedent = _same_sentence_antecedent(s, mention)
        att = _Attribution(
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


# Rule "nested": the cues whose claims inside another claim PolNeAR marks too, each right at
# least 60% of the time there on PolNeAR train (most, such as "want", "think", "support", are
# right less than a third of the time).
_NESTED = words(
    "express cite quote echo imply blame urge decline describe defend estimate challenge "
    "deem mock indicate aim remind"
) | {"call for", "talk about", "point to", "rail against"}


def _relative(s: Sentence, a: int, stops: set[int]) -> tuple[Mention, Mention | None, int] | None:
    """Rule "relative": the "who" or "which" before the cue at token ``a`` ("who has said"),
    the noun phrase it refers to, and the index of the "who"."""
    j = a - 1
    while j > s.i0 and (s.toks[j].lower in AUXILIARIES or s.toks[j].lower.endswith("ly")):
        j -= 1
    word = s.toks[j].lower
    if j <= s.i0 or word not in ("who", "which"):
        return None
    span = Span(s.toks[j].start, s.toks[j].end)
    mention = Mention(span, span, "pronoun", word, word, False, False)
    k = j - 1 if s.toks[j - 1].text == "," else j
    left = subject_left(s.toks, k, s.i0, stops) if k > s.i0 else None
    return mention, (left[0] if left is not None else None), j


def _verb_phrase(s: Sentence, first: int) -> bool:
    """Whether a would-be subject starting at token ``first`` follows "will" or "to", so is
    a verb's object phrase ("will [feed insecurity in nations] worried")."""
    if first <= s.i0:
        return False
    prev = s.toks[first - 1]
    if not prev.text.islower() or not (prev.lower in AUXILIARIES or prev.lower == "to"):
        return False
    word = s.toks[first]  # "an aide to [the mayor]" is a noun phrase
    return word.text.islower() and word.lower not in DETERMINERS | _QUANTIFIERS


def _same_sentence_antecedent(s: Sentence, mention: Mention) -> Mention | None:
    """Rule "coref": "he" after a named subject of its own sentence is that subject ("Sanders
    agreed to debate on the day he proposed"), not the last speaker."""
    if mention.kind != "pronoun" or mention.first not in ("he", "she"):
        return None
    subject = _sentence_subject(s, True)
    if subject is None or subject.kind != "name" or not subject.person:
        return None
    word = s.text[subject.span.start : subject.span.end]
    if " " not in word and not re.search(rf"[a-z,] {re.escape(word)}\b", s.text):
        return None  # "Workers marched …": capitalised only as the first word, not a name
    return subject if subject.span.end <= mention.span.start else None


_SURVEYED = words("surveyed polled asked interviewed questioned")
# Words between a subject and "to say": "was prompted to", "went on to", "more likely to".
_TO_CHAIN = words(
    "on more less most likely unlikely willing able eager ready prepared going about quick "
    "first only also still then want wants wanted went go goes continue continued decline "
    "declined refuse refused"
)


def _infinitive_subject(s: Sentence, a: int, stops: set[int]) -> tuple[Mention, int] | None:
    """Rule "infinitive": the subject of "X was prompted to say", "X went on to say"."""
    j = a - 2  # before "to"
    while j > s.i0 and a - j <= 7:
        tok = s.toks[j]
        low = tok.lower
        chain = low in _TO_CHAIN or low in AUXILIARIES or low.endswith("ly")
        if not tok.text.islower() or not (chain or is_verb_like(s.toks, j)):
            break
        j -= 1
    if j == a - 2:
        return None
    return subject_left(s.toks, j + 1, s.i0, stops)


def _colon_ahead(s: Sentence, k: int) -> int | None:
    """The colon before a quotation a few words on, with no verb between: "said on Twitter:
    “…”", "wrote in a letter to donors: “…”"."""
    for j in range(k, min(s.i1 - 1, k + 8)):
        if s.toks[j].text == ":" and j + 1 in s.opens:
            return j
        if not s.toks[j].is_word or is_verb_like(s.toks, j):
            return None
    return None


def _verbless(s: Sentence, region: Span) -> bool:
    """Rule "verbless": words before a trailing attribution with no verb and no quotation
    ("On Saturday, Trump said …", "Overall, groups reported …") are an adverbial, not a claim."""
    toks = s.tokens_in(region.start, region.end)
    if len(toks) > 8 or s.quotes_in(region.start, region.end):
        return False
    return not any(is_verb_like(toks, k) for k in range(len(toks)))


def _piece_of_apposition(s: Sentence, mention: Mention) -> bool:
    """ "Cory James, 22, of [Flint], Mich., said": the subject found is a place in an
    apposition (rule "speakers" then looks further back)."""
    after = bisect_left(s.starts, mention.np.end, s.i0, s.i1)
    return after < s.i1 and s.toks[after].text == "," and apposition_piece(s.toks, after, s.i0)


def _after_asked(s: Sentence) -> bool:
    """Whether the sentence opens with "Asked …," or "When asked …,": the attribution after
    the comma reports the answer, what follows it."""
    first = s.toks[s.i0].lower
    return first == "asked" or (
        first == "when" and s.i0 + 1 < s.i1 and s.toks[s.i0 + 1].lower == "asked"
    )


def _coordinated(s: Sentence, a: int) -> bool:
    """Whether the verb at token ``a`` is the second of two joined by "and" or "but"."""
    j = a - 1
    if j > s.i0 and (s.toks[j].lower in AUXILIARIES or s.toks[j].lower.endswith("ly")):
        j -= 1
    return j > s.i0 and s.toks[j].lower in ("and", "but")


def _boundary(s: Sentence, atts: list[_Attribution], n: int, start: int) -> int:
    """Where a clause that starts at ``start`` ends: before the next attribution."""
    end = s.toks[s.i1 - 1].end
    semicolon = s.text.find(";", start, end)
    while semicolon != -1 and s.in_quote(semicolon):
        semicolon = s.text.find(";", semicolon + 1, end)
    if semicolon != -1:
        end = semicolon
    for m in range(n + 1, len(atts)):
        att = atts[m]
        if att.start <= start or att.start >= end:
            continue
        link = att.first - 1
        if not (att.trailing or att.participle) and s.toks[link].lower in CLAUSE_LINKS:
            return s.toks[link].start  # "… after rebels claimed …"
        return att.start
    return end


def _claims(s: Sentence, atts: list[_Attribution], on: frozenset[str]) -> list[_Found]:
    found: list[_Found] = []
    cursor = s.span.start
    firsts = {att.first for att in atts}

    def shaped(region: Span | None) -> tuple[Span, str, Span | None] | None:
        if region is None or not any(t.is_word for t in s.tokens_in(region.start, region.end)):
            return None
        quotes = s.quotes_in(region.start, region.end)
        return shape(s.text, region, quotes, s.tokens_in(region.start, region.end))

    def add(region: Span | None, att: _Attribution, rule: str = "") -> None:
        nonlocal cursor
        if (piece := shaped(region)) is not None and region is not None:
            found.append(_Found(*piece, att, rule=rule))
            cursor = max(cursor, region.end)

    def add_split(first: Span | None, second: Span | None, att: _Attribution) -> None:
        """One claim in two pieces around its attribution: "“We will win,” he said, “and
        rebuild.”", "The plan, critics said, would fail"."""
        nonlocal cursor
        one, two = shaped(first), shaped(second)
        if one is None or two is None or first is None or second is None:
            add(first, att)
            add(second, att)
            return
        kind = (
            "direct"
            if one[1] == two[1] == "direct"
            else "mixed"
            if "mixed" in (one[1], two[1])
            else "indirect"
        )
        claim = Span(one[0].start, two[0].end)
        found.append(_Found(claim, kind, one[2], att, (one[0], two[0]), "split"))
        cursor = max(cursor, second.end)

    for n, att in enumerate(atts):
        k = skip_adverbials(s.toks, att.after, s.i1)
        quote_after = k + 1 < s.i1 and s.toks[k].text in ":," and k + 1 in s.opens
        if not quote_after and "open" in on and (colon := _colon_ahead(s, k)) is not None:
            k, quote_after = colon, True  # "said on Twitter: “…”"
        if att.trailing:
            end = att.start
            # "The plan, critics said, would fail": the claim resumes after the attribution.
            resumes = k + 1 < s.i1 and s.toks[k].text == "," and k + 1 not in firsts
            if resumes and s.toks[k + 1].text[0].islower() and "split" in on:
                second = trim(
                    s.text, s.toks[k + 1].start, _boundary(s, atts, n, s.toks[k + 1].start)
                )
                add_split(trim(s.text, cursor, end), second, att)
                cursor = max(cursor, att.end)
                continue
            if resumes and s.toks[k + 1].text[0].islower():
                end = _boundary(s, atts, n, s.toks[k + 1].start)
            if quote_after and s.toks[k].text == "," and "split" in on:
                add_split(trim(s.text, cursor, end), s.opens[k + 1].outer, att)
                cursor = max(cursor, att.end)
                continue
            region = trim(s.text, cursor, end)
            if "verbless" in on and region is not None and _verbless(s, region):
                cursor = max(cursor, att.end)  # "On Saturday, Trump said: …", "Overall, …"
            else:
                add(region, att)
        if quote_after:
            add(s.opens[k + 1].outer, att)  # "He added: “…”"
        elif not att.trailing:
            after = att.after
            if att.cue.lemma == "according to" and after < s.i1 and s.toks[after].text == ",":
                after += 1
            begin = clause_start(s.toks, after, s.i1, att.cue, s.opens, "lead" in on, "verbs" in on)
            rule = ""
            if begin is None and "open" in on and att.mention is not None:
                begin, rule = _open_start(s, att.cue, after), "open"
            if begin is None and "according" in on and att.cue.lemma == "according to":
                # "According to a survey, 70% of adults …": all that follows the comma.
                comma = after > att.after and s.toks[after - 1].text == ","
                if comma and after < s.i1 and s.toks[after].is_word:
                    begin, rule = after, "according"
            if begin is not None:
                start = s.toks[begin].start
                end = _boundary(s, atts, n, start)
                if att.rule == "relative":  # "X, who said A, …": A ends at the comma
                    comma = s.text.find(",", start, end)
                    while comma != -1 and s.in_quote(comma):
                        comma = s.text.find(",", comma + 1, end)
                    end = end if comma == -1 else comma
                add(trim(s.text, start, end), att, rule)
        cursor = max(cursor, att.end)
    return found


# Rule "open": after a verb of saying with its speaker ("Trump said he'd welcome it", "Forbes
# said her $4.5 billion fortune was gone", "Sanders said yes"), whatever follows is what was
# said, though no finite verb shows it is a clause; but not a prepositional phrase.
_OPEN_VERBS = words("say tell add write insist argue claim explain declare assert")
_NOT_OPEN_START = words("to of by with for about in on at from as into after before during")


def _open_start(s: Sentence, cue: Cue, after: int) -> int | None:
    if cue.lemma not in _OPEN_VERBS or cue.form == "ing":
        return None
    k = skip_adverbials(s.toks, after, s.i1)
    while k < s.i1 and s.toks[k].lower in WEEKDAYS:
        k += 1  # "said Wednesday she …"
    if k >= s.i1:
        return None
    # "said on the MSNBC show “Morning Joe” that …", "said, among other things, that …"
    for j in range(k, min(s.i1 - 1, k + 16)):
        if s.toks[j].lower == "that":
            return j + 1
        if is_verb_like(s.toks, j) or s.toks[j].text in ".;:!?":
            break
    if not (s.toks[k].is_word or s.toks[k].text == "$"):
        return None
    return None if s.toks[k].lower in _NOT_OPEN_START else k


def _continuation(s: Sentence) -> Quote | None:
    """A sentence that is nothing but a quotation ("“It will cost us dearly.”")."""
    if len(s.quotes) != 1:
        return None
    q = s.quotes[0]
    rest = s.text[s.span.start : q.outer.start] + s.text[q.outer.end : s.span.end]
    return q if not rest.strip(" .,;:!?\t") else None


def detect(
    text: str,
    entities: Mapping[str, Sequence[str]] | None = None,
    *,
    rules: Collection[str] = RULES,
) -> list[Detected]:
    """Claims in reading order. ``entities`` maps canonical name -> aliases (case-insensitive
    match); ``rules`` are the rule categories to use (all by default; the evaluation switches
    them on one by one)."""
    on = frozenset(rules)
    quotes = top_level(find_quotes(text, "quotes" in on))
    quote_starts = [q.outer.start for q in quotes]
    tokens = tokenize(text)
    starts = [t.start for t in tokens]
    linker = EntityLinker(entities)
    history = SpeakerHistory()
    results: list[Detected] = []
    previous: Detected | None = None  # the last quotation claim of the previous sentence
    loose = LooseRules(text, on)
    for span in split_sentences(text, [q.outer for q in quotes], "stop" in on):
        s = Sentence(text, tokens, starts, span, quotes, quote_starts)
        extra = loose.found(s)
        for rule, _, _, mention in extra:
            if rule == "turns" and mention is not None:
                history.add(mention)  # "FALLIN: I think …": "I" is Fallin
        outer, inner = _attributions(s, _cues(s, starts, on), on)
        here = [_link(s, f, history, linker) for f in _claims(s, outer, on)]
        if "nested" in on:
            # A claim inside a claim ("Murphy said he [supports] the bill") is one too.
            for att in (x for x in inner if x.cue.lemma in _NESTED):
                for f in _claims(s, [replace(att, trailing=False)], on):
                    if not any(d.claim == f.claim for d in here):
                        here.append(_link(s, replace(f, rule="nested"), history, linker))
        for rule, claim, cue, mention in extra:
            overlaps = any(d.claim.start < claim.end and claim.start < d.claim.end for d in here)
            if overlaps and rule != "turns":  # a turn holds the claims made in it
                continue
            antecedent = history.resolve(mention) if mention else None
            if mention is not None:
                history.add(mention)
            named = antecedent.span if antecedent else mention.span if mention else None
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here.append(
                Detected(claim, cue, mention.span if mention else None,
                         antecedent.span if antecedent else None, target, None, "indirect",
                         linker.name_of(text, named), linker.name_of(text, target), rule=rule)
            )  # fmt: skip
        if not here and "dash" in on and (signed := _signed(s)) is not None:
            q, dash, first, last = signed
            mention = mention_of(s.toks, first, last, s.i0)
            history.add(mention)
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here = [
                Detected(claim, dash, mention.span, None, target, None, "direct",
                         linker.name_of(text, mention.span), linker.name_of(text, target),
                         rule="dash")
            ]  # fmt: skip
        elif (
            not here
            and "colon" in on
            and (introduced := _introduced(s, "speakers" in on)) is not None
        ):
            q, mention, colon = introduced
            antecedent = history.resolve(mention)
            history.add(mention)
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            target = leading_np(s.tokens_in(claim.start, claim.end))
            verb = s.toks[colon - 1]
            cue = Span(verb.start, verb.end) if is_verb_like(s.toks, colon - 1) else None
            named = mention.span if antecedent is None else antecedent.span
            here = [
                Detected(claim, cue, mention.span, antecedent.span if antecedent else None,
                         target, None, "direct", linker.name_of(text, named),
                         linker.name_of(text, target), rule="colon")
            ]  # fmt: skip
        elif not here and previous is not None and (q := _continuation(s)) is not None:
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            if "multi" in on and previous is results[-1]:
                # A quotation that goes on in the next sentence (or paragraph) is one claim.
                pieces = (*(previous.fragments or (previous.claim,)), claim)
                previous = results[-1] = replace(
                    previous, claim=Span(previous.claim.start, claim.end), fragments=pieces,
                    rule="multi",
                )  # fmt: skip
                continue
            antecedent = previous.speaker_antecedent or previous.speaker
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here = [
                Detected(claim, None, None, antecedent, target, None, "direct",
                         previous.speaker_entity, linker.name_of(text, target))
            ]  # fmt: skip
        quoted = [d for d in here if d.kind != "indirect" and (d.speaker or d.speaker_antecedent)]
        previous = quoted[-1] if quoted else None
        results.extend(here)
    if mixed := [q.outer for q in quotes if q.mixed]:
        # Claims that rule "quotes" made possible: their quotation has mixed marks.
        results = [
            replace(d, rule="quotes")
            if any(q.start < d.claim.end and d.claim.start < q.end for q in mixed)
            else d
            for d in results
        ]
    results.sort(key=lambda d: (d.claim.start, d.claim.end))
    return results


def _link(s: Sentence, f: _Found, history: SpeakerHistory, linker: EntityLinker) -> Detected:
    """Resolve the speaker, link entities and pick a target for one found claim."""
    text = s.text
    att = f.attribution
    mention = att.mention
    speaker = mention.span if mention else None
    antecedent = att.antecedent or (history.resolve(mention) if mention else None)
    if mention is not None:
        history.add(mention)
    if att.antecedent is not None:
        history.add(att.antecedent)
    antecedent_span = antecedent.span if antecedent else None
    speaker_entity = linker.name_of(text, speaker) or linker.name_of(text, antecedent_span)
    target, target_entity = f.subject, linker.name_of(text, f.subject)
    if target is None:
        hit = linker.first_in(text, f.claim, exclude=speaker_entity)
        if hit is not None:
            target, target_entity = hit
        else:
            target = leading_np(s.tokens_in(f.claim.start, f.claim.end))
            target_entity = linker.name_of(text, target)
    return Detected(
        claim=f.claim,
        cue=att.cue.span,
        speaker=speaker,
        speaker_antecedent=antecedent_span,
        target=target,
        stance=att.cue.stance,
        kind=f.kind,
        speaker_entity=speaker_entity,
        target_entity=target_entity,
        fragments=f.fragments,
        rule=f.rule or att.rule,
    )
