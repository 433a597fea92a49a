"""Export jobs: the project's JSONL written to a file that any app host can serve."""

from __future__ import annotations

from typing import Any

from annotator.jobs import files
from annotator.jobs.registry import Progress, job_kind
from annotator.models import Document, Role
from annotator.models.job import Job
from annotator.services.exporting import JsonlExport

EVERY = 500  # lines between progress reports


@job_kind("export", label="Export to a file", unit="lines", role=Role.REVIEWER)
def export_job(job: Job, progress: Progress) -> dict[str, Any]:
    # Read committed, not one snapshot as a streamed download: the job's transaction also
    # settles the job's row, which its heartbeats keep changing. A claim saved meanwhile may
    # or may not be in the file; the file is never half-written.
    params = job.params
    export = JsonlExport(
        job.project,
        per=params.get("per", "document"),
        statuses=frozenset(params["statuses"]) if params.get("statuses") else None,
        gold=bool(params.get("gold")),
    )
    plain = export.per == "document" and not export.statuses and not export.gold
    progress(0, Document.objects.filter(project=job.project).count() if plain else None)
    lines = 0
    with files.ChunkWriter(job, files.Stream.OUTPUT) as out:
        for lines, line in enumerate(export.lines(), 1):
            out.write(line)
            if lines % EVERY == 0:
                progress(lines)
    job.output_name, job.output_type, job.output_size = (
        export.filename,
        export.content_type,
        out.size,
    )
    progress(lines)
    return {"lines": lines, "bytes": out.size}
