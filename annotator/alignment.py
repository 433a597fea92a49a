"""Grouping claims of several annotators that overlap, for side-by-side review. Pure Python."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


def overlapping_groups(spans: Iterable[tuple[Hashable, int, int]]) -> list[list[Hashable]]:
    """Keys of spans grouped so that each group is a chain of overlapping spans, in text
    order. Spans that share no character with any other stand alone."""
    groups: list[list[Hashable]] = []
    end = -1
    for key, start, stop in sorted(spans, key=lambda s: (s[1], s[2])):
        if groups and start < end:
            groups[-1].append(key)
            end = max(end, stop)
        else:
            groups.append([key])
            end = stop
    return groups
