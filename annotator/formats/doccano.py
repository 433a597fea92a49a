"""doccano: its sequence-labelling JSONL export (with relations) in. Pure Python.

One line per example: ``{"id", "text", "entities": [{"id", "label", "start_offset",
"end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`` — or the older
``"label": [[start, end, "LABEL"], ...]`` without relations. doccano exports one file per
user in a zip (``alice.jsonl``), or one ``all.jsonl``: the annotator is the file's name, or
the one given. Entity labels map to claim roles as for Label Studio; relations tie them
into claims and a ``fragment`` relation joins the pieces of a discontinuous span
(claims_from_spans). doccano keeps no stance per span, so claims come without one.
Offsets are code points (doccano's server is Python).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from annotator.formats.base import Bundle, Format, FormatError, Notice, Reading, Record, Where
from annotator.formats.claims import read_lines
from annotator.formats.claims_from_spans import LabelledSpan, link_claims, stable_id
from annotator.formats.label_studio import DEFAULT_ROLES

SHARED_FILE = "all"


class DoccanoFormat(Format):
    identifier = "doccano"
    verbose_name = "doccano sequence labelling JSONL (with relations)"

    def detect(self, bundle: Bundle) -> bool:
        names = [n for n in bundle.names() if n.lower().endswith((".jsonl", ".json"))]
        if not names:
            return False
        with bundle.open(names[0]) as stream:
            head = stream.readline()
        return b'"text"' in head and (b'"entities"' in head or b'"label"' in head)

    def read(
        self,
        bundle: Bundle,
        *,
        roles: Mapping[str, str] | None = None,
        annotator: str | None = None,
        **options: Any,
    ) -> Reading:
        reading = Reading(iter(()))
        reading.records = _records(bundle, roles or DEFAULT_ROLES, annotator, reading)
        return reading


def _records(
    bundle: Bundle, roles: Mapping[str, str], annotator: str | None, reading: Reading
) -> Iterator[tuple[Where, Record | FormatError]]:
    names = [n for n in bundle.names() if n.lower().endswith((".jsonl", ".json"))]
    if not names:
        yield "", FormatError("no .jsonl file found")
        return
    documents: dict[str, Record] = {}
    places: dict[str, str] = {}
    errors: dict[str, FormatError] = {}
    order: list[str] = []
    for name in names:
        stem = PurePosixPath(name).stem
        who = annotator or (stem if stem != SHARED_FILE else "doccano")
        with bundle.open(name) as stream:
            for line, item in read_lines(stream, name):
                where = f"{name} line {line}"
                if isinstance(item, FormatError):
                    yield where, item
                    continue
                try:
                    ident, text, claims = _example(item, where, roles, who, reading.notices)
                except FormatError as exc:
                    yield where, exc
                    continue
                record = documents.get(ident)
                if record is None:
                    record = {"id": ident, "text": text, "annotations": [], "gold": None}
                    documents[ident], places[ident] = record, where
                    order.append(ident)
                elif record["text"] != text:
                    errors.setdefault(
                        ident,
                        FormatError(
                            f"example {ident!r} has another text in {places[ident]}", file=where
                        ),
                    )
                sets = defaultdict(
                    list, {s["annotator"]: s["claims"] for s in record["annotations"]}
                )
                if who not in sets:
                    record["annotations"].append(
                        {
                            "annotator": who,
                            "status": "submitted",
                            "submitted_at": None,
                            "claims": sets[who],
                        }
                    )
                sets[who].extend(claims)
    for ident in order:
        yield places[ident], errors.get(ident) or documents[ident]


def _example(
    item: Record, where: str, roles: Mapping[str, str], who: str, notices: list[Notice]
) -> tuple[str, str, list[dict[str, Any]]]:
    text = item.get("text")
    if not isinstance(text, str) or not text:
        raise FormatError("an example needs its text", file=where)
    ident = item.get("document_id", item.get("doc_id", item.get("id")))
    if ident is None or isinstance(ident, bool):
        raise FormatError("an example needs its id", file=where)
    entities = item.get("entities")
    if entities is None:  # the older export: "label": [[start, end, "LABEL"], ...]
        entities = [
            {"id": i, "start_offset": e[0], "end_offset": e[1], "label": e[2]}
            for i, e in enumerate(item.get("label") or [])
            if isinstance(e, list) and len(e) == 3
        ]
    spans: dict[str, LabelledSpan] = {}
    for entity in entities:
        if not isinstance(entity, dict):
            raise FormatError("an entity is an object", file=where)
        label = entity.get("label")
        if label not in roles:
            raise FormatError(f"unknown label {label!r}", file=where)
        start, end = entity.get("start_offset"), entity.get("end_offset")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            raise FormatError(
                f"entity {entity.get('id')}: offsets {start}-{end} do not fit the text", file=where
            )
        spans[str(entity.get("id"))] = LabelledSpan(roles[label], [(start, end)], where)
    links = [
        (str(r.get("from_id")), str(r.get("to_id")), str(r.get("type") or ""))
        for r in item.get("relations") or []
        if isinstance(r, dict)
    ]
    drafts, loose = link_claims(
        spans, links, lambda key: stable_id("doccano", str(ident), who, str(key))
    )
    for _, span in loose:
        notices.append(Notice(f"a {span.role} span tied to no claim, left out", where))
    claims = [draft.as_json(text) for draft in drafts.values()]
    return str(ident), text, sorted(claims, key=lambda c: (c["claim"]["start"], c["claim"]["end"]))
