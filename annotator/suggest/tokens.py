"""Word and punctuation tokens with code-point offsets, and the small word classes rules test.

Every rule in this package reasons over tokens, never over a copy of the text, so a token's
``start``/``end`` are always indices into the original document.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Combining marks (Latin diacritics, Hebrew and Arabic vowel signs, Devanagari signs): `\w` does
# not match them, and a decomposed "é" or a vocalised Arabic name must stay one word.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_W = rf"[\w{_MARKS}]"


def words(listing: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(listing.split())


TITLE_ABBREVIATIONS = sorted(
    words("Mr Mrs Ms Dr Prof Sen Rep Gov Gen Col Lt Sgt Capt Cmdr Adm Maj Rev Hon St Jr Sr Sec Amb")
)
_TOKEN_RE = re.compile(
    # U.S., U.N., e.g. — one token, so their dots never end a sentence or an NP.
    r"(?:[A-Za-z]\.){2,}"
    rf"|(?:{'|'.join(TITLE_ABBREVIATIONS)})\.(?=\s)"
    # An initial before a name: "J. Smith".
    r"|[A-Z]\.(?=\s+[A-Z])"
    # Words keep inner apostrophes and hyphens: O'Brien, Syria’s, don't, al-Sham, phase-out.
    rf"|{_W}+(?:[-'’‐]{_W}+)*"
    r"|\S"
)

APOSTROPHES = "'’"
QUOTE_CHARS = "\"'“”‘’«»‹›„"


class Token(NamedTuple):
    # A named tuple: a document has tens of thousands of tokens, and a tuple is made fast.
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_" or len(self.text) > 1

    @property
    def lower(self) -> str:
        # "doesn’t" and "doesn't" are one word to every list below.
        return self.text.lower().replace("’", "'")

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_possessive(self) -> bool:
        return len(self.text) > 2 and self.text[-2] in APOSTROPHES and self.text[-1] in "sS"


def tokenize(text: str) -> list[Token]:
    make = Token._make
    return [make((m.start(), m.end(), m.group())) for m in _TOKEN_RE.finditer(text)]


PRONOUNS = words("he she they it we i you")
POSSESSIVE_DETERMINERS = words("his her its their our my your")
DETERMINERS = words("the a an this that these those") | POSSESSIVE_DETERMINERS
AUXILIARIES = words(
    "is are was were be been being am has have had having will would shall should can "
    "could may might must do does did won't wouldn't can't couldn't isn't wasn't aren't "
    "weren't hasn't haven't hadn't doesn't didn't shouldn't"
)
MODALS = words("will would shall should can could may might must")
NEGATIONS = words("not never no")
# Words that end a subject noun phrase when read right to left: clause links, not NP parts.
CLAUSE_LINKS = words(
    "after before while when as because since although though if that which who whom whose "
    "but or so then where whereas until once than unless whether nor yet and to"
)
NP_PREPOSITIONS = words("of in at for from on")
NAME_PARTICLES = words(
    "al el bin ibn bint abu de da di du dos del della der den van von la le y ter"
)
WEEKDAYS = words("monday tuesday wednesday thursday friday saturday sunday")
TIME_WORDS = words(
    "yesterday today tonight earlier later also again meanwhile however too previously "
    "recently separately repeatedly publicly privately once then already still"
)
# Common past forms that do not end in -ed, for telling a clause ("said Assad lost ...") from
# a noun phrase object ("announced the action").
IRREGULAR_PAST = words(
    "lost made took gave went came saw knew thought found left kept held began became won "
    "ran fell led met paid sent spent stood brought bought built felt heard meant put set "
    "cut hit let sold struck threw wrote grew drew broke spoke chose rose drove told said "
    "got fought sought caught taught understood overran overtook withdrew"
)


def is_name_part(token: Token) -> bool:
    """Part of a proper name: capitalised, an acronym, or a particle such as "al"/"al-Sham"."""
    if not token.is_word or token.is_possessive:
        return False
    low = token.lower
    if low in NAME_PARTICLES or low.startswith(("al-", "el-")):
        return True
    return token.is_capitalised


def is_verb_like(tokens: list[Token], i: int) -> bool:
    """A rough finite-verb test for clause detection; no tagger, so word shape decides."""
    tok = tokens[i]
    low = tok.lower
    if low in AUXILIARIES or low in IRREGULAR_PAST:
        return True
    if not tok.text.isalpha() or tok.is_capitalised:
        return False
    if low.endswith("ed") and len(low) > 4:
        return True
    if low.endswith("s") and not low.endswith("ss") and i > 0:
        # "the public remains": an -s word right after a noun-like word, not after "the".
        prev = tokens[i - 1].lower
        return tokens[i - 1].is_word and prev not in DETERMINERS and prev not in NP_PREPOSITIONS
    return False
