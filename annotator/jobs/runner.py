"""Running one job on a worker: claim it, keep its lease, run its kind, settle its state.

``run_job`` is the one django-tasks task; the queue (django-tasks-db: workers take tasks
with SELECT ... FOR UPDATE SKIP LOCKED) hands it to some worker on some host. Every state
change is a conditional UPDATE on the job's row ("if it is still running as attempt N"),
so a worker whose lease was taken over, a cancelled job and a finished one never overwrite
each other. The kind's writes and the job's "done" are one transaction.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from annotator.jobs.registry import JobCancelled, get_kind
from annotator.models.job import Job, JobState
from annotator.services.errors import DomainError, ImportFailed

logger = logging.getLogger(__name__)
MAX_ERRORS_SHOWN = 50


class LeaseLost(Exception):
    """Another worker took the job over (our heartbeats stopped reaching the database)."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Heartbeat:
    """The job's progress reporter and lease keeper.

    The kind calls it with its progress; a thread with its own database connection writes
    that progress and renews the lease every JOBS_HEARTBEAT_SECONDS — outside the job's
    transaction, so people see it move — and reads back whether the job was cancelled.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = 0
        self.total: int | None = job.total
        self.cancelled = False
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{job.pk}", daemon=True)

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = done if self.total is None else min(done, self.total)
        self.check()

    def check(self) -> None:
        if self.lost:
            raise LeaseLost()
        if self.cancelled:
            raise JobCancelled()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = settings.JOBS_HEARTBEAT_SECONDS
        try:
            while not self._stop.wait(interval):
                try:
                    self.beat()
                except DatabaseError:  # SQLite busy with the job's own transaction, or a
                    # dropped connection: the next beat tries again on a fresh one
                    logger.debug("heartbeat of job %s postponed", self.job.pk)
                    connection.close()
        finally:
            connection.close()

    def beat(self) -> None:
        job = self.job
        renewed = Job.objects.filter(
            pk=job.pk, state=JobState.RUNNING, attempts=job.attempts
        ).update(heartbeat_at=timezone.now(), done=self.done, total=self.total)
        if not renewed:
            self.lost = True
            return
        flags = Job.objects.filter(pk__in=[job.pk, job.parent_id or job.pk])
        self.cancelled = any(flags.values_list("cancel_requested", flat=True))


def _claim(job_id: int, attempt: int) -> bool:
    """Queued → running for this attempt; a part of a stopped job is cancelled instead."""
    from annotator.services.jobs import part_changed

    now = timezone.now()
    with transaction.atomic():
        queued = Job.objects.filter(pk=job_id, state=JobState.QUEUED, attempts=attempt)
        stopped = queued.filter(parent__cancel_requested=True)
        if stopped.update(state=JobState.CANCELLED, finished_at=now, message="cancelled"):
            part_changed(Job.objects.get(pk=job_id), JobState.CANCELLED)
            return False
        claimed = queued.update(state=JobState.RUNNING, heartbeat_at=now, worker=worker_name())
        if claimed:
            Job.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
            parent_id = Job.objects.filter(pk=job_id).values_list("parent_id", flat=True)[0]
            if parent_id:
                Job.objects.filter(pk=parent_id, state=JobState.QUEUED).update(
                    state=JobState.RUNNING, started_at=now, heartbeat_at=now
                )
    return bool(claimed)


def end(job: Job, attempt: int, state: str, **fields: Any) -> bool:
    """Move a running attempt to a final state (or back to queued); False if it was not
    running as that attempt any more."""
    from annotator.services.jobs import part_changed

    now = timezone.now()
    if state != JobState.QUEUED:
        fields.setdefault("finished_at", now)
    with transaction.atomic():
        changed = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=attempt).update(
            state=state, heartbeat_at=now, **fields
        )
        if changed and job.parent_id:
            part_changed(job, state)
    return bool(changed)


def _errors(exc: DomainError) -> list[dict[str, Any]]:
    found = exc.errors if isinstance(exc, ImportFailed) else [exc]
    return [
        {"line": e.line, "field": e.field, "message": e.message} for e in found[:MAX_ERRORS_SHOWN]
    ]


def run(job_id: int, attempt: int) -> str:
    """Run attempt ``attempt`` of a job, unless it was cancelled or taken over meanwhile."""
    if not _claim(job_id, attempt):
        return "skipped"
    job = Job.objects.select_related("project", "owner").get(pk=job_id)
    kind = get_kind(job.kind)
    heartbeat = Heartbeat(job)
    heartbeat.start()
    try:
        with transaction.atomic():
            result = kind.run(job, heartbeat) or {}
            heartbeat.check()
            total = heartbeat.total if heartbeat.total is not None else heartbeat.done
            output = {f: getattr(job, f) for f in ("output_name", "output_type", "output_size")}
            done = {"result": result, "done": total, "total": total, **output}
            if not end(job, attempt, JobState.DONE, **done):
                raise LeaseLost()
    except JobCancelled:
        end(job, attempt, JobState.CANCELLED, message="cancelled; nothing was written")
    except LeaseLost:
        logger.warning(
            "job %s attempt %s was taken over; its writes were rolled back", job_id, attempt
        )
        return "lost"
    except DomainError as exc:
        end(job, attempt, JobState.FAILED, message=str(exc), errors=_errors(exc))
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        end(job, attempt, JobState.FAILED, message=f"internal error: {type(exc).__name__}: {exc}")
    finally:
        heartbeat.stop()
    return "finished"


@task()
def run_job(job_id: int, attempt: int) -> str:
    """The queue's one task: run a job (see the module's docstring)."""
    return run(job_id, attempt)
