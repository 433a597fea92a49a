"""The article as HTML segments with highlights. Pure Python, no Django.

The text is cut at every span boundary and every line break. Each piece becomes
``<span data-u="…">`` carrying its UTF-16 start, so the browser can turn a selection into
UTF-16 offsets by plain addition (annotate.js), and the server turns those into code points
(annotator.offsets). Line breaks get pieces of their own because the HTML parser turns CRLF
into LF: ``data-n`` keeps their real UTF-16 length. All text is escaped here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
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


def render(text: str, marks: Iterable[Mark]) -> str:
    """The article's inner HTML: every character inside exactly one segment."""
    index = Utf16Index(text)
    events: dict[int, list[tuple[int, Mark]]] = {}
    cuts = {0, len(text)}
    for mark in marks:
        events.setdefault(mark.start, []).append((1, mark))
        events.setdefault(mark.end, []).append((-1, mark))
        cuts.update((mark.start, mark.end))
    in_break: set[int] = set()  # positions inside a line break
    break_ends: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        in_break.update(range(*match.span()))
        break_ends.add(match.end())
        cuts.update(match.span())

    active: Counter[Mark] = Counter()
    out: list[str] = []
    ordered = sorted(cuts)
    for start, end in pairwise(ordered):
        for delta, mark in events.get(start, ()):
            active[mark] += delta
            if not active[mark]:
                del active[mark]
        attrs = _attributes(active)
        u = index.to_utf16(start)
        if start in in_break:
            # A span boundary may split a CRLF: the CR piece then shows nothing, the LF
            # piece the one line break.
            n = index.to_utf16(end) - u
            shown = "\n" if end in break_ends else ""
            out.append(
                f'<span class="nl{attrs[0]}" data-u="{u}" data-n="{n}"{attrs[1]}>{shown}</span>'
            )
        else:
            cls = f' class="{attrs[0].strip()}"' if attrs[0] else ""
            out.append(f'<span{cls} data-u="{u}"{attrs[1]}>{escape(text[start:end], False)}</span>')
    return "".join(out)


def _attributes(active: Counter[Mark]) -> tuple[str, str]:
    """(extra classes, extra attributes) for a segment covered by the active marks."""
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
