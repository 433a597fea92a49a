"""Character offsets: the one place that validates spans and converts browser offsets.

Offsets are Python string indices into a document's text (Unicode code points), start
inclusive, end exclusive, so ``text[start:end]`` is always the span's text. Browsers count
UTF-16 code units, in which a character outside the Basic Multilingual Plane (most emoji)
takes two; everything that crosses that edge goes through ``Utf16Index`` here. Pure
Python, no Django.

A discontinuous span (a quote split by "he said") is its outer extent plus its
``fragments``: the pieces, in text order, not overlapping, the first starting where the span
starts and the last ending where it ends. A span of one piece has no fragments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
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

    def __iter__(self) -> Iterator[int]:
        """``start, end = span``, as for the (start, end) pairs stored in JSON."""
        yield self.start
        yield self.end

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


MAX_FRAGMENTS = 50


def check_fragments(
    text: str,
    pieces: object,
    start: object = None,
    end: object = None,
    given_text: object = None,
) -> tuple[Span, tuple[Span, ...]]:
    """The outer span and the fragments of a discontinuous span.

    ``pieces`` is a list of ``{"start", "end", "text"?}`` in text order, not overlapping
    (adjacent is fine: brat keeps such pieces apart). ``start``, ``end`` and ``given_text``,
    when given, must be the outer extent's. One piece is a plain span: no fragments.
    """
    if not isinstance(pieces, Sequence) or isinstance(pieces, str) or not pieces:
        raise OffsetError("fragments must be a non-empty list of {start, end}")
    if len(pieces) > MAX_FRAGMENTS:
        raise OffsetError(f"a span has at most {MAX_FRAGMENTS} fragments")
    fragments: list[Span] = []
    for i, piece in enumerate(pieces):
        if not isinstance(piece, Mapping):
            raise OffsetError(f"fragment {i + 1} must be an object with start and end")
        try:
            span = check_span(text, piece.get("start"), piece.get("end"), piece.get("text"))
        except OffsetError as exc:
            raise OffsetError(f"fragment {i + 1}: {exc}") from None
        if fragments and span.start < fragments[-1].end:
            raise OffsetError(
                f"fragment {i + 1} ({span.start}-{span.end}) overlaps or comes before the one "
                "before it: give fragments in text order, without overlaps"
            )
        fragments.append(span)
    outer = Span(fragments[0].start, fragments[-1].end)
    if (start is not None or end is not None) and (start, end) != (outer.start, outer.end):
        raise OffsetError(
            f"start and end ({start}-{end}) must be the outer extent of the fragments "
            f"({outer.start}-{outer.end})"
        )
    if given_text is not None and outer.text_in(text) != given_text:
        raise OffsetError(
            f"text {given_text!r} does not match the text at {outer.start}-{outer.end}: "
            f"{outer.text_in(text)!r}"
        )
    return outer, tuple(fragments) if len(fragments) > 1 else ()


def add_fragment(span: Span, fragments: Sequence[Span], new: Span) -> tuple[Span, tuple[Span, ...]]:
    """A span with one more piece: overlapping pieces merge into one; the rest keep apart."""
    merged: list[Span] = []
    for piece in sorted([*(fragments or [span]), new], key=lambda s: (s.start, s.end)):
        if merged and piece.start < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, piece.end))
        else:
            merged.append(piece)
    outer = Span(merged[0].start, merged[-1].end)
    return outer, tuple(merged) if len(merged) > 1 else ()


def pieces(span: Span, fragments: Sequence[Span] | None) -> tuple[Span, ...]:
    """What a span covers: its fragments, or the span itself."""
    return tuple(fragments) if fragments else (span,)


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
