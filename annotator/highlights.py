"""The article as HTML segments with highlights. Pure Python, no Django.

The text is cut at every span boundary and every line break. Each piece becomes
``<span data-u="…">`` carrying its UTF-16 start, so the browser can turn a selection into
UTF-16 offsets by plain addition (annotate.js), and the server turns those into code points
(annotator.offsets). Line breaks get pieces of their own because the HTML parser turns CRLF
into LF: ``data-n`` keeps their real UTF-16 length. All text is escaped here.

Each line (with its line break) is wrapped in a block, ``<span class="line" id="line-N">``, so
a change to one claim re-renders only the lines its spans touch (``lines_of``, ``only=``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
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


def line_starts(text: str) -> list[int]:
    """Where each line of the text starts (a line ends after its line break)."""
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text) if m.end() < len(text))]


def lines_of(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """The numbers of the lines that the (start, end) spans touch."""
    starts = line_starts(text)
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
    segment inside its line's block. ``only``: just those lines' blocks (each given the
    extra ``attrs``), for a partial update."""
    marks = list(dict.fromkeys(marks))  # the same mark twice is still one highlight
    index = Utf16Index(text)
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, mark in enumerate(marks):
        opening.setdefault(mark.start, []).append(i)
        closing.setdefault(mark.end, []).append(i)
    cuts = {0, len(text), *opening, *closing}
    in_break: set[int] = set()  # positions inside a line break
    break_ends: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        in_break.update(range(*match.span()))
        break_ends.add(match.end())
        cuts.update(match.span())

    active: set[int] = set()
    classes, owners = "", ""
    out: list[str] = []
    line, shown_line = -1, False
    for start, end in pairwise(sorted(cuts)):
        if start in opening or start in closing:
            active.difference_update(closing.get(start, ()))
            active.update(opening.get(start, ()))
            classes, owners = _attributes([marks[i] for i in active])
        if start == 0 or start in break_ends:
            if shown_line:
                out.append("</span>")
            line += 1
            shown_line = only is None or line in only
            if shown_line:
                out.append(f'<span class="line" id="line-{line}"{attrs}>')
        if not shown_line:
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
    if shown_line:
        out.append("</span>")
    return "".join(out)


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
