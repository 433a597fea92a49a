"""Training a project's own suggester on a worker; the held-out figures are the result."""

from __future__ import annotations

from typing import Any

from annotator.jobs.registry import Progress, job_kind
from annotator.models.job import Job
from annotator.services.training import summary, train_suggester


@job_kind("train_suggester", label="Suggester training", unit="steps")
def train_job(job: Job, progress: Progress) -> dict[str, Any]:
    suggester = train_suggester(
        job.project,
        user=job.owner,
        include_submitted=bool(job.params.get("include_submitted")),
        progress=progress,
    )
    result = summary(suggester)
    result["created_at"] = suggester.created_at.isoformat()
    return result
