"""Quotations: pairs of quote marks, curly or straight, nested, told apart from apostrophes.

A quote mark's role comes from its neighbours: an opening mark follows a space or the start
of a line and precedes text; a closing mark follows text. A mark between two letters (Syria’s,
don't, O'Brien) is an apostrophe, never a quote. Quotes do not cross line breaks: an opening
mark left open at the end of a line is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.offsets import Span

# Opening and closing marks of each style; a closing mark only closes its own style.
_PAIRS = {"“": "”", "‘": "’", "«": "»", "‹": "›", '"': '"', "'": "'"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_MARK_RE = re.compile(r"[\"'“”‘’«»‹›\n\r\u2028\u2029]")
_OPEN_CONTEXT = set(" \t([{—–-/") | set("“‘«‹\"'")
# A straight single quote pair longer than this is almost surely two apostrophes.
_MAX_STRAIGHT_SINGLE = 400


@dataclass(frozen=True, slots=True)
class Quote:
    outer: Span  # the marks included
    inner: Span  # the words between the marks
    depth: int  # 0 for a top-level quote, 1 for a quote inside it, ...
    mixed: bool = False  # opened and closed by marks of different styles ("…”)


def _before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else " "


def _after(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else " "


def _role(text: str, i: int) -> str | None:
    """'open', 'close', 'either' or None (an apostrophe) for the mark at ``i``."""
    mark, prev, nxt = text[i], _before(text, i), _after(text, i)
    if mark in "“«‹":
        return "open"
    if mark in "”»›":
        return "close"
    if prev.isalnum() and nxt.isalnum():
        return None  # an apostrophe inside a word
    opens = (prev.isspace() or prev in _OPEN_CONTEXT) and not nxt.isspace()
    closes = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if mark == "‘":
        # Right after a letter it is a mistyped apostrophe ("Syria‘s"), not an opening mark.
        return "open" if not prev.isalnum() else None
    if mark == "’":
        return "close" if closes and not prev.isspace() else None
    if opens and closes:
        return "either"
    return "open" if opens else "close" if closes else None


# With ``mixed`` (rule "quotes"), double marks of either style close each other: news copy
# often opens with a straight mark and closes with a curly one ("We will…”).
_MIXED = {"”": ("“", '"'), '"': ('"', "“")}


def find_quotes(text: str, mixed: bool = False) -> list[Quote]:
    """Every paired quotation in ``text``, in order of their opening marks."""
    pairs: list[tuple[int, int, bool]] = []
    stack: list[tuple[int, str]] = []  # (position, opening mark)
    for m in _MARK_RE.finditer(text):
        i, mark = m.start(), m.group()
        if mark in "\n\r\u2028\u2029":
            stack.clear()
            continue
        role = _role(text, i)
        if role is None:
            continue
        opener = _CLOSERS.get(mark)
        if role in ("close", "either") and opener is not None:
            openers = _MIXED.get(mark, (opener,)) if mixed else (opener,)
            at = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] in openers), None)
            too_long = mark == "'" and at is not None and i - stack[at][0] > _MAX_STRAIGHT_SINGLE
            if at is not None and not too_long:
                start, mixed_pair = stack[at][0], stack[at][1] != opener
                del stack[at:]  # marks opened inside and never closed were apostrophes
                if i - start > 1:
                    pairs.append((start, i + 1, mixed_pair))
                continue
            if role == "close":
                continue
        if mark in _PAIRS:
            stack.append((i, mark))
    pairs.sort()
    quotes = []
    enclosing: list[int] = []  # ends of the quotes that contain the current one
    for start, end, mixed_pair in pairs:
        while enclosing and enclosing[-1] <= start:
            enclosing.pop()
        inner = Span(start + 1, end - 1)
        quotes.append(Quote(Span(start, end), inner, len(enclosing), mixed_pair))
        enclosing.append(end)
    return quotes


def top_level(quotes: list[Quote]) -> list[Quote]:
    return [q for q in quotes if q.depth == 0]
