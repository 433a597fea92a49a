"""The PostgreSQL fast path of a document import: one COPY stream, duplicates found by SQL.

Validated documents are streamed with ``COPY`` into a temporary staging table while the
reader parses the next ones (psycopg sends from its own thread, so parsing in Python and
ingesting in PostgreSQL overlap). Every CHUNK documents, and at the end, the database sorts
out the chunk in three statements:

1. ids repeated inside the chunk (a narrow window query; the texts of such pairs are then
   compared): the same text is skipped, a different one is an error naming both lines;
2. ids already in the project: the same text is skipped; a different one is an error, told
   apart as "earlier in the file" when the document was written by this import (its id is
   above the high-water mark taken at the start; imports into a project are queued);
3. one ``INSERT … SELECT`` of the rest, in file order.

Step 2 probes the project's unique (project, external_id) index once per staged row, in a
LATERAL subquery the planner cannot turn into a join: the rows this import has written are
not in the table's statistics, so a join was planned as a hash of every document of the
project, rebuilt at each chunk (1.1M documents: the insert of the last chunk took 2.4× the
first's). Skipped rows leave the staging table, so step 3 needs no second lookup.

Memory stays flat whatever the size of the import (nothing is kept per document in Python,
the staging table never holds more than a chunk), and everything happens inside the
caller's transaction, so a refused file leaves nothing behind.

Texts are staged lz4-compressed (where the server has lz4) and copied on as they are: the
documents table then holds them compressed in the row, which costs the server about half
of what writing them uncompressed out of line does (migration 0003, against pglz's cost)
and is read back in microseconds. ``meta`` is staged and stored as ``json`` text, which the
server only checks (models.fields.TextJSONField): parsing it into ``jsonb`` was most of the
COPY's time for documents that carry much of it.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Json

from annotator.models import Document, Project
from annotator.services.errors import DomainError

if TYPE_CHECKING:
    from annotator.services.importing import ImportResult

CHUNK = 50_000  # documents staged before the database sorts them out
STAGING = "import_staging"
_STAGED = ("line", "external_id", "title", "text", "url", "published", "meta")
_TYPES = ("int4", "varchar", "text", "text", "text", "varchar", "json")


def _as_is(data: bytes) -> bytes:
    """meta is JSON text already (records.meta_json)."""
    return data


class CopyBatch:
    """Takes documents one by one (``add``) and writes them at ``flush``, as importing._Batch
    does with its batches of rows."""

    def __init__(self, project: Project, result: ImportResult, errors: list[DomainError]) -> None:
        self.project = project
        self.result = result
        self.errors = errors
        self.staged = 0
        self.now = timezone.now()
        self.table = Document._meta.db_table
        with connection.cursor() as cursor:
            # Documents above this id were written by this import; and can texts be staged
            # with lz4 (PostgreSQL 14+, built with it)?
            cursor.execute(
                f"SELECT coalesce(max(id), 0), (SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                f"WHERE name = 'default_toast_compression') FROM {self.table}"
            )
            self.before, lz4 = cursor.fetchone()
            compressed = " COMPRESSION lz4" if lz4 else ""
            # The planner prices the per-row probes of step 2 above jit_above_cost and would
            # spend 0.2-0.4 s compiling them at each chunk, for statements that run in
            # tenths of that: no JIT for the rest of the import's transaction.
            cursor.execute(
                "SET LOCAL jit = off; "
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (line int4 PRIMARY KEY, "
                f"external_id varchar(200), title text, text text{compressed}, url text, "
                f"published varchar(40), meta json{compressed}) ON COMMIT DROP"
            )
        self._stream = ExitStack()  # the open COPY, if any
        self._copy = None

    def add(self, line: int, fields: dict[str, Any], meta: bytes) -> None:
        # Staged even once the import is refused, to report the ids it repeats.
        if self._copy is None:
            self._open()
        self._copy.write_row(
            (
                line,
                fields["external_id"],
                fields["title"],
                fields["text"],
                fields["url"],
                fields["published"],
                Json(meta, dumps=_as_is),
            )
        )
        self.staged += 1
        if self.staged >= CHUNK:
            self.flush()

    def _open(self) -> None:
        cursor = self._stream.enter_context(connection.cursor()).cursor
        self._copy = self._stream.enter_context(
            cursor.copy(
                f"COPY {STAGING} ({', '.join(_STAGED)}) FROM STDIN (FORMAT BINARY)",
                writer=QueuedLibpqWriter(cursor),
            )
        )
        self._copy.set_types(list(_TYPES))

    def __enter__(self) -> CopyBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        """End a COPY still open: normally, or (reading failed) by aborting it."""
        self._copy = None
        self._stream.__exit__(*exc)

    def flush(self) -> None:
        self._copy = None
        self._stream.close()
        if not self.staged:
            return
        self.staged = 0
        with connection.cursor() as cursor:
            self._repeated_in_chunk(cursor)
            if not self.errors:
                self._present_in_project(cursor)
            if not self.errors:
                cursor.execute(
                    f"INSERT INTO {self.table} (project_id, external_id, title, text, url, "
                    "published, meta, gold_status, created_at) "
                    "SELECT %s, external_id, title, text, url, published, meta, '', %s "
                    f"FROM {STAGING} ORDER BY line",
                    [self.project.pk, self.now],
                )
                self.result.created += cursor.rowcount
            cursor.execute(f"TRUNCATE {STAGING}")

    def _repeated_in_chunk(self, cursor) -> None:
        """An id on two lines of the chunk: skip the later one if the texts are the same."""
        cursor.execute(
            "SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY external_id) "
            f"AS first FROM {STAGING}) d WHERE line <> first ORDER BY line"
        )
        pairs = cursor.fetchall()
        if not pairs:
            return
        cursor.execute(
            "SELECT p.line, p.first, later.external_id, later.text = first.text "
            "FROM unnest(%s::int4[], %s::int4[]) AS p(line, first) "
            f"JOIN {STAGING} later ON later.line = p.line "
            f"JOIN {STAGING} first ON first.line = p.first ORDER BY p.line",
            [[line for line, _ in pairs], [first for _, first in pairs]],
        )
        same = []
        for line, first, key, unchanged in cursor.fetchall():
            if unchanged:
                same.append(line)
            else:
                self.errors.append(repeated_id(key, f"on line {first}", line))
        self._skip(cursor, same)

    def _present_in_project(self, cursor) -> None:
        """An id the project holds already: skipped with the same text, refused otherwise."""
        cursor.execute(
            "SELECT s.line, s.external_id, d.id > %s, d.text = s.text "
            f"FROM {STAGING} s CROSS JOIN LATERAL (SELECT id, text FROM {self.table} "
            "WHERE project_id = %s AND external_id = s.external_id LIMIT 1) d ORDER BY s.line",
            [self.before, self.project.pk],
        )
        same = []
        for line, key, this_import, unchanged in cursor.fetchall():
            if unchanged:
                same.append(line)
            elif this_import:
                self.errors.append(repeated_id(key, "earlier in the file", line))
            else:
                self.errors.append(changed_text(key, line))
        self._skip(cursor, same)

    def _skip(self, cursor, lines: list[int]) -> None:
        """Staged rows that repeat a document unchanged: counted, and left out of the insert."""
        if lines and not self.errors:
            cursor.execute(f"DELETE FROM {STAGING} WHERE line = ANY(%s)", [lines])
            self.result.skipped += len(lines)


def repeated_id(key: str, where: str, line: int) -> DomainError:
    return DomainError(
        f"id {key!r} already appears {where} with a different text", field="id", line=line
    )


def changed_text(key: str, line: int) -> DomainError:
    return DomainError(
        f"document {key!r} already exists with a different text (a document's text cannot "
        "change once imported)",
        field="text",
        line=line,
    )
