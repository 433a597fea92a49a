"""Agreement over a large project, computed by a worker; the figures are the result."""

from __future__ import annotations

from typing import Any

from annotator.jobs.registry import Progress, job_kind
from annotator.models import Role
from annotator.models.job import Job
from annotator.services.agreement import project_agreement


@job_kind("agreement", label="Agreement", role=Role.REVIEWER)
def agreement_job(job: Job, progress: Progress) -> dict[str, Any]:
    figures = project_agreement(job.project)
    progress(figures["documents"], figures["documents"])
    return {"documents": figures["documents"], "agreement": figures}
