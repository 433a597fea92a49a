"""Importing documents: all or nothing per file, streamed in batches so memory stays flat.

Records are validated and written in batches inside one transaction; the first error stops
the writing, reading goes on to report up to MAX_ERRORS problems, and the transaction is
rolled back so nothing from a refused file remains.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from annotator.models import Document, Project
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.import_copy import CopyBatch, changed_text, repeated_id
from annotator.services.records import Record, document_fields, meta_json

MAX_ERRORS = 20
BATCH_SIZE = 1000


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.created} imported, {self.skipped} already present (skipped)"

    @property
    def empty(self) -> bool:
        """The input held no documents at all (every one read is created or skipped)."""
        return not (self.created or self.skipped)


class _Batch:
    """Documents read but not yet written, keyed by id: the only ids held in memory. (On
    PostgreSQL, import_copy.CopyBatch does this job with one COPY stream.)

    An id seen in an earlier batch is found in the database, where that batch wrote it
    (inside this import's transaction), so memory does not grow with the file.
    """

    def __init__(self, project: Project, result: ImportResult, errors: list[DomainError]):
        self.project = project
        self.result = result
        self.errors = errors
        self.pending: dict[str, tuple[int, dict[str, Any], bytes]] = {}
        # Documents above this id were written by this import (imports into a project queue).
        self.before = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def add(self, line: int, fields: dict[str, Any], meta: bytes) -> None:
        key = fields["external_id"]
        if key in self.pending:
            first_line, first, _ = self.pending[key]
            if first["text"] != fields["text"]:
                self.errors.append(repeated_id(key, f"on line {first_line}", line))
            else:
                self.result.skipped += 1
            return
        self.pending[key] = (line, fields, meta)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if not pending or self.errors:
            return
        existing = _present(self.project, list(pending))
        new = []
        for key, (line, fields, meta) in pending.items():
            if key not in existing:
                new.append((fields, meta))
                continue
            pk, text = existing[key]
            if text == fields["text"]:
                self.result.skipped += 1
            elif pk > self.before:
                self.errors.append(repeated_id(key, "earlier in the file", line))
            else:
                self.errors.append(changed_text(key, line))
        if new and not self.errors:
            _insert(self.project, new)
            self.result.created += len(new)

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


_COLUMNS = (
    "project_id",
    "external_id",
    "title",
    "text",
    "url",
    "published",
    "meta",
    "gold_status",
    "created_at",
)


def _present(project: Project, keys: list[str]) -> dict[str, tuple[int, str]]:
    """The batch's ids the project already holds: id -> (pk, text).

    One probe of the (project, external_id) index per id: the ids are one JSON parameter and
    the CROSS JOIN keeps them the outer loop (SQLite never reorders it). The ORM's
    ``external_id__in`` with the model's ORDER BY id made SQLite walk the project index
    over every document the project holds instead, once per batch: quadratic.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.external_id, d.id, d.text FROM json_each(%s) AS k "
            f"CROSS JOIN {Document._meta.db_table} AS d "
            "ON d.project_id = %s AND d.external_id = k.value",
            [orjson.dumps(keys).decode(), project.pk],
        )
        return {key: (pk, text) for key, pk, text in cursor.fetchall()}


def _insert(project: Project, rows: list[tuple[dict[str, Any], bytes]]) -> None:
    """Write a batch of validated documents in one statement.

    The ORM's bulk_create prepares every field of every row in Python, which costs more
    than the database's own work here; the values are already checked, so they go straight
    to one executemany.
    """
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    rows_out = [
        (
            project.pk,
            f["external_id"],
            f["title"],
            f["text"],
            f["url"],
            f["published"],
            meta.decode(),
            "",
            created,
        )
        for f, meta in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Document._meta.db_table} ({', '.join(_COLUMNS)}) "
            f"VALUES ({placeholders})",
            rows_out,
        )


def lock_for_import(project: Project) -> None:
    """Queue imports into one project, for the rest of the transaction: a second import of
    the same documents waits for the first, then finds them present and skips them, as a
    re-import after it would. FOR NO KEY UPDATE leaves rows that only point at the project
    (claims, entities, members) free to be written meanwhile."""
    Project.objects.select_for_update(no_key=True).only("pk").get(pk=project.pk)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing thousands of JSON lines allocates millions of objects; the cyclic garbage
    collector would scan them again and again for cycles that JSON cannot make."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    read = 0
    with _collector_paused(), transaction.atomic():
        lock_for_import(project)
        on_postgresql = connection.vendor == "postgresql"
        batch = (CopyBatch if on_postgresql else _Batch)(project, result, errors)
        with batch:  # ends a COPY stream left open, also when reading fails
            try:
                for line, record in records:
                    if len(errors) >= MAX_ERRORS:
                        break
                    try:
                        if isinstance(record, DomainError):
                            raise record
                        fields = document_fields(record, line)
                        meta = meta_json(fields["meta"], line)
                    except DomainError as exc:
                        errors.append(exc)
                        continue
                    batch.add(line, fields, meta)
                    read += 1
                    if progress is not None and read % BATCH_SIZE == 0:
                        progress()
            except DomainError as exc:  # a reader that cannot go on (e.g. a broken CSV)
                errors.append(exc)
            batch.flush()
        if errors:
            raise ImportFailed(source, errors)
    if progress is not None:
        progress()
    return result
