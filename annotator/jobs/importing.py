"""Import jobs: documents, and annotations in any format, from a stored file."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from annotator import formats
from annotator.formats.bundles import open_path
from annotator.jobs import files
from annotator.jobs.registry import Progress, job_kind
from annotator.models.job import Job
from annotator.services.errors import DomainError
from annotator.services.importing import import_documents
from annotator.services.records import open_records, read_json
from annotator.services.transfer import choose_format, import_file

EVERY = 500  # records between progress reports
MAX_NOTICES = 50  # what an annotation import left out, listed in its result


def count_records(job: Job, fmt: str) -> int | None:
    """How many records the stored file holds (one fast pass), for the progress bar."""
    if fmt == "txt":
        return 1
    with files.open_input(job) as stream:
        if fmt == "csv":
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            try:
                return max(sum(1 for _ in csv.reader(text)) - 1, 0)
            except (csv.Error, UnicodeDecodeError):
                return None  # the import itself reports where
        return sum(1 for line in stream if line.strip())


def counted(records: Iterable[Any], progress: Progress) -> Iterator[Any]:
    """Pass records through, reporting how many were read."""
    n = 0
    for n, record in enumerate(records, 1):
        if n % EVERY == 0:
            progress(n)
        yield record
    progress(n)


def input_file(job: Job, folder: str) -> Path:
    """The stored input as a file on this worker, under its original name."""
    path = Path(folder) / (Path(job.input_name).name or "input")
    with path.open("wb") as out:
        for chunk in files.chunks(job, files.Stream.INPUT):
            out.write(chunk)
    return path


def json_records(job: Job) -> Iterator[tuple[int, Any]]:
    """A JSON body (one object or a list) as the API received it, read item by item."""
    with files.open_input(job) as stream:
        yield from read_json(stream)


@job_kind("import_documents", label="Document import", unit="documents")
def import_documents_job(job: Job, progress: Progress) -> dict[str, Any]:
    fmt = job.params.get("format") or "jsonl"
    if fmt == "json":
        # Counting a list's items would parse it twice: its total stays unknown.
        progress(0, None)
        records = json_records(job)
        result = import_documents(job.project, counted(records, progress), source=job.input_name)
        return {"created": result.created, "skipped": result.skipped}
    progress(0, count_records(job, fmt))
    with (
        tempfile.TemporaryDirectory() as folder,
        open_records(input_file(job, folder), fmt) as (records, _),
    ):
        result = import_documents(job.project, counted(records, progress), source=job.input_name)
    return {"created": result.created, "skipped": result.skipped}


def annotation_params(
    fmt: str | None,
    *,
    create_users: bool = False,
    as_suggestions: bool = False,
    gold_by: str | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An annotation import job's params: the format and what the reader takes (annotator,
    label map, metadata), as the command, the import page and the API give them."""
    return {
        "format": fmt,
        "create_users": create_users,
        "as_suggestions": as_suggestions,
        "gold_by": gold_by,
        "options": options or {},
    }


def _documents_in(bundle: formats.Bundle, fmt: str) -> int | None:
    """How many documents a brat upload holds (its texts), for the progress bar."""
    if fmt != "brat":
        return None
    return len({PurePosixPath(name).stem for name in bundle.names() if name.endswith(".txt")})


@job_kind("import_annotations", label="Annotation import", unit="documents")
def import_annotations_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Any format: claims/1 JSON Lines, a brat zip, a Label Studio or doccano export."""
    params = job.params
    with tempfile.TemporaryDirectory() as folder:
        try:
            bundle = open_path(input_file(job, folder))
        except formats.FormatError as exc:
            raise DomainError(str(exc), field="file") from None
        # No format given (an API body): the one the file looks like.
        fmt = choose_format(bundle, params.get("format"))
        if fmt.identifier == "claims":
            total = count_records(job, "jsonl")
        else:
            total = _documents_in(bundle, fmt.identifier)
        progress(0, total)
        imported = import_file(
            job.project,
            bundle,
            fmt,
            source=job.input_name,
            create_users=bool(params.get("create_users")),
            as_suggestions=bool(params.get("as_suggestions")),
            gold_by=params.get("gold_by") or None,
            options=params.get("options") or {},
            progress=lambda done, _: progress(done),
        )
        progress(imported.result.lines)
    result = imported.result
    return {
        "documents": result.documents,
        "claims": result.claims,
        "skipped": result.skipped,
        "users_created": result.users_created,
        "left_out": len(imported.notices),
        "notices": [str(n) for n in imported.notices[:MAX_NOTICES]],
    }
