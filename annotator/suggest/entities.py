"""Entity linking: which canonical name a speaker or target mention stands for.

Matching is case-insensitive on whole words; spaces and hyphens are interchangeable and so are
straight and curly apostrophes, so "Bashar al-Assad" finds "Bashar Al Assad".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from annotator.offsets import Span


def _pattern(alias: str) -> str:
    words = re.split(r"[\s\-‐–]+", alias.strip())
    escaped = ["".join("['’]" if c in "'’" else re.escape(c) for c in w) for w in words if w]
    pattern = r"[\s\-‐–]+".join(escaped)
    # A short acronym keeps its case: "US" is the United States, "us" is a pronoun.
    return f"(?-i:{pattern})" if alias.isupper() and len(alias) <= 4 else pattern


class EntityLinker:
    def __init__(self, entities: Mapping[str, Sequence[str]] | None) -> None:
        names: dict[str, str] = {}  # alias -> canonical name
        for canonical, aliases in (entities or {}).items():
            for alias in (canonical, *aliases):
                if alias and alias.strip():
                    names.setdefault(alias.strip(), canonical)
        # Longest aliases first, so "The United States" wins over "United States" at one place.
        ordered = sorted(names, key=len, reverse=True)
        self._re = (
            re.compile(
                r"(?<![\w'’])(?:" + "|".join(f"({_pattern(a)})" for a in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
            if ordered
            else None
        )
        self._by_group = [names[a] for a in ordered]

    def _matches(self, text: str, span: Span) -> Iterator[tuple[Span, str]]:
        if self._re is None:
            return
        for m in self._re.finditer(text, span.start, span.end):
            group = m.lastindex or 1
            yield Span(m.start(), m.end()), self._by_group[group - 1]

    def name_of(self, text: str, span: Span | None) -> str | None:
        """The entity a mention names: its longest alias match inside the span."""
        if span is None:
            return None
        best = max(self._matches(text, span), key=lambda m: m[0].end - m[0].start, default=None)
        return best[1] if best else None

    def first_in(
        self, text: str, span: Span, exclude: str | None = None
    ) -> tuple[Span, str] | None:
        """The first entity mention inside ``span`` (a claim), other than ``exclude``."""
        return next(((s, n) for s, n in self._matches(text, span) if n != exclude), None)
