"""Suggestion runs: the detector over a project, in parts that several workers share."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from annotator.jobs.registry import Progress, job_kind
from annotator.models.job import Job
from annotator.services.suggestions import document_ids, suggest_documents

STEP = 20  # documents between progress reports


def plan(job: Job) -> list[dict[str, Any]]:
    """One part per JOBS_SUGGEST_PART documents; the parent counts them all."""
    ids = document_ids(job.project, job.params.get("documents"))
    Job.objects.filter(pk=job.pk).update(total=len(ids))
    size = settings.JOBS_SUGGEST_PART
    return [
        {"ids": ids[start : start + size], "total": len(ids[start : start + size])}
        for start in range(0, len(ids), size)
    ]


# Bulk work: an import or an export started meanwhile waits for one part, not for the run.
@job_kind("suggest", label="Suggestion run", unit="documents", plan=plan, priority=-10)
def suggest_part(job: Job, progress: Progress) -> dict[str, Any]:
    ids: list[int] = job.params["ids"]
    made = 0
    for start in range(0, len(ids), STEP):
        made += suggest_documents(job.project, ids[start : start + STEP])
        progress(min(start + STEP, len(ids)))
    return {"documents": len(ids), "suggestions": made}
