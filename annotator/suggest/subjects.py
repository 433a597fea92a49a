"""Who speaks when the subject is not simply the noun phrase before the cue: the
sentence's subject past datelines and adverbials, "who" in "X, who said", the subject of
"went on to say", "he" resolved within its sentence, pieces of a long apposition."""

from __future__ import annotations

import re
from bisect import bisect_left

from annotator.offsets import Span

from .sentences import Sentence
from .speakers import (
    Mention,
    apposition_piece,
    mention_of,
    subject_left,
)
from .tokens import (
    AUXILIARIES,
    CLAUSE_LINKS,
    DETERMINERS,
    TIME_WORDS,
    WEEKDAYS,
    is_verb_like,
    words,
)

QUANTIFIERS = words("many most some few both all several others")


def sentence_subject(s: Sentence, wide: bool = False) -> Mention | None:
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
        "as for by from over under speaking asked after amid despite here there still instead "
        "however meanwhile now indeed then"
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


def relative_speaker(
    s: Sentence, a: int, stops: set[int]
) -> tuple[Mention, Mention | None, int] | None:
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


def verb_phrase(s: Sentence, first: int) -> bool:
    """Whether a would-be subject starting at token ``first`` follows "will" or "to", so is
    a verb's object phrase ("will [feed insecurity in nations] worried")."""
    if first <= s.i0:
        return False
    prev = s.toks[first - 1]
    if not prev.text.islower() or not (prev.lower in AUXILIARIES or prev.lower == "to"):
        return False
    word = s.toks[first]  # "an aide to [the mayor]" is a noun phrase
    return word.text.islower() and word.lower not in DETERMINERS | QUANTIFIERS


def same_sentence_antecedent(s: Sentence, mention: Mention) -> Mention | None:
    """Rule "coref": "he" after a named subject of its own sentence is that subject ("Sanders
    agreed to debate on the day he proposed"), not the last speaker."""
    if mention.kind != "pronoun" or mention.first not in ("he", "she"):
        return None
    subject = sentence_subject(s, True)
    if subject is None or subject.kind != "name" or not subject.person:
        return None
    word = s.text[subject.span.start : subject.span.end]
    if " " not in word and not re.search(rf"[a-z,] {re.escape(word)}\b", s.text):
        return None  # "Workers marched …": capitalised only as the first word, not a name
    return subject if subject.span.end <= mention.span.start else None


# Words between a subject and "to say": "was prompted to", "went on to", "more likely to".
_TO_CHAIN = words(
    "on more less most likely unlikely willing able eager ready prepared going about quick "
    "first only also still then want wants wanted went go goes continue continued decline "
    "declined refuse refused"
)


def infinitive_subject(s: Sentence, a: int, stops: set[int]) -> tuple[Mention, int] | None:
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


def piece_of_apposition(s: Sentence, mention: Mention) -> bool:
    """ "Cory James, 22, of [Flint], Mich., said": the subject found is a place in an
    apposition (rule "speakers" then looks further back)."""
    after = bisect_left(s.starts, mention.np.end, s.i0, s.i1)
    return after < s.i1 and s.toks[after].text == "," and apposition_piece(s.toks, after, s.i0)


def after_asked(s: Sentence) -> bool:
    """Whether the sentence opens with "Asked …," or "When asked …,": the attribution after
    the comma reports the answer, what follows it."""
    first = s.toks[s.i0].lower
    return first == "asked" or (
        first == "when" and s.i0 + 1 < s.i1 and s.toks[s.i0 + 1].lower == "asked"
    )


def coordinated(s: Sentence, a: int) -> bool:
    """Whether the verb at token ``a`` is the second of two joined by "and" or "but"."""
    j = a - 1
    if j > s.i0 and (s.toks[j].lower in AUXILIARIES or s.toks[j].lower.endswith("ly")):
        j -= 1
    return j > s.i0 and s.toks[j].lower in ("and", "but")
