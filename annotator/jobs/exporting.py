"""Export jobs: the project written to a file that any app host can serve — claims/1 JSON
Lines, a brat zip or Label Studio tasks."""

from __future__ import annotations

from typing import Any

from annotator import formats
from annotator.jobs import files
from annotator.jobs.registry import Progress, job_kind
from annotator.models import Document, Role
from annotator.models.job import Job
from annotator.services.errors import DomainError
from annotator.services.exporting import JsonlExport
from annotator.services.transfer import choose_format, write_export

EVERY = 500  # lines (or documents) between progress reports


@job_kind("export", label="Export to a file", unit="lines", role=Role.REVIEWER)
def export_job(job: Job, progress: Progress) -> dict[str, Any]:
    # Read committed, not one snapshot as a streamed download: the job's transaction also
    # settles the job's row, which its heartbeats keep changing. A claim saved meanwhile may
    # or may not be in the file; the file is never half-written.
    params = job.params
    fmt = formats.get(params.get("format") or "claims", writing=True)
    export = JsonlExport(
        job.project,
        per=params.get("per", "document"),
        statuses=frozenset(params["statuses"]) if params.get("statuses") else None,
        gold=bool(params.get("gold")),
    )
    if fmt.identifier != "claims":
        # One record per document, whatever the file holds.
        Job.objects.filter(pk=job.pk).update(unit="documents")
    plain = export.per == "document" and not export.statuses and not export.gold
    progress(0, Document.objects.filter(project=job.project).count() if plain else None)

    def counted(done: int, total: int | None = None) -> None:
        if done % EVERY == 0:
            progress(done)

    with files.ChunkWriter(job, files.Stream.OUTPUT) as out:
        written = write_export(export, fmt, out, progress=counted)
    if fmt.identifier == "claims":
        name, kind = export.filename, export.content_type
    else:
        name = f"{job.project.slug}{'-gold' if export.gold else ''}{fmt.extension}"
        kind = fmt.content_type
    job.output_name, job.output_type, job.output_size = name, kind, out.size
    progress(written)
    unit = "lines" if fmt.identifier == "claims" else "documents"
    return {"format": fmt.identifier, unit: written, "bytes": out.size}


def export_params(
    project: Any,
    fmt: str | None,
    *,
    per: str = "document",
    statuses: frozenset[str] | None = None,
    gold: bool = False,
) -> dict[str, Any]:
    """An export job's params, checked now rather than on the worker (DomainError)."""
    chosen = choose_format(None, fmt or "claims", writing=True)
    export = JsonlExport(project, per=per, statuses=statuses, gold=gold)
    if chosen.identifier != "claims" and export.per != "document":
        raise DomainError("per=claim is a claims/1 layout", field="per")
    return {
        "format": chosen.identifier,
        "per": export.per,
        "statuses": sorted(export.statuses or ()),
        "gold": export.gold,
    }
