"""The article as HTML segments with highlights. Pure Python, no Django.

The text is cut at every span boundary and every line break. Each piece becomes
``<span data-u="…">`` carrying its UTF-16 start, so the browser can turn a selection into
UTF-16 offsets by plain addition (annotate.js), and the server turns those into code points
(annotator.offsets). Line breaks get pieces of their own because the HTML parser turns CRLF
into LF: ``data-n`` keeps their real UTF-16 length. All text is escaped here.

A discontinuous span is drawn as its fragments only: the words between the pieces of a quote
split by "he said" are not part of the quote, and are not highlighted as if they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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


def render(text: str, marks: Iterable[Mark]) -> str:
    """The article's inner HTML: every character inside exactly one segment."""
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
    for start, end in pairwise(sorted(cuts)):
        if start in opening or start in closing:
            active.difference_update(closing.get(start, ()))
            active.update(opening.get(start, ()))
            classes, owners = _attributes([marks[i] for i in active])
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
