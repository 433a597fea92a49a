"""The JSONL export (``claims/1``), shared by the command, the web download and the API.

Documents are read through a server-side cursor (``iterator``) and their annotation sets
fetched a chunk of documents at a time, so memory stays flat however large the project and
the query count grows with chunks, not documents. Span text is always sliced from the
document's text, so ``text[start:end] == span["text"]`` holds by construction.

A claim is exported under its stable ``uid`` (kept by imports), with the review decisions on
it; each annotation set carries the decisions on the whole set. Together with the document
fields, that makes export → import into an empty project → export give the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from annotator.context import sentence_around
from annotator.models import Assignment, Claim, Document, Entity, Project, Review
from annotator.models.document import GoldStatus
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.offsets import Span
from annotator.services.errors import DomainError

SCHEMA = "claims/1"
FLAT_SCHEMA = "claims/1-flat"
PER_CHOICES = ("document", "claim")
STATUSES = ("todo", "in_progress", "submitted", "skipped", "accepted", "rejected")
CHUNK = 500

_CLAIM_COLUMNS = (
    "id",
    "document_id",
    "annotator_id",
    "is_gold",
    "claim_start",
    "claim_end",
    "speaker_start",
    "speaker_end",
    "speaker_entity_id",
    "cue_start",
    "cue_end",
    "target_start",
    "target_end",
    "target_entity_id",
    "stance",
    "attributes_json",
    "note",
    "uid",
    "fragments_json",
)
_DOC_COLUMNS = (
    "id",
    "external_id",
    "title",
    "text",
    "url",
    "published",
    "meta_json",
    "gold_status",
    "gold_by__username",
)


def parse_statuses(values: Iterable[str] | None) -> frozenset[str] | None:
    """``["accepted,submitted"]`` or ``["accepted", "submitted"]`` -> a set, checked."""
    statuses = {s.strip() for v in values or () for s in v.split(",") if s.strip()}
    unknown = statuses - set(STATUSES)
    if unknown:
        raise DomainError(
            f"unknown status {', '.join(sorted(unknown))}; choose from {', '.join(STATUSES)}",
            field="status",
        )
    return frozenset(statuses) or None


@dataclass
class JsonlExport:
    """One export of a project as JSON Lines; ``lines()`` yields encoded lines."""

    project: Project
    per: str = "document"
    statuses: frozenset[str] | None = None
    gold: bool = False
    document_ids: list[int] | None = None
    # Only these claims (the admin's "export selected"), gold ones included as such.
    claim_ids: list[int] | None = None
    _users: dict[int, str] = field(default_factory=dict, init=False)
    _entities: dict[int, EntityRef] = field(default_factory=dict, init=False)
    _claim_reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict, init=False)

    identifier = "jsonl"
    content_type = "application/x-ndjson; charset=utf-8"

    def __post_init__(self) -> None:
        if self.per not in PER_CHOICES:
            raise DomainError(f"per must be one of {', '.join(PER_CHOICES)}", field="per")
        if self.gold and self.statuses:
            raise DomainError(
                "gold claims have no annotation-set status: use --gold or --status, not both",
                field="status",
            )

    @property
    def filename(self) -> str:
        suffix = "-gold" if self.gold else ""
        per = "-claims" if self.per == "claim" else ""
        return f"{self.project.slug}{per}{suffix}.jsonl"

    def lines(self) -> Iterator[bytes]:
        # On PostgreSQL the export reads one consistent snapshot, streamed from a cursor.
        outermost = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic() if outermost else nullcontext():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._entities = entity_refs(self.project)
            for chunk in self._document_chunks():
                yield from self._render_chunk(chunk)

    def _document_chunks(self) -> Iterator[list[tuple]]:
        documents = Document.objects.filter(project=self.project).annotate(
            meta_json=_raw_json("meta")
        )
        if self.document_ids is not None:
            documents = documents.filter(pk__in=self.document_ids)
        if self.claim_ids is not None:
            chosen = Claim.objects.filter(pk__in=self.claim_ids).values("document_id")
            documents = documents.filter(pk__in=chosen)
        if self.gold:
            documents = documents.filter(gold_status=GoldStatus.COMPLETE)
        if self.statuses is not None:
            # Only documents with a matching annotation set are read at all.
            documents = documents.filter(Exists(_sets_with(self.statuses)))
        rows = documents.order_by("id").values_list(*_DOC_COLUMNS).iterator(chunk_size=CHUNK)
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _render_chunk(self, documents: list[tuple]) -> Iterator[bytes]:
        # A range of ids reads the chunk's rows without sending hundreds of ids as
        # parameters; rows of documents outside the chunk (filtered exports) are ignored.
        in_chunk = {
            "document__project": self.project,
            "document_id__gte": documents[0][0],
            "document_id__lte": documents[-1][0],
        }
        sets: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        if not self.gold:
            assignments = Assignment.objects.filter(**in_chunk).annotate(
                extras_json=_raw_json("extras")
            )
            for doc_id, user_id, status, review, submitted_at, extras in assignments.values_list(
                "document_id", "annotator_id", "status", "review", "submitted_at", "extras_json"
            ):
                sets[doc_id][user_id] = {
                    "status": review or status,
                    "submitted_at": submitted_at.isoformat() if submitted_at else None,
                    "reviews": [],
                }
                if extras and extras != "{}":
                    # What a format's file said beyond the claims (Assignment.extras).
                    sets[doc_id][user_id]["extras"] = orjson.Fragment(extras)
            # Decisions on whole sets and on single claims, in one query.
            self._claim_reviews = defaultdict(list)
            for doc_id, user_id, claim_id, *review in _reviews(in_chunk):
                if claim_id is not None:
                    self._claim_reviews[claim_id].append(_review_json(*review))
                elif user_id in sets[doc_id]:
                    sets[doc_id][user_id]["reviews"].append(_review_json(*review))
        claims: dict[int, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
        gold: dict[int, list[tuple]] = defaultdict(list)
        claim_rows = Claim.objects.filter(**in_chunk).annotate(
            attributes_json=_raw_json("attributes"), fragments_json=_raw_json("fragments")
        )
        if self.gold:
            claim_rows = claim_rows.filter(is_gold=True)
        if self.claim_ids is not None:
            claim_rows = claim_rows.filter(pk__in=self.claim_ids)
        for row in claim_rows.order_by("document_id", "claim_start", "claim_end", "id").values_list(
            *_CLAIM_COLUMNS
        ):
            if row[3]:
                gold[row[1]].append(row)
            else:
                claims[row[1]][row[2]].append(row)
        self._load_users(sets, claims, gold)
        for document in documents:
            doc_id = document[0]
            annotations = self._annotation_sets(sets[doc_id], claims[doc_id])
            if self.statuses is not None:
                annotations = [a for a in annotations if a[1]["status"] in self.statuses]
                if not annotations:
                    continue
            if self.per == "claim":
                yield from self._flat_lines(document, annotations, gold[doc_id])
            else:
                yield self._document_line(document, annotations, gold[doc_id])

    def _load_users(self, sets: dict, claims: dict, gold: dict) -> None:
        wanted = {u for by_user in sets.values() for u in by_user}
        wanted |= {u for by_user in claims.values() for u in by_user}
        wanted |= {row[2] for rows in gold.values() for row in rows}
        missing = wanted - self._users.keys()
        if missing:
            self._users |= dict(
                get_user_model().objects.filter(pk__in=missing).values_list("id", "username")
            )

    def _annotation_sets(
        self, sets: dict[int, dict[str, Any]], claims: dict[int, list[tuple]]
    ) -> list[tuple[list[tuple], dict[str, Any]]]:
        """(claims, set header) per annotator; untouched assignments are left out."""
        result = []
        for user_id in sorted(sets.keys() | claims.keys(), key=lambda u: self._users[u]):
            header = sets.get(
                user_id, {"status": "in_progress", "submitted_at": None, "reviews": []}
            )
            rows = claims.get(user_id, [])
            if not rows and header["status"] == AssignmentStatus.TODO:
                continue
            result.append((rows, {"annotator": self._users[user_id], **header}))
        return result

    def _document_line(
        self, document: tuple, annotations: list[tuple[list[tuple], dict]], gold: list[tuple]
    ) -> bytes:
        _, external_id, title, text, url, published, meta, gold_status, gold_by = document
        line = {
            "schema": SCHEMA,
            "project": self.project.slug,
            "id": external_id,
            "title": title,
            "text": text,
            "url": url or None,
            "published": published or None,
            "meta": orjson.Fragment(meta),
            "annotations": [
                {**header, "claims": [self._claim(row, text) for row in rows]}
                for rows, header in annotations
            ],
            "gold": self._gold(gold, gold_status, gold_by, text),
        }
        return orjson.dumps(line) + b"\n"

    def _gold(
        self, rows: list[tuple], status: str, gold_by: str | None, text: str
    ) -> dict[str, Any] | None:
        if not rows and status != GoldStatus.COMPLETE:
            return None
        adjudicators = {self._users[row[2]] for row in rows}
        if gold_by:
            adjudicators.add(gold_by)
        return {
            "status": status or GoldStatus.DRAFT,
            "adjudicators": sorted(adjudicators),
            # Each gold claim names who adjudicated it, so a gold set made by several
            # reviewers comes back from an import as it was.
            "claims": [
                {**self._claim(row, text), "adjudicator": self._users[row[2]]} for row in rows
            ],
        }

    def _flat_lines(
        self, document: tuple, annotations: list[tuple[list[tuple], dict]], gold: list[tuple]
    ) -> Iterator[bytes]:
        text = document[3]
        if self.gold or self.claim_ids is not None:
            annotations = [
                *([] if self.gold else [(rows, h) for rows, h in annotations if rows]),
                *(([row], {"annotator": self._users[row[2]], "status": "gold"}) for row in gold),
            ]
        for rows, header in annotations:
            for row in rows:
                claim = self._claim(row, text)
                claim.pop("reviews")
                context = sentence_around(text, Span(row[4], row[5]))
                yield (
                    orjson.dumps(
                        {
                            "schema": FLAT_SCHEMA,
                            "project": self.project.slug,
                            "document_id": document[1],
                            "annotator": header["annotator"],
                            "status": header["status"],
                            "claim_id": claim.pop("id"),
                            **claim,
                            "context": span_json(text, context.start, context.end),
                            "title": document[2],
                            "published": document[5] or None,
                            "url": document[4] or None,
                        }
                    )
                    + b"\n"
                )

    def _claim(self, row: tuple, text: str) -> dict[str, Any]:
        return {
            **claim_json(row, text, self._entities),
            "reviews": self._claim_reviews.get(row[0], []),
        }


def _fragments(raw: object) -> dict[str, list[list[int]]]:
    """A fragments column read as text; almost every claim has none ("{}")."""
    if isinstance(raw, str):
        return orjson.loads(raw) if raw != "{}" else {}
    return raw or {}  # type: ignore[return-value]


class EntityRef(NamedTuple):
    name: str
    wikidata: str
    type: str

    def links(self) -> dict[str, str]:
        """What a span naming the entity carries besides its name: only what is set, so
        files of projects that link nothing stay as they were."""
        return {k: v for k, v in (("wikidata", self.wikidata), ("type", self.type)) if v}


def entity_refs(project: Project) -> dict[int, EntityRef]:
    rows = Entity.objects.filter(project=project).values_list("id", "name", "wikidata", "type")
    return {pk: EntityRef(*rest) for pk, *rest in rows}


def _entity_span(
    text: str,
    start: int | None,
    end: int | None,
    entity: EntityRef | None,
    fragments: list[list[int]] | None,
) -> dict[str, Any] | None:
    span = span_json(
        text,
        start,
        end,
        entity.name if entity else None,
        entity_role=True,
        fragments=fragments,
    )
    if span is not None and entity is not None:
        span.update(entity.links())
    return span


def claim_json(row: tuple, text: str, entities: Mapping[int, EntityRef]) -> dict[str, Any]:
    """A claim in the export's shape from a row of _CLAIM_COLUMNS."""
    pieces = _fragments(row[18])
    return {
        "id": row[17],
        "claim": span_json(text, row[4], row[5], fragments=pieces.get("claim")),
        "speaker": _entity_span(text, row[6], row[7], entities.get(row[8]), pieces.get("speaker")),
        "cue": span_json(text, row[9], row[10], fragments=pieces.get("cue")),
        "stance": row[14] or None,
        "target": _entity_span(text, row[11], row[12], entities.get(row[13]), pieces.get("target")),
        # JSON straight from the database, not decoded and encoded again.
        "attributes": orjson.Fragment(row[15]) if isinstance(row[15], str) else row[15],
        "note": row[16],
    }


def _reviews(in_chunk: dict[str, Any]) -> Iterable[tuple]:
    """The chunk's reviews as (document, annotator, claim or None, reviewer, decision,
    comment, created_at), in the order they were made."""
    on = {"assignment__": Q(), "claim__": Q()}
    for prefix in on:
        on[prefix] = Q(**{prefix + key: value for key, value in in_chunk.items()})
    return (
        Review.objects.filter(on["assignment__"] | on["claim__"])
        .order_by("created_at", "id")
        .values_list(
            "assignment__document_id",
            "assignment__annotator_id",
            "claim_id",
            "reviewer__username",
            "decision",
            "comment",
            "created_at",
        )
    )


def _review_json(reviewer: str, decision: str, comment: str, created_at: Any) -> dict[str, Any]:
    return {
        "reviewer": reviewer,
        "decision": decision,
        "comment": comment,
        "time": created_at.isoformat(),
    }


_SUGGESTION_COLUMNS = tuple(
    c for c in _CLAIM_COLUMNS if c not in ("annotator_id", "is_gold", "note", "uid")
)


def suggestion_lines(project: Project, external_ids: list[str] | None = None) -> Iterator[bytes]:
    """Stored suggestions as claims/1 lines: one set per document, annotator "suggestions"."""
    from annotator.models import Suggestion

    entities = entity_refs(project)
    documents = Document.objects.filter(project=project).annotate(meta_json=_raw_json("meta"))
    if external_ids:
        documents = documents.filter(external_id__in=external_ids)
    rows = list(documents.order_by("id").values_list(*_DOC_COLUMNS))
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        suggestions = (
            Suggestion.objects.filter(document_id__in=[d[0] for d in chunk])
            .annotate(
                attributes_json=_raw_json("attributes"), fragments_json=_raw_json("fragments")
            )
            .order_by("document_id", "claim_start", "claim_end", "id")
            .values_list(*_SUGGESTION_COLUMNS)
        )
        texts = {d[0]: d[3] for d in chunk}
        for row in suggestions:
            # In _CLAIM_COLUMNS order: no annotator, not gold, no note, the pk as id.
            claim_row = (*row[:2], None, False, *row[2:14], "", str(row[0]), row[14])
            found[row[1]].append(claim_json(claim_row, texts[row[1]], entities))
        for doc_id, external_id, title, text, url, published, meta, *_ in chunk:
            line = {
                "schema": SCHEMA,
                "project": project.slug,
                "id": external_id,
                "title": title,
                "text": text,
                "url": url or None,
                "published": published or None,
                "meta": orjson.Fragment(meta),
                "annotations": [
                    {
                        "annotator": "suggestions",
                        "status": "todo",
                        "submitted_at": None,
                        "claims": found[doc_id],
                    }
                ],
                "gold": None,
            }
            yield orjson.dumps(line) + b"\n"


def _raw_json(field: str) -> Cast:
    """A JSON column as its text, to be written out as it is (orjson.Fragment)."""
    return Cast(field, TextField())


def _sets_with(statuses: frozenset[str]) -> QuerySet[Assignment]:
    """Assignments of the outer document whose export status is one of ``statuses``."""
    reviews = statuses & set(Decision.values)
    progress = statuses - reviews
    return Assignment.objects.filter(document=OuterRef("pk")).filter(
        Q(review__in=reviews) | Q(review="", status__in=progress)
    )


def span_json(
    text: str,
    start: int | None,
    end: int | None,
    entity: str | None = None,
    *,
    entity_role: bool = False,
    fragments: list[list[int]] | None = None,
) -> dict[str, Any] | None:
    """A span as exported: null when it has neither offsets nor entity; its text is sliced
    from the document, a discontinuous span lists its ``fragments`` (each sliced the same
    way), and speakers and targets carry their ``entity`` name."""
    if start is None and entity is None:
        return None
    span: dict[str, Any] = {
        "start": start,
        "end": end,
        "text": None if start is None else text[start:end],
    }
    if fragments and start is not None:
        span["fragments"] = [{"start": a, "end": b, "text": text[a:b]} for a, b in fragments]
    if entity_role:
        span["entity"] = entity
    return span
