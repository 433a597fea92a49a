"""Sentence spans: line breaks always end a sentence; a full stop only where a new one starts.

Offsets are those of the original text (CRLF counts as two characters), so a sentence span can
be used directly on the document. Full stops inside a quotation do not end the sentence: the
attribution that follows ("… said.") belongs to the quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from annotator.offsets import Span

from .quotes import Quote
from .tokens import TITLE_ABBREVIATIONS, Token, words

_LINE_BREAK_RE = re.compile(r"\r\n|[\n\r\u2028\u2029\x85]")
# End punctuation, any closing quotes or brackets after it, then the space before the next one.
_STOP_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_ABBREVIATIONS = frozenset(a.lower() for a in TITLE_ABBREVIATIONS) | words(
    "vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mt ft"
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")
# "“Is it fair?” Graham asked.": a name and a reporting verb after a quotation that ends with
# its own stop belong to the quotation's sentence (rule "stop").
_ATTRIBUTION_AFTER_RE = re.compile(
    r"\s*(?:[A-Z][\w.'’-]*\s+){1,4}(?:(?:told|asked|asks|tells)\b|(?:said|says|added|adds|"
    r"wrote|writes|tweeted|replied|continued|explained|insisted|argued|noted|declared)\b"
    # … and no clause of its own after it: "He said he had …" starts a new sentence.
    r"(?!\s+(?:he|she|they|it|we|I|you|that|the|a|an|his|her|their|its|this|there)\b))"
)


def _starts_sentence(ch: str) -> bool:
    # Anything but a lower-case letter: capitals, digits, quotes, and caseless scripts (Arabic).
    return not ch.islower()


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` closes "Mr.", "U.S.", an initial "J." and the like."""
    if text[stop] != ".":
        return False
    m = _WORD_BEFORE_RE.search(text, max(0, stop - 40), stop)
    if not m:
        return False
    word = m.group(1)
    if "." in word.strip("."):
        return True  # U.S, e.g
    word = word.strip(".")
    if word.lower() in ("no", "nos"):
        return text[stop + 1 : stop + 3].strip()[:1].isdigit()  # "No. 10", but "said no."
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _inside(spans: Sequence[Span], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i].start < pos < spans[i].end


def _split_line(
    text: str,
    start: int,
    end: int,
    protected: Sequence[Span],
    starts: list[int],
    keep_attribution: bool,
) -> Iterator[tuple[int, int]]:
    begin = start
    for m in _STOP_RE.finditer(text, start, end):
        # A stop inside a quote does not end the sentence, one that closes the quote may.
        if _inside(protected, starts, m.end()) or _is_abbreviation(text, m.start()):
            continue
        closes_quote = m.end() - 1 > m.start() and text[m.end() - 1] in "\"'”’»"
        if keep_attribution and closes_quote and _ATTRIBUTION_AFTER_RE.match(text, m.end(), end):
            continue
        nxt = m.end()
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end or not _starts_sentence(text[nxt]):
            continue
        yield begin, m.end()
        begin = nxt
    yield begin, end


def split_sentences(
    text: str, protected: Sequence[Span] = (), keep_attribution: bool = False
) -> list[Span]:
    """Sentence spans without surrounding whitespace, in order; ``protected`` spans (quotes)
    are never split; with ``keep_attribution``, nor is a quote from its "Graham asked"."""
    protected = sorted(protected, key=lambda s: s.start)
    starts = [s.start for s in protected]
    sentences = []
    line_start = 0
    bounds = [(m.start(), m.end()) for m in _LINE_BREAK_RE.finditer(text)] + [(len(text),) * 2]
    for brk_start, brk_end in bounds:
        for s, e in _split_line(text, line_start, brk_start, protected, starts, keep_attribution):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                sentences.append(Span(s, e))
        line_start = brk_end
    return sentences


class Sentence:
    """One sentence's tokens (as indices into the document's tokens) and quotes."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        starts: list[int],
        span: Span,
        quotes: Sequence[Quote],
        quote_starts: list[int],
    ) -> None:
        self.text = text
        self.toks = tokens
        self.starts = starts
        self.span = span
        self.i0 = bisect_left(starts, span.start)
        self.i1 = bisect_left(starts, span.end)
        first, last = bisect_left(quote_starts, span.start), bisect_left(quote_starts, span.end)
        self.quotes = [q for q in quotes[first:last] if q.outer.end <= span.end]
        self._quote_starts = [q.outer.start for q in self.quotes]
        index = {tokens[i].start: i for i in range(self.i0, self.i1)}
        self.opens = {index[q.outer.start]: q for q in self.quotes if q.outer.start in index}
        self.closes = {index[q.outer.end - 1] for q in self.quotes if q.outer.end - 1 in index}

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self._quote_starts, pos) - 1
        return k >= 0 and pos < self.quotes[k].outer.end

    def quotes_in(self, start: int, end: int) -> list[Quote]:
        i, j = bisect_left(self._quote_starts, start), bisect_left(self._quote_starts, end)
        return [q for q in self.quotes[i:j] if q.outer.end <= end]

    def tokens_in(self, start: int, end: int) -> list[Token]:
        i, j = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [t for t in self.toks[i:j] if t.end <= end]
