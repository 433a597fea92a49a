"""What a brat file holds beyond its claims, kept so that writing it back gives it back.

A claim is written as one event with one span per role (``plain_shape``). A real file says
more: an event's exact shape (its type even when it contradicts its arguments, the span its
trigger sits on, repeated roles such as ``Content2`` and each argument's own pieces), events
that are no claim (no ``Content``), and marks that are part of no claim (PolNeAR's
``Discuss`` and ``Discard``, a speaker tied to nothing), with their notes and attributes.

Reading keeps, per annotation set, exactly what the plain writing of its claims would not
give back (``collect``): the exact shape of the claims that need one, by claim id, and the
events and marks left over. Writing uses a claim's kept shape only while it still fits the
claim (``fits``): a claim edited since is written plainly. These are plain JSON values,
stored with the annotation set as ``extras["brat"]``. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from annotator.formats import brat

Pieces = list[list[int]]  # [[start, end], ...] in the order the file gave them
# {"type": str | None, "trigger": [label, pieces] | None, "arguments": [[role, label, pieces]]};
# a type of None: the spans alone, no event (a claim span tied to nothing in the file).
Shape = dict[str, Any]
KEY = "brat"


def merged(pieces: Iterable[Iterable[int]]) -> list[tuple[int, int]]:
    """Pieces in text order with overlapping ones joined (as a claim's fragments are)."""
    out: list[list[int]] = []
    for start, end in sorted({(a, b) for a, b in pieces}):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


Roles = Mapping[str, list[tuple[int, int]]]  # role -> its pieces in text order ([]: unset)
ROLE_ORDER = ("claim", "cue", "speaker", "target")  # the order arguments are written in


def claim_pieces(span: Mapping[str, Any] | None) -> list[tuple[int, int]]:
    """A claims/1 span's pieces ([] when it has no offsets)."""
    if not span or span.get("start") is None:
        return []
    if span.get("fragments"):
        return [(f["start"], f["end"]) for f in span["fragments"]]
    return [(span["start"], span["end"])]


def roles_of(claim: Mapping[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """A claims/1 claim's pieces by role."""
    return {role: claim_pieces(claim.get(role)) for role in ROLE_ORDER}


def _pieces(fragments: Iterable[tuple[int, int]]) -> Pieces:
    return [[start, end] for start, end in fragments]


def event_shape(event: brat.Event, standoff: brat.Standoff) -> Shape:
    """An event as it is in the file (arguments that are events are not spans: left out)."""
    spans = standoff.textbounds
    trigger = spans.get(event.trigger or "")
    return {
        "type": event.type,
        "trigger": [trigger.label, _pieces(trigger.fragments)] if trigger else None,
        "arguments": [
            [role, spans[ref].label, _pieces(spans[ref].fragments)]
            for role, ref in event.arguments
            if ref in spans
        ],
    }


def plain_shape(roles: Roles, labels: Any) -> Shape:
    """How a claim is written without a kept shape: an ``Attribution`` event (without a
    speaker, ``Attribution-no-source``) on the cue (else on the claim), one argument per role."""
    arguments = []
    for role in ROLE_ORDER:
        label = labels.labels.get(role)
        if label and roles.get(role):
            arguments.append([label, label, _pieces(roles[role])])
    kind = labels.event if roles.get("speaker") and "speaker" in labels.labels else None
    kind = kind or labels.event_without_speaker
    anchor = roles.get("cue") or roles.get("claim") or []
    return {"type": kind, "trigger": [kind, _pieces(anchor)], "arguments": arguments}


def canonical(shape: Shape) -> tuple:
    """A shape as a comparable value: order of arguments and of pieces aside."""

    trigger = _key(*shape["trigger"]) if shape.get("trigger") else None
    arguments = sorted((role, *_key(label, pieces)) for role, label, pieces in shape["arguments"])
    return (shape["type"], trigger, tuple(arguments))


def fits(shape: Mapping[str, Any], roles: Roles, labels: Any) -> bool:
    """Whether a kept shape still says what the claim says: the same pieces per role."""
    try:
        found: dict[str, list] = {}
        for _, label, pieces in shape["arguments"]:
            role = labels.roles.get(label)
            if role is not None:
                found.setdefault(role, []).extend(tuple(p) for p in pieces)
        return all(
            merged(found.get(role, [])) == merged(roles.get(role) or []) for role in ROLE_ORDER
        )
    except (KeyError, TypeError, ValueError):
        return False  # not a shape this version wrote: the plain writing


def spans_of(shape: Mapping[str, Any]) -> set[tuple]:
    """The (label, pieces) spans writing a shape gives."""
    found = {_key(label, pieces) for _, label, pieces in shape["arguments"]}
    if shape.get("trigger"):
        found.add(_key(*shape["trigger"]))
    return found


def _key(label: str, pieces: Iterable[Iterable[int]]) -> tuple:
    return (label, tuple(sorted(tuple(p) for p in pieces)))


def collect(
    standoff: brat.Standoff,
    claim_events: Mapping[str, tuple[str, Roles]],
    lone_claims: Mapping[str, str],
    labels: Any,
) -> tuple[dict[str, Any], set[str]]:
    """What one set keeps beyond its claims, and the ids (of spans and events) it keeps.

    ``claim_events``: event id -> (claim id, its pieces by role, merged) for each event
    that became a claim; ``lone_claims``: span id -> claim id for claim spans that became a
    claim on their own, tied to nothing. Claims put together by relations are written
    plainly (their relations are not kept).
    """
    kept: dict[str, Any] = {}
    shapes: dict[str, Shape] = {}
    written: set[tuple] = set()
    for event_id, (claim_id, roles) in claim_events.items():
        exact = event_shape(standoff.events[event_id], standoff)
        plain = plain_shape(roles, labels)
        if canonical(exact) != canonical(plain) and fits(exact, roles, labels):
            shapes[claim_id] = exact
        written |= spans_of(shapes.get(claim_id, plain))
    for span_id, claim_id in lone_claims.items():
        span = standoff.textbounds[span_id]
        shapes[claim_id] = {
            "type": None,
            "trigger": None,
            "arguments": [[span.label, span.label, _pieces(span.fragments)]],
        }
        written |= spans_of(shapes[claim_id])
    if shapes:
        kept["claims"] = shapes
    owners: dict[str, dict[str, Any]] = {}  # id in the file -> what keeps it
    events = []
    for event_id, event in standoff.events.items():
        if event_id not in claim_events:
            owners[event_id] = event_shape(event, standoff)
            events.append(owners[event_id])
            written |= spans_of(owners[event_id])
    marks: dict[tuple, dict[str, Any]] = {}
    for span_id, span in standoff.textbounds.items():
        key = _key(span.label, span.fragments)
        if key in marks:
            owners[span_id] = marks[key]
        elif key not in written:
            marks[key] = owners[span_id] = {
                "label": span.label,
                "fragments": _pieces(span.fragments),
            }
    # Notes and attributes on what is kept here go with it.
    for note in standoff.notes:
        if note.target in owners:
            owners[note.target].setdefault("notes", []).append(note.text)
    for attribute in standoff.attributes:
        if attribute.target in owners:
            owners[attribute.target].setdefault("attributes", []).append(
                [attribute.name, attribute.value]
            )
    if events:
        kept["events"] = events
    if marks:
        kept["marks"] = list(marks.values())
    return kept, set(owners)
