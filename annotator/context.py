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
    for match in _BOUNDARY.finditer(text, 0, span.start):
        start = match.end()
    match = _BOUNDARY.search(text, span.end)
    end = len(text) if match is None else match.end()
    # A boundary match may be a line break: keep it out of the context.
    while end > span.end and text[end - 1] in "\r\n":
        end -= 1
    while start < span.start and text[start].isspace():
        start += 1
    return Span(start, end)
