"""Claims as one brat annotation set (one ``.ann``), and brat's ``annotation.conf``.

Each claim is one event on its spans, as its kept shape says (``brat_shapes``: the event as
the file it came from had it) while that still fits the claim, else plainly: an
``Attribution`` event on the cue with one span per role. A span shared by claims is written
once, as brat tools do. The claim's stance and attributes are attributes of its event, its
note an ``AnnotatorNotes``, its speaker and target entities ``Reference`` normalisations.
The set's kept events and marks follow, with their notes and attributes. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotator.formats import brat, brat_shapes
from annotator.formats.brat_claims import LabelMap
from annotator.offsets import ROLES

_ENTITY_DB = "entity"
_REFERENCE = re.compile(r"[^\w.-]")  # a normalisation's ID has no spaces
_LABEL = re.compile(r"^[^\s:;]+$")


class _Writer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = brat.Standoff()
        self.ids: dict[tuple[str, tuple], str] = {}

    def span(self, label: str, pieces: Iterable[Iterable[int]]) -> str:
        fragments = tuple((start, end) for start, end in pieces)
        key = (label, fragments)
        if key not in self.ids:
            ident = f"T{len(self.out.textbounds) + 1}"
            self.out.textbounds[ident] = brat.TextBound(
                ident, label, fragments, brat.span_text(self.text, fragments)
            )
            self.ids[key] = ident
        return self.ids[key]

    def shape(self, shape: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
        """Write a shape: the id that carries its attributes and notes (its event, or for a
        shape of spans alone its first span), and the id of each argument by label."""
        refs = [(role, self.span(label, pieces)) for role, label, pieces in shape["arguments"]]
        by_label: dict[str, str] = {}
        for (_, label, _), (_, ref) in zip(shape["arguments"], refs, strict=True):
            by_label.setdefault(label, ref)
        if shape["type"] is None:
            return refs[0][1], by_label
        trigger = self.span(*shape["trigger"]) if shape.get("trigger") else None
        ident = f"E{len(self.out.events) + 1}"
        self.out.events[ident] = brat.Event(ident, shape["type"], trigger, tuple(refs))
        return ident, by_label

    def attribute(self, name: str, target: str, value: Any) -> None:
        ident = f"A{len(self.out.attributes) + 1}"
        if value is not None:
            value = str(value).replace(" ", "_")
        self.out.attributes.append(brat.Attribute(ident, name, target, value))

    def note(self, target: str, text: str) -> None:
        ident = f"#{len(self.out.notes) + 1}"
        self.out.notes.append(brat.Note(ident, "AnnotatorNotes", target, text))

    def kept(self, item: Mapping[str, Any], target: str) -> None:
        for name, value in item.get("attributes") or []:
            self.attribute(name, target, value)
        for text in item.get("notes") or []:
            self.note(target, text)

    def valid(self, item: Any) -> bool:
        """Whether kept extras (stored data, perhaps from someone's file) can be written:
        labels brat reads, pieces inside the text."""

        def piece(label: Any, pieces: Any) -> bool:
            return (
                isinstance(label, str)
                and bool(_LABEL.match(label))
                and isinstance(pieces, list)
                and bool(pieces)
                and all(
                    isinstance(p, list)
                    and len(p) == 2
                    and all(isinstance(n, int) and not isinstance(n, bool) for n in p)
                    and 0 <= p[0] < p[1] <= len(self.text)
                    for p in pieces
                )
            )

        try:
            if "label" in item:
                return piece(item["label"], item["fragments"])
            arguments = item["arguments"]
            return (
                (item["type"] is None or bool(_LABEL.match(item["type"])))
                and (item["type"] is not None or bool(arguments))
                and (not item.get("trigger") or piece(*item["trigger"]))
                and all(
                    isinstance(role, str) and bool(_LABEL.match(role)) and piece(label, pieces)
                    for role, label, pieces in arguments
                )
            )
        except (KeyError, TypeError, ValueError):
            return False


def write_set(
    claims: Sequence[Mapping[str, Any]],
    text: str,
    labels: LabelMap,
    extras: Mapping[str, Any] | None = None,
) -> brat.Standoff:
    """One annotation set as standoff (see the module's docstring); ``extras`` are the
    set's, as read from brat (``extras["brat"]``)."""
    kept = (extras or {}).get(brat_shapes.KEY) or {}
    shapes = kept.get("claims") if isinstance(kept.get("claims"), dict) else {}
    writer = _Writer(text)
    for claim in claims:
        shape = shapes.get(str(claim.get("id")))
        roles = brat_shapes.roles_of(claim)
        if not (shape and writer.valid(shape) and brat_shapes.fits(shape, roles, labels)):
            shape = brat_shapes.plain_shape(roles, labels)
        target, refs = writer.shape(shape)
        if claim.get("stance"):
            writer.attribute(labels.stance_attribute, target, claim["stance"])
        for name, value in (claim.get("attributes") or {}).items():
            writer.attribute(name, target, value)
        if claim.get("note"):
            writer.note(target, claim["note"])
        for role in ("speaker", "target"):
            span = claim.get(role) or {}
            ref = refs.get(labels.labels.get(role, ""))
            if span.get("entity") and ref:
                reference = f"{_ENTITY_DB}:{_REFERENCE.sub('_', span['entity'])}"
                ident = f"N{len(writer.out.normalizations) + 1}"
                writer.out.normalizations.append(
                    brat.Normalization(ident, "Reference", ref, reference, span["entity"])
                )
    for event in kept.get("events") or []:
        if writer.valid(event):
            writer.kept(event, writer.shape(event)[0])
    for mark in kept.get("marks") or []:
        if writer.valid(mark):
            writer.kept(mark, writer.span(mark["label"], mark["fragments"]))
    return writer.out


def annotation_conf(
    labels: LabelMap, stances: Sequence[str], attributes: Mapping[str, Sequence[str]]
) -> str:
    """brat's annotation.conf for the written files, so brat opens them as they are."""
    spans = [labels.labels[r] for r in ("claim", "speaker", "cue", "target") if r in labels.labels]
    args = {role: labels.labels.get(role) for role in ROLES}

    def event_args(with_speaker: bool) -> str:
        # A claim in several spans (Content, Content2) is one argument given more than once.
        parts = [f"{args['claim']}+:{args['claim']}"]
        for role in ("cue", "speaker", "target"):
            if args.get(role) and (role != "speaker" or with_speaker):
                parts.append(f"{args[role]}?:{args[role]}")
        return ", ".join(parts)

    lines = [
        "[entities]",
        *spans,
        *sorted(labels.ignore),
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
    ]
    lines += ["[events]", f"{labels.event}\t{event_args(True)}"]
    lines += [f"{labels.event_without_speaker}\t{event_args(False)}", "", "[attributes]"]
    if stances:
        lines.append(f"{labels.stance_attribute}\tArg:<EVENT>, Value:{'|'.join(stances)}")
    for name, values in attributes.items():
        lines.append(f"{name}\tArg:<EVENT>, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"
