"""Importing documents: all or nothing per file, streamed in batches so memory stays flat.

Records are validated and written in batches inside one transaction; the first error stops
the writing, reading goes on to report up to MAX_ERRORS problems, and the transaction is
rolled back so nothing from a refused file remains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from annotator.models import Document, Project
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.records import Record, document_fields

MAX_ERRORS = 20
BATCH_SIZE = 1000


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.created} imported, {self.skipped} already present (skipped)"


class _Batch:
    """Documents read but not yet written, with the checks that need the database."""

    def __init__(self, project: Project, result: ImportResult, errors: list[DomainError]):
        self.project = project
        self.result = result
        self.errors = errors
        self.pending: list[tuple[int, dict[str, Any]]] = []

    def add(self, line: int, fields: dict[str, Any]) -> None:
        self.pending.append((line, fields))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending or self.errors:
            return
        existing = dict(
            Document.objects.filter(
                project=self.project, external_id__in=[f["external_id"] for _, f in pending]
            ).values_list("external_id", "text")
        )
        new = []
        for line, fields in pending:
            old_text = existing.get(fields["external_id"])
            if old_text is None:
                new.append(fields)
            elif old_text == fields["text"]:
                self.result.skipped += 1
            else:
                self.errors.append(
                    DomainError(
                        f"document {fields['external_id']!r} already exists with a different "
                        "text (a document's text cannot change once imported)",
                        field="text",
                        line=line,
                    )
                )
        if new and not self.errors:
            _insert(self.project, new)
            self.result.created += len(new)


def _insert(project: Project, rows: list[dict[str, Any]]) -> None:
    now = timezone.now()
    if connection.vendor == "postgresql":
        _copy_into_postgres(project, rows, now)
    else:
        Document.objects.bulk_create(
            [Document(project=project, created_at=now, **fields) for fields in rows],
            batch_size=BATCH_SIZE,
        )


def _copy_into_postgres(project: Project, rows: list[dict[str, Any]], now: Any) -> None:
    """COPY is several times faster than INSERT for thousands of rows."""
    import orjson
    from psycopg.types.json import Jsonb

    columns = "project_id, external_id, title, text, url, published, meta, gold_status, created_at"
    types = [
        "int8",
        "varchar",
        "text",
        "text",
        "text",
        "varchar",
        "jsonb",
        "varchar",
        "timestamptz",
    ]
    sql = f"COPY {Document._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(types)
        for f in rows:
            meta = Jsonb(f["meta"], dumps=orjson.dumps)
            fields = (f["external_id"], f["title"], f["text"], f["url"], f["published"])
            copy.write_row((project.pk, *fields, meta, "", now))


def import_documents(
    project: Project,
    records: Iterable[tuple[int, Record | DomainError]],
    *,
    source: str,
    progress: Callable[[], None] | None = None,
) -> ImportResult:
    """Import documents from ``(line, record)`` pairs; raise ImportFailed if any is bad."""
    result = ImportResult()
    errors: list[DomainError] = []
    seen: dict[str, tuple[int, int]] = {}  # id -> (first line, hash of its text)
    batch = _Batch(project, result, errors)
    with transaction.atomic():
        try:
            for line, record in records:
                if len(errors) >= MAX_ERRORS:
                    break
                try:
                    if isinstance(record, DomainError):
                        raise record
                    fields = document_fields(record, line)
                except DomainError as exc:
                    errors.append(exc)
                    continue
                key, digest = fields["external_id"], hash(fields["text"])
                if key in seen:
                    first_line, first_digest = seen[key]
                    if first_digest != digest:
                        errors.append(
                            DomainError(
                                f"id {key!r} already appears on line {first_line} "
                                "with a different text",
                                field="id",
                                line=line,
                            )
                        )
                    else:
                        result.skipped += 1
                    continue
                seen[key] = (line, digest)
                batch.add(line, fields)
                if progress is not None and len(seen) % BATCH_SIZE == 0:
                    progress()
        except DomainError as exc:  # a reader that cannot go on (e.g. a broken CSV)
            errors.append(exc)
        batch.flush()
        if errors:
            raise ImportFailed(source, errors)
    if progress is not None:
        progress()
    return result
