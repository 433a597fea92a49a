"""The explorer's export: exactly the claims a view shows, as flat ``claims/1-flat`` JSON
Lines (the shape of ``export_jsonl --per claim``) or as CSV for spreadsheets.

The view's claim ids are read first in the view's order (narrow rows); the claims, their
documents, entities and annotation sets are then read a chunk at a time, so memory stays
small and the export streams.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
from django.contrib.auth import get_user_model

from annotator.context import sentence_around
from annotator.models import Assignment, Claim, Document
from annotator.offsets import Span
from annotator.services.access import Access
from annotator.services.explorer import SORTS, Filters, visible_claims
from annotator.services.exporting import (
    _CLAIM_COLUMNS,
    FLAT_SCHEMA,
    _raw_json,
    claim_json,
    entity_refs,
    span_json,
)

CHUNK = 500
FORMATS = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
CSV_COLUMNS = (
    "claim_id",
    "document_id",
    "title",
    "published",
    "url",
    "annotator",
    "status",
    "claim_start",
    "claim_end",
    "claim",
    "context",
    "speaker",
    "speaker_entity",
    "speaker_wikidata",
    "speaker_type",
    "cue",
    "stance",
    "target",
    "target_entity",
    "target_wikidata",
    "target_type",
    "attributes",
    "note",
)


def flat_records(access: Access, f: Filters) -> Iterator[dict[str, Any]]:
    """The view's claims as flat records, in the view's order."""
    project = access.project
    ids = list(visible_claims(access, f).order_by(*SORTS[f.sort]).values_list("id", flat=True))
    entities = entity_refs(project)
    users: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {
            row[0]: row
            for row in Claim.objects.filter(pk__in=chunk)
            .annotate(
                attributes_json=_raw_json("attributes"), fragments_json=_raw_json("fragments")
            )
            .values_list(*_CLAIM_COLUMNS)
        }
        doc_ids = {row[1] for row in rows.values()}
        documents = {
            d[0]: d
            for d in Document.objects.filter(pk__in=doc_ids).values_list(
                "id", "external_id", "title", "text", "url", "published"
            )
        }
        states = {
            (d, a): review or status
            for d, a, status, review in Assignment.objects.filter(
                document_id__in=doc_ids
            ).values_list("document_id", "annotator_id", "status", "review")
        }
        missing = {row[2] for row in rows.values()} - users.keys()
        if missing:
            users |= dict(
                get_user_model().objects.filter(pk__in=missing).values_list("id", "username")
            )
        for claim_id in chunk:
            row = rows.get(claim_id)
            if row is None:  # deleted while the export ran
                continue
            _, external_id, title, text, url, published = documents[row[1]]
            claim = claim_json(row, text, entities)
            context = sentence_around(text, Span(row[4], row[5]))
            status = "gold" if row[3] else states.get((row[1], row[2]), "in_progress")
            yield {
                "schema": FLAT_SCHEMA,
                "project": project.slug,
                "document_id": external_id,
                "annotator": users[row[2]],
                "status": status,
                "claim_id": claim.pop("id"),
                **claim,
                "context": span_json(text, context.start, context.end),
                "title": title,
                "published": published or None,
                "url": url or None,
            }


def jsonl_lines(access: Access, f: Filters) -> Iterator[bytes]:
    for record in flat_records(access, f):
        yield orjson.dumps(record) + b"\n"


def _text(span: dict[str, Any] | None, key: str = "text") -> Any:
    return "" if span is None or span.get(key) is None else span[key]


def csv_lines(access: Access, f: Filters) -> Iterator[str]:
    """CSV with a header; spans as their text, entities by name, Wikidata id and type."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Any) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for r in flat_records(access, f):
        speaker, target = r["speaker"], r["target"]
        yield line(
            [
                r["claim_id"],
                r["document_id"],
                r["title"],
                r["published"] or "",
                r["url"] or "",
                r["annotator"],
                r["status"],
                r["claim"]["start"],
                r["claim"]["end"],
                r["claim"]["text"],
                r["context"]["text"],
                _text(speaker),
                _text(speaker, "entity"),
                _text(speaker, "wikidata"),
                _text(speaker, "type"),
                _text(r["cue"]),
                r["stance"] or "",
                _text(target),
                _text(target, "entity"),
                _text(target, "wikidata"),
                _text(target, "type"),
                orjson.dumps(r["attributes"]).decode(),
                r["note"],
            ]
        )
