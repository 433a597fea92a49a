"""Long work as jobs: the kinds a worker runs (one module per concern) and the runner.

To add a kind: a function ``(job, progress) -> result`` decorated with ``@job_kind`` in a
module listed in ``KIND_MODULES``; start it with ``annotator.services.jobs.enqueue``.
"""

from annotator.jobs.registry import JobCancelled, Progress, job_kind, no_progress

KIND_MODULES = [
    "annotator.jobs.importing",
    "annotator.jobs.suggesting",
    "annotator.jobs.exporting",
    "annotator.jobs.agreement",
    "annotator.jobs.training",
]

__all__ = ["KIND_MODULES", "JobCancelled", "Progress", "job_kind", "no_progress"]
