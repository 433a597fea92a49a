"""Annotations in and out in any registered format (annotator.formats): the one workflow
the command, the web pages, the API and jobs share.

Reading turns a format's records into the claims/1 import (all or nothing per file, errors
naming file and line); writing feeds the claims/1 export to a format's writer a document at
a time, so memory stays flat. Both take an optional ``progress(done, total)`` callback, so
a background job can report how far it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from annotator import formats
from annotator.formats import Bundle, Format, FormatError, Notice, Record, exact_json
from annotator.formats.base import Where
from annotator.formats.bundles import open_upload
from annotator.models import Project
from annotator.services.annotations_import import (
    AnnotationImportResult,
    Progress,
    import_annotations,
)
from annotator.services.errors import DomainError
from annotator.services.exporting import JsonlExport
from annotator.services.records import FORMATS as DOCUMENT_FORMATS
from annotator.services.records import guess_format

PREVIEW_CLAIMS = 50


@dataclass
class Imported:
    result: AnnotationImportResult
    notices: list[Notice] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.result.empty

    def __str__(self) -> str:
        left = f"; {len(self.notices)} things left out (listed)" if self.notices else ""
        return f"{self.result}{left}"


def choose_format(
    bundle: Bundle | None, identifier: str | None, *, writing: bool = False
) -> Format:
    """The named format, or the one the files look like."""
    try:
        if identifier or bundle is None:
            return formats.get(identifier or "", writing=writing)
        return formats.detect(bundle)
    except FormatError as exc:
        raise DomainError(str(exc), field="format") from None


def _read(fmt: Format, bundle: Bundle, options: dict[str, Any]) -> formats.Reading:
    try:
        return fmt.read(bundle, **options)
    except FormatError as exc:
        raise DomainError(str(exc), field="file") from None


def _as_domain(
    records: Iterable[tuple[Where, Record | FormatError]], gold_by: str | None
) -> Iterator[tuple[Where, Record | DomainError]]:
    for where, record in records:
        if isinstance(record, FormatError):
            if isinstance(where, int):
                yield where, DomainError(record.message, line=where)
            else:
                yield where, DomainError(str(record))
            continue
        gold = record.get("gold")
        if gold_by and gold and not gold.get("adjudicators"):
            gold["adjudicators"] = [gold_by]
        yield where, record


def import_file(
    project: Project,
    bundle: Bundle,
    fmt: Format,
    *,
    source: str,
    create_users: bool = False,
    as_suggestions: bool = False,
    gold_by: str | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Import a file (or folder, or zip) in ``fmt``; ImportFailed writes nothing."""
    reading = _read(fmt, bundle, options or {})
    result = import_annotations(
        project,
        _as_domain(reading.records, gold_by),
        source=source,
        create_users=create_users,
        as_suggestions=as_suggestions,
        progress=progress,
    )
    return Imported(result, reading.notices)


@dataclass
class Preview:
    """The first document of an upload, as it would be imported, before anything is."""

    format: Format
    record: Record | None
    error: str | None = None
    notices: list[Notice] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """(annotator, claim, speaker, cue, stance, target) as shown, for the first claims
        of the first document."""
        if not self.record:
            return []
        found = [
            (s.get("annotator") or "?", c)
            for s in self.record.get("annotations") or []
            for c in s.get("claims") or []
        ]
        gold = self.record.get("gold") or {}
        found += [("gold", c) for c in gold.get("claims") or []]
        return [
            (
                who,
                *(_shown(c.get(r)) for r in ("claim", "speaker", "cue")),
                c.get("stance") or "—",
                _shown(c.get("target")),
            )
            for who, c in found[:PREVIEW_CLAIMS]
            if isinstance(c, dict)
        ]


def _shown(span: object) -> str:
    """A span as a reader sees it: its text, its pieces joined by " … ", or its entity."""
    if not isinstance(span, dict):
        return "—"
    if span.get("fragments"):
        return " … ".join(f"“{f.get('text')}”" for f in span["fragments"])
    if span.get("text"):
        return f"“{span['text']}”"
    return span.get("entity") or "—"


def preview_file(bundle: Bundle, fmt: Format, options: dict[str, Any] | None = None) -> Preview:
    """Read an upload up to its first document; nothing is written."""
    reading = _read(fmt, bundle, options or {})
    first = next(islice(reading.records, 1), None)
    if first is None:
        return Preview(fmt, None, "the file holds no document")
    _, record = first
    if isinstance(record, FormatError):
        return Preview(fmt, None, str(record), reading.notices)
    return Preview(fmt, record, None, reading.notices)


def export_records(export: JsonlExport) -> Iterator[Record]:
    """The claims/1 export as records, a document at a time."""
    for line in export.lines():
        yield exact_json.loads(line)


def write_export(
    export: JsonlExport,
    fmt: Format,
    out: IO[bytes],
    *,
    options: dict[str, Any] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Write the export in ``fmt`` to a binary stream; returns the documents written."""
    count = 0
    scheme = export.project.parsed_scheme
    extra = {"stances": scheme.stance_labels, "attributes": scheme.attributes, **(options or {})}

    def counted(items: Iterable[Any]) -> Iterator[Any]:
        nonlocal count
        for item in items:
            yield item
            count += 1
            if progress is not None:
                progress(count, None)

    if fmt.identifier == "claims":
        # Our own format: the export's bytes as they are.
        for line in counted(export.lines()):
            out.write(line)
    else:
        fmt.write(counted(export_records(export)), out, **extra)
    return count


# --- uploads (the import page) ----------------------------------------------------------

DOCUMENTS = "documents"
ANNOTATIONS = "annotations"


@dataclass
class Upload:
    """An uploaded file and what it holds: plain documents, or annotations in a format."""

    name: str
    stream: IO[bytes]
    kind: str
    format: str
    bundle: Bundle | None = None


def identify_upload(name: str, stream: IO[bytes], chosen: str | None) -> Upload:
    """What an upload is: the chosen format, else the annotation format its content shows,
    else documents by the file name (JSON Lines, CSV or text)."""
    if chosen in DOCUMENT_FORMATS:
        return Upload(name, stream, DOCUMENTS, chosen)  # type: ignore[arg-type]
    try:
        bundle = open_upload(name, stream)
    except FormatError as exc:
        raise DomainError(f"{name}: {exc}", field="file") from None
    if chosen:
        return Upload(name, stream, ANNOTATIONS, choose_format(bundle, chosen).identifier, bundle)
    try:
        fmt = formats.detect(bundle)
    except FormatError:
        return Upload(name, stream, DOCUMENTS, guess_format(name))
    return Upload(name, stream, ANNOTATIONS, fmt.identifier, bundle)
