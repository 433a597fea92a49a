"""The sentence around a claim, for the flat export's ``context``. Pure Python, no Django."""

from __future__ import annotations

import re

from annotator.offsets import Span

# A sentence ends after . ! ? (with any closing quotes or brackets) before whitespace, or at a
# line break. Abbreviations may split a sentence early; context only needs to hold the claim.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\r\n|\n|\r")


def sentence_around(text: str, span: Span) -> Span:
    """The smallest run of whole sentences that holds the span."""
    start = 0
    # Scan the whole text, not text[:span.start], so the look-ahead sees the space after a
    # full stop right before the claim.
    for match in _BOUNDARY.finditer(text):
        if match.end() > span.start:
            break
        start = match.end()
    # From the claim's last character, so a claim ending with its own full stop ends there.
    match = _BOUNDARY.search(text, span.end - 1)
    end = len(text) if match is None else match.end()
    # A boundary match may be a line break: keep it out of the context.
    while end > span.end and text[end - 1] in "\r\n":
        end -= 1
    while start < span.start and text[start].isspace():
        start += 1
    return Span(start, end)


def paragraph_around(text: str, start: int, end: int) -> Span:
    """The lines (paragraphs) that hold ``text[start:end]``, without their line breaks."""
    before = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start))
    breaks = [i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0]
    return Span(before + 1, min(breaks) if breaks else len(text))
