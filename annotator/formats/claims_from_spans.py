"""Claims assembled from labelled spans and the links between them, for the formats that
annotate spans and relations (brat, Label Studio, doccano). Pure Python, no Django.

A claim is one span labelled with the claim role plus the speaker, cue and target spans
tied to it. Spans joined by a "fragment" link are the pieces of one discontinuous span.
Other links tie spans into claims: every span reachable from a claim span through spans of
other roles joins that claim (so a cue-centred scheme, claim–cue–speaker, works as well as
a claim-centred one), and a speaker tied to several claims is the speaker of each.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.offsets import ROLES

Pieces = list[tuple[int, int]]
FRAGMENT_LINK = "fragment"
_NAMESPACE = uuid.UUID("1f0e6c53-5b0a-4f5e-9a43-2b1f7f3c0b11")


def stable_id(*parts: str) -> str:
    """A claim id made from where the claim was read (format, document, annotator, its own
    id there): importing the same file again finds the same claims."""
    return str(uuid.uuid5(_NAMESPACE, "\x00".join(parts)))


def span_value(text: str, pieces: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """A span in the claims/1 shape from pieces given in any order; pieces that overlap
    are merged (a span's fragments never overlap)."""
    merged: list[list[int]] = []
    for start, end in sorted(set(pieces)):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    start, end = merged[0][0], merged[-1][1]
    value: dict[str, Any] = {"start": start, "end": end, "text": text[start:end]}
    if len(merged) > 1:
        value["fragments"] = [{"start": a, "end": b, "text": text[a:b]} for a, b in merged]
    return value


@dataclass
class ClaimDraft:
    """A claim being put together; ``at`` names its place for error messages."""

    id: str
    at: str
    pieces: dict[str, Pieces] = field(default_factory=lambda: {role: [] for role in ROLES})
    entities: dict[str, str] = field(default_factory=dict)
    stance: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The ids of the spans it was put together from (notes and attributes on them find it).
    sources: list[Hashable] = field(default_factory=list)

    def as_json(self, text: str) -> dict[str, Any]:
        claim: dict[str, Any] = {"id": self.id}
        for role in ("claim", "speaker", "cue"):
            claim[role] = self._span(role, text)
        claim["stance"] = self.stance
        claim["target"] = self._span("target", text)
        claim["attributes"] = dict(self.attributes)
        claim["note"] = "\n".join(self.notes)
        claim["_at"] = self.at
        return claim

    def _span(self, role: str, text: str) -> dict[str, Any] | None:
        entity = self.entities.get(role)
        if not self.pieces[role]:
            return {"start": None, "end": None, "text": None, "entity": entity} if entity else None
        value = span_value(text, self.pieces[role])
        if role in ("speaker", "target"):
            value["entity"] = entity
        return value


@dataclass
class LabelledSpan:
    role: str
    pieces: Pieces
    at: str


def link_claims(
    spans: Mapping[Hashable, LabelledSpan],
    links: Iterable[tuple[Hashable, Hashable, str]],
    claim_id: Any,
) -> tuple[dict[Hashable, ClaimDraft], list[tuple[Hashable, LabelledSpan]]]:
    """Claims keyed by the id of their (first) claim span, and the spans tied to no claim.

    ``links`` are (span id, span id, kind); ``claim_id(key)`` gives a claim's stable id.
    """
    # Pieces first: spans joined by fragment links are one span.
    parent: dict[Hashable, Hashable] = {key: key for key in spans}

    def root(key: Hashable) -> Hashable:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    ties: list[tuple[Hashable, Hashable]] = []
    for a, b, kind in links:
        if a not in spans or b not in spans:
            continue
        if kind.lower() == FRAGMENT_LINK and spans[a].role == spans[b].role:
            parent[root(b)] = root(a)
        else:
            ties.append((a, b))
    units: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in spans:
        units[root(key)].append(key)
    neighbours: dict[Hashable, set[Hashable]] = defaultdict(set)
    for a, b in ties:
        ra, rb = root(a), root(b)
        if ra != rb:
            neighbours[ra].add(rb)
            neighbours[rb].add(ra)

    claims: dict[Hashable, ClaimDraft] = {}
    tied: set[Hashable] = set()
    for unit, members in units.items():
        if spans[unit].role != "claim":
            continue
        draft = ClaimDraft(claim_id(unit), spans[unit].at)
        for key in members:
            draft.pieces["claim"] += spans[key].pieces
            draft.sources.append(key)
        # Everything reachable without crossing another claim belongs to this one.
        seen, todo = {unit}, list(neighbours[unit])
        while todo:
            other = todo.pop()
            if other in seen or spans[other].role == "claim":
                continue
            seen.add(other)
            tied.add(other)
            for key in units[other]:
                draft.pieces[spans[key].role] += spans[key].pieces
                draft.sources.append(key)
            todo.extend(neighbours[other])
        claims[unit] = draft
    loose = [
        (unit, spans[unit]) for unit in units if spans[unit].role != "claim" and unit not in tied
    ]
    return claims, loose
