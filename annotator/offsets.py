"""Character offsets: the one place that validates spans and converts browser offsets.

Offsets are Python string indices into a document's text (Unicode code points), start
inclusive, end exclusive, so ``text[start:end]`` is always the span's text. Browsers count
UTF-16 code units, in which a character outside the Basic Multilingual Plane (most emoji)
takes two; everything that crosses that edge goes through ``Utf16Index`` here. Pure
Python, no Django.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

ROLES = ("claim", "speaker", "cue", "target")


class OffsetError(ValueError):
    """A span that does not fit its text; the message says why, for an end user."""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def check_span(text: str, start: object, end: object, given_text: object = None) -> Span:
    """Return the span if ``0 <= start < end <= len(text)`` and any given text matches it."""
    if type(start) is not int or type(end) is not int:
        raise OffsetError("start and end must be integers")
    if start < 0:
        raise OffsetError(f"start {start} is negative")
    if end <= start:
        raise OffsetError(f"end {end} must be greater than start {start}")
    if end > len(text):
        raise OffsetError(f"end {end} is past the end of the text ({len(text)} characters)")
    if given_text is not None and text[start:end] != given_text:
        raise OffsetError(
            f"text {given_text!r} does not match the text at {start}-{end}: {text[start:end]!r}"
        )
    return Span(start, end)


def trim(text: str, span: Span) -> Span:
    """Drop whitespace a mouse selection picks up at either end (keeps the span non-empty)."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise OffsetError("the selection holds only whitespace")
    return Span(start, end)


class Utf16Index:
    """Converts between code-point and UTF-16 offsets of one text in O(log n) per offset.

    Only characters above U+FFFF differ (two UTF-16 units for one code point), so the index
    keeps just their code-point positions.
    """

    __slots__ = ("_astral", "_astral_u16", "length")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Fast path: pure-BMP text (the common case) needs no index at all.
        if text.isascii():
            self._astral: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 position of each astral character: its code-point index plus one extra unit
        # for every astral character before it.
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        if not 0 <= offset <= self.length:
            raise OffsetError(f"offset {offset} is outside the text")
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, offset: int) -> int:
        if not 0 <= offset <= self.length + len(self._astral):
            raise OffsetError(f"UTF-16 offset {offset} is outside the text")
        n = bisect_left(self._astral_u16, offset)
        # An offset that falls between the two halves of a surrogate pair splits a character.
        if n and offset == self._astral_u16[n - 1] + 1:
            raise OffsetError(f"UTF-16 offset {offset} splits a character in two")
        return offset - n
