"""One brat annotation set (one ``.ann``) read as claims (``brat_writing`` writes them).

The label map says which span labels are which claim role, which event types tie a claim
together, which labels are marks that are no claim role, and which attribute carries the
stance. The default is PolNeAR's (and PARC's): ``Source`` → speaker, ``Cue`` → cue,
``Content`` → claim, plus ``Target`` → target; ``Attribution`` and ``Attribution-no-source``
events; ``Discuss`` and ``Discard`` marks. Pure Python, no Django.

Reading: each event of a known type is one claim (a repeated role, ``Content2``, adds
pieces to that role); spans outside events are tied by relations (claims_from_spans), and a
claim span tied to nothing is a claim on its own. ``AnnotatorNotes`` become the claim's note,
``Reference`` normalisations its speaker or target entity, the stance attribute its stance
and other attributes its attributes. What is no part of a claim (marks, an event without a
claim span, a speaker tied to no claim) and an event's exact shape are the set's extras
(``brat_shapes``), so the brat export gives the file back; an event without a claim span or
a span tied to no claim is also a notice naming file and line. An unknown label or a broken
line is an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.formats import brat, brat_shapes
from annotator.formats.base import FormatError, Notice
from annotator.formats.claims_from_spans import ClaimDraft, LabelledSpan, link_claims, stable_id
from annotator.offsets import ROLES

_NUMBERED = re.compile(r"\d+$")
KEPT = "not a claim, kept for the brat export"

DEFAULT_MAP: dict[str, Any] = {
    "roles": {"Source": "speaker", "Cue": "cue", "Content": "claim", "Target": "target"},
    "event": "Attribution",
    "event_without_speaker": "Attribution-no-source",
    "ignore": ["Discuss", "Discard"],
    "stance_attribute": "Stance",
}


@dataclass(frozen=True)
class LabelMap:
    roles: dict[str, str]  # span label -> claim role
    event: str
    event_without_speaker: str
    ignore: frozenset[str] = frozenset()
    stance_attribute: str = "Stance"
    labels: dict[str, str] = field(default_factory=dict)  # claim role -> label (writing)

    @property
    def events(self) -> set[str]:
        return {self.event, self.event_without_speaker}


def label_map(data: Mapping[str, Any] | None = None) -> LabelMap:
    """A label map from JSON (missing keys take the default); raises FormatError."""
    merged = {**DEFAULT_MAP, **(data or {})}
    roles = merged.get("roles")
    if not isinstance(roles, Mapping) or not roles:
        raise FormatError("the label map's 'roles' must map span labels to claim roles")
    for label, role in roles.items():
        if role not in ROLES or not isinstance(label, str) or not label or " " in label:
            raise FormatError(
                f"the label map maps {label!r} to {role!r}: roles are {', '.join(ROLES)}"
            )
    if "claim" not in roles.values():
        raise FormatError("the label map needs a label for the claim role")
    names = [merged.get("event"), merged.get("event_without_speaker")]
    if not all(isinstance(n, str) and n and " " not in n for n in names):
        raise FormatError("the label map's 'event' and 'event_without_speaker' must be labels")
    ignore = merged.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise FormatError("the label map's 'ignore' must be a list of labels")
    labels: dict[str, str] = {}
    for label, role in roles.items():
        labels.setdefault(role, label)  # the first label of a role is the one written
    return LabelMap(
        roles=dict(roles),
        event=names[0],  # type: ignore[arg-type]
        event_without_speaker=names[1],  # type: ignore[arg-type]
        ignore=frozenset(ignore),
        stance_attribute=str(merged.get("stance_attribute") or "Stance"),
        labels=labels,
    )


def claim_uid(document: str, annotator: str, key: str) -> str:
    """A stable id for a claim read from brat: re-importing the same files finds it."""
    return stable_id("brat", document, annotator, key)


def read_set(
    standoff: brat.Standoff,
    text: str,
    labels: LabelMap,
    *,
    file: str,
    document: str,
    annotator: str,
    notices: list[Notice],
) -> tuple[list[dict[str, Any]], list[FormatError], dict[str, Any]]:
    """The claims of one parsed ``.ann``, the errors that refuse it, and the set's extras:
    what the file says beyond its claims (``brat_shapes``), for writing it back."""
    errors = [FormatError(p.message, file=file, line=p.line) for p in standoff.problems]
    spans = standoff.textbounds
    known = set(labels.roles) | labels.events | labels.ignore
    for ident, span in spans.items():
        if span.label not in known:
            errors.append(
                FormatError(f"{ident}: unknown label {span.label!r}", file=file, line=span.line)
            )
    for event in standoff.events.values():
        if event.type not in labels.events:
            errors.append(
                FormatError(
                    f"{event.id}: unknown event type {event.type!r}", file=file, line=event.line
                )
            )
    if errors:
        return [], errors, {}

    def here(line: int) -> str:
        return f"{file} line {line}"

    def uid(key: str) -> str:
        return claim_uid(document, annotator, key)

    # Events: one claim each.
    claims: dict[str, ClaimDraft] = {}
    owners: dict[str, list[ClaimDraft]] = defaultdict(list)  # span or event id -> claims
    in_events: set[str] = set()
    for event in standoff.events.values():
        draft = ClaimDraft(uid(event.id), here(event.line))
        for role_name, ref in event.arguments:
            span = spans.get(ref)
            if span is None or span.label not in labels.roles:
                kind = "an event" if span is None else f"a {span.label} mark"
                notices.append(
                    Notice(
                        f"{event.id}: argument {role_name}:{ref} is {kind}, not part of the "
                        f"claim; {KEPT}",
                        file,
                        event.line,
                    )
                )
                continue
            draft.pieces[labels.roles[span.label]] += list(span.fragments)
            in_events.add(ref)
        if event.trigger:
            in_events.add(event.trigger)
        if not draft.pieces["claim"]:
            what = ", ".join(_NUMBERED.sub("", r) for r, _ in event.arguments) or "no arguments"
            notices.append(
                Notice(
                    f"{event.id} ({event.type}) has no claim span ({what}): {KEPT}",
                    file,
                    event.line,
                )
            )
            continue
        claims[event.id] = draft
        owners[event.id].append(draft)
        for ref in (event.trigger, *(ref for _, ref in event.arguments)):
            if ref:
                owners[ref].append(draft)

    # Spans outside events: tied by relations, or standing alone.
    loose = {
        ident: LabelledSpan(labels.roles[span.label], list(span.fragments), here(span.line))
        for ident, span in spans.items()
        if span.label in labels.roles and ident not in in_events
    }
    links = []
    for relation in standoff.relations:
        refs = [ref for _, ref in relation.arguments]
        if any(ref in in_events for ref in refs):
            notices.append(
                Notice(
                    f"{relation.id}: a relation to a span of an event is left out",
                    file,
                    relation.line,
                )
            )
            continue
        links += [(refs[0], other, relation.type) for other in refs[1:]]
    linked, untied = link_claims(loose, links, uid)
    for key, draft in linked.items():
        claims[str(key)] = draft
        for source in draft.sources:
            owners[str(source)].append(draft)
    for ident, _ in untied:
        span = spans[str(ident)]
        notices.append(
            Notice(f"{ident} ({span.label}) is tied to no claim: {KEPT}", file, span.line)
        )

    # What the claims do not say is kept with the set, for the brat export.
    lone = {
        str(key): draft.id
        for key, draft in linked.items()
        if draft.sources == [key] and not any(draft.pieces[r] for r in ROLES if r != "claim")
    }
    events = {
        e: (d.id, {role: brat_shapes.merged(d.pieces[role]) for role in ROLES})
        for e, d in claims.items()
        if e in standoff.events
    }
    extras, kept = brat_shapes.collect(standoff, events, lone, labels)
    _decorate(standoff, labels, owners, kept, file, notices)
    return (
        [draft.as_json(text) for draft in claims.values()],
        [],
        {brat_shapes.KEY: extras} if extras else {},
    )


def _decorate(
    standoff: brat.Standoff,
    labels: LabelMap,
    owners: Mapping[str, list[ClaimDraft]],
    kept: set[str],
    file: str,
    notices: list[Notice],
) -> None:
    """Attributes, notes and normalisations onto the claims they point at."""
    for attribute in standoff.attributes:
        drafts = owners.get(attribute.target, [])
        if not drafts and attribute.target not in kept:
            notices.append(
                Notice(f"{attribute.id}: attribute on no claim, left out", file, attribute.line)
            )
        for draft in drafts:
            if attribute.name == labels.stance_attribute:
                draft.stance = attribute.value
            else:
                draft.attributes[attribute.name] = attribute.value or "true"
    for note in standoff.notes:
        drafts = owners.get(note.target, [])
        if not drafts and note.target not in kept:
            notices.append(
                Notice(f"{note.id}: note on no claim, left out: {note.text!r}", file, note.line)
            )
        for draft in drafts:
            if note.text not in draft.notes:
                draft.notes.append(note.text)
    for norm in standoff.normalizations:
        span = standoff.textbounds.get(norm.target)
        role = labels.roles.get(span.label) if span else None
        if role not in ("speaker", "target") or not owners.get(norm.target):
            notices.append(Notice(f"{norm.id}: normalisation left out", file, norm.line))
            continue
        for draft in owners[norm.target]:
            draft.entities[role] = norm.text or norm.reference.partition(":")[2]
