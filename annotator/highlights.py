"""The article as HTML segments with highlights. Pure Python, no Django.

The text is cut at every span boundary and every line break. Each piece becomes
``<span data-u="…">`` carrying its UTF-16 start, so the browser can turn a selection into
UTF-16 offsets by plain addition (annotate.js), and the server turns those into code points
(annotator.offsets). Line breaks get pieces of their own because the HTML parser turns CRLF
into LF: ``data-n`` keeps their real UTF-16 length. All text is escaped here.

A discontinuous span is drawn as its fragments only: the words between the pieces of a quote
split by "he said" are not part of the quote, and are not highlighted as if they were.

The pieces are grouped in blocks, ``<span class="block" id="block-N">``: a line with its line
break, a long line cut at a space every ``BLOCK`` characters or so. A change to one claim
re-renders only the blocks its spans touch (``blocks_of``, ``only=``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from annotator.offsets import Utf16Index

_LINE_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span: ``owner`` is "c17" (claim 17) or "s3" (suggestion 3)."""

    owner: str
    role: str
    start: int
    end: int


def span_marks(
    owner: str, role: str, start: int, end: int, fragments: Sequence[Sequence[int]] | None
) -> list[Mark]:
    """The marks that draw one span: one per fragment, or the span itself."""
    if fragments:
        return [Mark(owner, role, a, b) for a, b in fragments]
    return [Mark(owner, role, start, end)]


def shown_text(text: str, start: int, end: int, fragments: Sequence[Sequence[int]] | None) -> str:
    """A span's text as a reader sees it: the pieces of a discontinuous span joined by " … "."""
    if fragments:
        return " … ".join(text[a:b] for a, b in fragments)
    return text[start:end]


BLOCK = 600  # characters; a long paragraph is re-rendered in pieces of about this size


def block_starts(text: str) -> list[int]:
    """Where each block starts: every line, and within a long line after a space about
    every BLOCK characters."""
    starts = []
    lines = [0, *(m.end() for m in _LINE_BREAK.finditer(text) if m.end() < len(text))]
    for line, following in zip(lines, [*lines[1:], len(text)], strict=True):
        at = line
        while True:
            starts.append(at)
            space = text.find(" ", at + BLOCK, following)
            if space < 0:
                break
            at = space + 1
    return starts


def blocks_of(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """The numbers of the blocks that the (start, end) spans touch."""
    starts = block_starts(text)
    touched: set[int] = set()
    for start, end in spans:
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, max(start, end - 1)) - 1
        touched.update(range(first, last + 1))
    return touched


def render(
    text: str, marks: Iterable[Mark], *, only: Collection[int] | None = None, attrs: str = ""
) -> str:
    """The article's inner HTML: every character inside exactly one segment, and each
    segment inside its block. ``only``: just those blocks (each given the extra ``attrs``),
    for a partial update."""
    marks = list(dict.fromkeys(marks))  # the same mark twice is still one highlight
    index = Utf16Index(text)
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, mark in enumerate(marks):
        opening.setdefault(mark.start, []).append(i)
        closing.setdefault(mark.end, []).append(i)
    starts = block_starts(text) if text else []
    cuts = {0, len(text), *opening, *closing, *starts}
    block_at = set(starts)
    in_break: set[int] = set()  # positions inside a line break
    break_ends: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        in_break.update(range(*match.span()))
        break_ends.add(match.end())
        cuts.update(match.span())

    active: set[int] = set()
    classes, owners = "", ""
    out: list[str] = []
    block, visible = -1, False
    for start, end in pairwise(sorted(cuts)):
        if start in opening or start in closing:
            active.difference_update(closing.get(start, ()))
            active.update(opening.get(start, ()))
            classes, owners = _attributes([marks[i] for i in active])
        if start in block_at:
            if visible:
                out.append("</span>")
            block += 1
            visible = only is None or block in only
            if visible:
                out.append(f'<span class="block" id="block-{block}"{attrs}>')
        if not visible:
            continue
        u = index.to_utf16(start)
        if start in in_break:
            # A span boundary may split a CRLF: the CR piece then shows nothing, the LF
            # piece the one line break.
            n = index.to_utf16(end) - u
            shown = "\n" if end in break_ends else ""
            out.append(
                f'<span class="nl{classes}" data-u="{u}" data-n="{n}"{owners}>{shown}</span>'
            )
        elif classes:
            piece = escape(text[start:end], False)
            out.append(f'<span class="{classes[1:]}" data-u="{u}"{owners}>{piece}</span>')
        else:
            out.append(f'<span data-u="{u}">{escape(text[start:end], False)}</span>')
    if visible:
        out.append("</span>")
    return "".join(out)


def render_excerpt(text: str, marks: Iterable[Mark], start: int, end: int) -> str:
    """``text[start:end]`` with the marks that fall in it (cut to it), for a page that shows
    one passage (the admin's claim page); ``data-u`` counts from the passage's start."""
    shifted = [
        Mark(m.owner, m.role, max(m.start, start) - start, min(m.end, end) - start)
        for m in marks
        if m.start < end and m.end > start
    ]
    return render(text[start:end], shifted)


def _attributes(active: list[Mark]) -> tuple[str, str]:
    """(" classes", ' data-owners="…"') for a segment covered by the active marks."""
    if not active:
        return "", ""
    roles = set()
    depth = 0
    owners = set()
    for mark in active:
        owners.add(mark.owner)
        prefix = "s" if mark.owner[0] == "s" else "h"
        roles.add(f"{prefix}-{mark.role}")
        if mark.role == "claim" and prefix == "h":
            depth += 1
    classes = " " + " ".join(sorted(roles))
    if depth > 1:
        classes += f" depth-{min(depth, 3)}"
    return classes, f' data-owners="{" ".join(sorted(owners))}"'
