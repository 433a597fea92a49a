"""Label Studio: its JSON export of a ``Labels`` + ``Relations`` text project in, and tasks
with predictions out (import them into Label Studio to keep working there). Pure Python.

Reading: each task is a document (text from ``data.text``, or the task's one text field);
each annotation is one annotator's set (``completed_by``: an email, or a user id). Region
labels map to claim roles (``Content``/``Claim``, ``Source``/``Speaker``, ``Cue``,
``Target`` by default); relations tie regions into claims, a ``fragment`` relation joins the
pieces of a discontinuous span (claims_from_spans); per-region ``choices`` give the stance
and per-region ``textarea`` the note. Offsets are code points, as Label Studio writes them
since 2022; a region whose text shows UTF-16 offsets (older versions) is converted, and one
that matches neither is an error.

Writing: one task per document with one prediction per annotation set (and gold), named by
``model_version``, with the labelling config in LABEL_CONFIG below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from typing import IO, Any

import orjson

from annotator.formats import exact_json
from annotator.formats.base import Bundle, Format, FormatError, Notice, Reading, Record, Where
from annotator.formats.claims_from_spans import (
    FRAGMENT_LINK,
    LabelledSpan,
    link_claims,
    stable_id,
)
from annotator.offsets import OffsetError, Utf16Index

DEFAULT_ROLES = {
    "Claim": "claim",
    "Content": "claim",
    "Speaker": "speaker",
    "Source": "speaker",
    "Cue": "cue",
    "Target": "target",
}
WRITTEN = {"claim": "Claim", "speaker": "Speaker", "cue": "Cue", "target": "Target"}
LABEL_CONFIG = """<View>
  <Relations>
    <Relation value="speaker"/><Relation value="cue"/><Relation value="target"/>
    <Relation value="fragment"/>
  </Relations>
  <Labels name="label" toName="text">
    <Label value="Claim"/><Label value="Speaker"/><Label value="Cue"/><Label value="Target"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="stance" toName="text" perRegion="true">
    <Choice value="support"/><Choice value="oppose"/><Choice value="neutral"/>
  </Choices>
  <TextArea name="note" toName="text" perRegion="true"/>
</View>
"""


class LabelStudioFormat(Format):
    identifier = "label-studio"
    verbose_name = "Label Studio JSON (tasks with annotations; written as predictions)"
    extension = "-label-studio.json"
    content_type = "application/json"
    can_write = True

    def detect(self, bundle: Bundle) -> bool:
        names = [n for n in bundle.names() if n.lower().endswith(".json")]
        if len(names) != 1:
            return False
        with bundle.open(names[0]) as stream:
            head = stream.read(4096).lstrip()
        return head.startswith(b"[") and (b'"annotations"' in head or b'"predictions"' in head)

    def read(
        self,
        bundle: Bundle,
        *,
        roles: Mapping[str, str] | None = None,
        annotator: str | None = None,
        **options: Any,
    ) -> Reading:
        names = [n for n in bundle.names() if n.lower().endswith(".json")] or bundle.names()
        if len(names) != 1:
            raise FormatError(f"expected one Label Studio .json export, found {len(names)}")
        reading = Reading(iter(()))
        reading.records = _tasks(bundle, names[0], roles or DEFAULT_ROLES, annotator, reading)
        return reading

    def write(self, records: Iterable[Record], out: IO[bytes], **options: Any) -> None:
        # A JSON array written a task at a time, so memory stays flat.
        out.write(b"[")
        for i, record in enumerate(records):
            out.write((b",\n" if i else b"\n") + exact_json.dumps(_task(record)))
        out.write(b"\n]\n")


def _tasks(
    bundle: Bundle, name: str, roles: Mapping[str, str], annotator: str | None, reading: Reading
) -> Iterator[tuple[Where, Record | FormatError]]:
    with bundle.open(name) as stream:
        try:
            tasks = exact_json.loads(stream.read())
        except orjson.JSONDecodeError as exc:
            yield name, FormatError(f"invalid JSON ({exc})", file=name)
            return
    if not isinstance(tasks, list):
        yield name, FormatError("a Label Studio export is a JSON list of tasks", file=name)
        return
    for number, task in enumerate(tasks, 1):
        where = f"{name} task {number}"
        try:
            yield where, _record(task, where, roles, annotator, reading.notices)
        except FormatError as exc:
            yield where, exc


def _text(data: Mapping[str, Any], where: str) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        strings = [v for v in data.values() if isinstance(v, str) and len(v) > 200]
        text = strings[0] if len(strings) == 1 else None
    if not isinstance(text, str) or not text:
        raise FormatError("the task has no text (data.text)", file=where)
    return text


def _record(
    task: object,
    where: str,
    roles: Mapping[str, str],
    annotator: str | None,
    notices: list[Notice],
) -> Record:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise FormatError("a task is an object with data", file=where)
    data = task["data"]
    text = _text(data, where)
    ident = data.get("id") or data.get("external_id") or task.get("id")
    if ident is None:
        raise FormatError("the task has no id (data.id or id)", file=where)
    record: Record = {
        "id": str(ident),
        "title": data.get("title") if isinstance(data.get("title"), str) else "",
        "text": text,
        "annotations": [],
        "gold": None,
    }
    for key in ("url", "published"):
        if isinstance(data.get(key), str):
            record[key] = data[key]
    for i, annotation in enumerate(task.get("annotations") or [], 1):
        place = f"{where} annotation {i}"
        if not isinstance(annotation, dict):
            raise FormatError("an annotation is an object", file=place)
        if annotation.get("was_cancelled"):
            notices.append(Notice("a skipped (cancelled) annotation, left out", place))
            continue
        who = annotator or _who(annotation.get("completed_by"), place)
        scope = ("label-studio", record["id"], who)
        claims = _claims(annotation.get("result") or [], text, roles, place, scope, notices)
        record["annotations"].append(
            {"annotator": who, "status": "submitted", "submitted_at": None, "claims": claims}
        )
    if task.get("predictions"):
        notices.append(
            Notice(
                f"{len(task['predictions'])} predictions (a model's, not an annotator's) left out",
                where,
            )
        )
    return record


def _who(value: object, where: str) -> str:
    if isinstance(value, dict):
        value = value.get("email") or value.get("username") or value.get("id")
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return f"label-studio-{value}"
    raise FormatError("whose annotation is it? (completed_by; or give the annotator)", file=where)


def _offsets(text: str, value: Mapping[str, Any], where: str, index: list) -> tuple[int, int]:
    start, end = value.get("start"), value.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        raise FormatError(f"region offsets {start!r}-{end!r} are not a span", file=where)
    shown = value.get("text")
    if end <= len(text) and (shown is None or text[start:end] == shown):
        return start, end
    # Older Label Studio counted UTF-16 units, as browsers do.
    if not index:
        index.append(Utf16Index(text))
    try:
        start16, end16 = index[0].to_codepoint(start), index[0].to_codepoint(end)
    except OffsetError:
        start16 = end16 = -1
    if start16 >= 0 and (shown is None or text[start16:end16] == shown):
        return start16, end16
    raise FormatError(
        f"region {start}-{end} says {shown!r} but the text there is {text[start:end]!r}", file=where
    )


def _claims(
    results: object,
    text: str,
    roles: Mapping[str, str],
    where: str,
    scope: tuple[str, ...],
    notices: list[Notice],
) -> list[dict[str, Any]]:
    if not isinstance(results, list):
        raise FormatError("result must be a list", file=where)
    spans: dict[str, LabelledSpan] = {}
    links: list[tuple[str, str, str]] = []
    stances: dict[str, str] = {}
    notes: dict[str, str] = {}
    index: list = []
    for n, item in enumerate(results, 1):
        place = f"{where} result {n}"
        if not isinstance(item, dict):
            raise FormatError("a result is an object", file=place)
        kind, value, ident = item.get("type"), item.get("value") or {}, str(item.get("id", ""))
        if kind == "labels":
            labels = value.get("labels") or []
            known = [roles[label] for label in labels if label in roles]
            if not known:
                raise FormatError(f"unknown label {', '.join(map(str, labels))!r}", file=place)
            start, end = _offsets(text, value, place, index)
            spans[ident] = LabelledSpan(known[0], [(start, end)], place)
        elif kind == "relation":
            kinds = item.get("labels") or [""]
            links.append((str(item.get("from_id")), str(item.get("to_id")), kinds[0] or ""))
        elif kind == "choices" and value.get("choices"):
            stances[ident] = value["choices"][0]
        elif kind == "textarea" and value.get("text"):
            notes[ident] = "\n".join(value["text"])
        else:
            notices.append(Notice(f"a {kind!r} result left out", place))
    drafts, loose = link_claims(spans, links, lambda key: stable_id(*scope, str(key)))
    for _, span in loose:
        notices.append(Notice(f"a {span.role} region tied to no claim, left out", span.at))
    claims = []
    for draft in drafts.values():
        for source in draft.sources:
            if source in stances:
                draft.stance = stances[source]
            if source in notes and notes[source] not in draft.notes:
                draft.notes.append(notes[source])
        claims.append(draft.as_json(text))
    return sorted(claims, key=lambda c: (c["claim"]["start"], c["claim"]["end"]))


def _task(record: Record) -> dict[str, Any]:
    predictions = [
        {"model_version": s["annotator"], "result": _results(s.get("claims") or [])}
        for s in record.get("annotations") or []
    ]
    if record.get("gold"):
        predictions.append({"model_version": "gold", "result": _results(record["gold"]["claims"])})
    data = {"id": record["id"], "title": record.get("title") or "", "text": record["text"]}
    return {"data": data, "predictions": predictions}


def _results(claims: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for claim in claims:
        base = str(claim["id"])[:40]
        heads: dict[str, str] = {}
        for role in ("claim", "speaker", "cue", "target"):
            span = claim.get(role)
            if not span or span.get("start") is None:
                continue
            pieces = span.get("fragments") or [span]
            ids = [f"{base}-{role}-{i}" for i in range(len(pieces))]
            for ident, piece in zip(ids, pieces, strict=True):
                value = {"start": piece["start"], "end": piece["end"], "text": piece["text"]}
                results.append(_region(ident, {**value, "labels": [WRITTEN[role]]}))
            for a, b in pairwise(ids):
                results.append(_relation(a, b, FRAGMENT_LINK))
            heads[role] = ids[0]
        for role, ident in heads.items():
            if role != "claim":
                results.append(_relation(heads["claim"], ident, role))
        if claim.get("stance"):
            results.append(
                {
                    "id": heads["claim"],
                    "from_name": "stance",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [claim["stance"]]},
                }
            )
        if claim.get("note"):
            results.append(
                {
                    "id": heads["claim"],
                    "from_name": "note",
                    "to_name": "text",
                    "type": "textarea",
                    "value": {"text": [claim["note"]]},
                }
            )
    return results


def _region(ident: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": ident, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def _relation(a: str, b: str, label: str) -> dict[str, Any]:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]}
