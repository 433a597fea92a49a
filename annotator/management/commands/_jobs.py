"""``--enqueue`` for long commands: the same job the web pages and the API start."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.models import Job, Project
from annotator.services import jobs
from annotator.services.errors import DomainError
from annotator.services.records import read_txt


def add_enqueue_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--enqueue",
        action="store_true",
        help="run it as a background job on a worker (manage.py worker) instead of here",
    )


def _txt_folder_as_jsonl(path: Path):
    """A folder of .txt files travels as JSON Lines, one document per file."""
    for _, record in read_txt(path):
        if isinstance(record, DomainError):
            raise CommandError(f"{path}: {record}")
        yield orjson.dumps(record) + b"\n"


def _zip_folder(folder: Path, out: IO[bytes]) -> None:
    """A folder (brat files) travels as a zip of its files, hidden ones left out."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not any(part.startswith(".") for part in parts):
                archive.write(path, "/".join(parts))


def enqueue(
    command: BaseCommand,
    project: Project,
    kind: str,
    params: dict[str, Any],
    path: Path | None = None,
) -> Job:
    try:
        if path is None:
            job = jobs.enqueue(project, kind, params=params)
        elif path.is_dir() and kind == "import_documents":
            params = {**params, "format": "jsonl"}
            name = f"{path.name}.jsonl"
            job = jobs.enqueue(
                project, kind, params=params, input=_txt_folder_as_jsonl(path), input_name=name
            )
        elif path.is_dir():
            with tempfile.TemporaryFile() as archive:
                _zip_folder(path, archive)
                archive.seek(0)
                name = f"{path.name}.zip"
                job = jobs.enqueue(project, kind, params=params, input=archive, input_name=name)
        elif path.is_file():
            with path.open("rb") as stream:
                job = jobs.enqueue(project, kind, params=params, input=stream, input_name=path.name)
        else:
            raise CommandError(f"{path}: no such file")
    except DomainError as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(
        f"queued job {job.pk} ({jobs.get_kind(kind).label}); follow it with "
        f"`manage.py jobs wait {job.pk}` or on the project's Jobs page"
    )
    return job
