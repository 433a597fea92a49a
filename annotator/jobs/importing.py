"""Import jobs: documents, and annotations in our own format, from a stored file."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.jobs import files
from annotator.jobs.registry import Progress, job_kind
from annotator.models.job import Job
from annotator.services.annotations_import import import_annotations
from annotator.services.importing import import_documents
from annotator.services.records import open_records, read_json

EVERY = 500  # records between progress reports


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


@job_kind("import_annotations", label="Annotation import", unit="documents")
def import_annotations_job(job: Job, progress: Progress) -> dict[str, Any]:
    progress(0, count_records(job, "jsonl"))
    with (
        tempfile.TemporaryDirectory() as folder,
        open_records(input_file(job, folder), "jsonl") as (records, _),
    ):
        result = import_annotations(
            job.project,
            counted(records, progress),
            source=job.input_name,
            create_users=bool(job.params.get("create_users")),
            as_suggestions=bool(job.params.get("as_suggestions")),
        )
    return {
        "documents": result.documents,
        "claims": result.claims,
        "skipped": result.skipped,
        "users_created": result.users_created,
    }
