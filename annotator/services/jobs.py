"""Jobs: start one, see them, cancel, retry, and take back the ones whose worker died.

The command line, the web pages and the API all start jobs through ``enqueue``. The job row
and its queue task are written in one transaction (django-tasks-db keeps its queue in the
same database), so a job is never queued without a task to run it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from annotator.jobs import files
from annotator.jobs.registry import get_kind
from annotator.jobs.runner import run_job
from annotator.models import Membership, Project, Role
from annotator.models.job import ACTIVE_STATES, Job, JobState
from annotator.services.access import Access, access_to
from annotator.services.errors import DomainError

FINAL_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


def _dispatch(job: Job) -> None:
    """Put the job's current attempt on the queue (inside the caller's transaction)."""
    task = run_job.using(priority=get_kind(job.kind).priority)
    job.task_id = str(task.enqueue(job.pk, job.attempts).id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def require_role(access: Access, kind: str) -> None:
    role = get_kind(kind).role
    if role == Role.MANAGER:
        access.require_manager()
    elif role == Role.REVIEWER:
        access.require_reviewer()


@transaction.atomic
def enqueue(
    project: Project,
    kind: str,
    *,
    owner: AbstractBaseUser | None = None,
    params: dict[str, Any] | None = None,
    input: IO[bytes] | Iterable[bytes] | None = None,
    input_name: str = "",
) -> Job:
    """Start a job; faces check the user's role first (``require_role``)."""
    spec = get_kind(kind)
    job = Job.objects.create(
        project=project,
        owner=owner,
        kind=kind,
        params=params or {},
        unit=spec.unit,
        input_name=input_name,
        max_attempts=settings.JOBS_MAX_ATTEMPTS,
    )
    if input is not None:
        pieces = (
            iter(lambda: input.read(files.CHUNK_SIZE), b"") if hasattr(input, "read") else input
        )
        files.store(job, files.Stream.INPUT, pieces)
    if spec.plan is None:
        _dispatch(job)
        return job
    parts = spec.plan(job)
    if not parts:
        Job.objects.filter(pk=job.pk).update(
            state=JobState.DONE, total=0, finished_at=timezone.now()
        )
    for part_params in parts:
        part = Job.objects.create(
            project=project,
            owner=owner,
            parent=job,
            kind=kind,
            params=part_params,
            unit=spec.unit,
            total=part_params.get("total"),
            max_attempts=settings.JOBS_MAX_ATTEMPTS,
        )
        _dispatch(part)
    job.refresh_from_db()
    return job


# Seeing jobs -------------------------------------------------------------------------------


def visible_jobs(user: AbstractBaseUser, project: Project | None = None) -> QuerySet[Job]:
    """Jobs the user may see: their own, and every job of the projects they manage."""
    jobs = Job.objects.filter(parent__isnull=True).select_related("project", "owner")
    if project is not None:
        jobs = jobs.filter(project=project)
    if user.is_superuser:
        return jobs
    managed = Membership.objects.filter(user=user, role=Role.MANAGER).values("project_id")
    return jobs.filter(Q(owner=user) | Q(project__in=managed))


def job_for(user: AbstractBaseUser, job_id: int) -> Job:
    """A job the user may see, or Http404."""
    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None or not user.is_active:
        raise Http404("No such job.")
    return job


def can_manage(user: AbstractBaseUser, job: Job) -> bool:
    """Cancel and retry: the owner, or a manager of the project."""
    if job.owner_id == user.pk:
        return True
    try:
        return access_to(user, job.project).is_manager
    except Http404:
        return False


# Changing jobs -----------------------------------------------------------------------------


def cancel(job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop (its worker rolls back)."""
    if job.state not in ACTIVE_STATES:
        raise DomainError(f"this job is already {job.state}", code="not_active")
    now = timezone.now()
    # Separate statements, never two row locks at once: a worker locks a part, then its
    # parent; cancelling locks the parent, then (later) its parts.
    Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.CANCELLED, finished_at=now, message="cancelled before it started"
    )
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(cancel_requested=True)
    if job.parts.exists():
        job.parts.filter(state=JobState.QUEUED).update(
            state=JobState.CANCELLED, finished_at=now, message="cancelled before it started"
        )
        with transaction.atomic():
            settle_parent(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def retry(job: Job) -> Job:
    """Run a failed or cancelled job again, from the start (its input is kept)."""
    if job.state not in (JobState.FAILED, JobState.CANCELLED):
        raise DomainError("only a failed or cancelled job can be retried", code="not_final")
    again = {
        "state": JobState.QUEUED,
        "cancel_requested": False,
        "message": "",
        "errors": [],
        "finished_at": None,
        "heartbeat_at": None,
    }
    budget = settings.JOBS_MAX_ATTEMPTS - 1
    parts = list(job.parts.exclude(state=JobState.DONE))
    for part in parts if parts else [job]:
        attempts = part.attempts + 1
        Job.objects.filter(pk=part.pk).update(
            **again, done=0, attempts=attempts, max_attempts=attempts + budget
        )
        part.attempts = attempts
        _dispatch(part)
    if parts:
        Job.objects.filter(pk=job.pk).update(**again)
        settle_parent(job.pk)
    job.refresh_from_db()
    return job


def settle_parent(parent_id: int) -> None:
    """After a part changed: the parent's progress, and its end once no part is active.
    Call inside a transaction; the parent's row lock orders parts finishing together."""
    parent = Job.objects.select_for_update().get(pk=parent_id)
    parts = Job.objects.filter(parent_id=parent_id)
    states = set(parts.values_list("state", flat=True))
    update: dict[str, Any] = {"done": parts.aggregate(n=Sum("done"))["n"] or 0}
    if parent.total is not None:
        update["done"] = min(update["done"], parent.total)
    if not states & set(ACTIVE_STATES):
        if states <= {JobState.DONE}:
            update["state"] = JobState.DONE
        elif JobState.FAILED in states:
            update["state"] = JobState.FAILED
            failed = parts.filter(state=JobState.FAILED).exclude(message="").first()
            update["message"] = failed.message if failed else "a part failed"
            update["errors"] = failed.errors if failed else []
        else:
            update["state"] = JobState.CANCELLED
            update["message"] = "cancelled"
        update["finished_at"] = timezone.now()
        update["result"] = _sum_results(parts.filter(state=JobState.DONE))
    Job.objects.filter(pk=parent_id).update(**update)


def part_changed(part: Job, state: str) -> None:
    """A part reached ``state`` (inside its transaction): a failed part stops the rest of
    its job (running parts see the flag, queued ones never start); the parent settles."""
    if state == JobState.FAILED:
        Job.objects.filter(pk=part.parent_id).update(cancel_requested=True)
    settle_parent(part.parent_id)


def _sum_results(parts: QuerySet[Job]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for result in parts.values_list("result", flat=True):
        for key, value in (result or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return total


def prune(days: int) -> int:
    """Delete ended jobs older than ``days`` days, with their parts and files."""
    cutoff = timezone.now() - timedelta(days=days)
    old = Job.objects.filter(parent__isnull=True, state__in=FINAL_STATES, finished_at__lt=cutoff)
    return old.delete()[1].get("annotator.Job", 0)


# Leases ------------------------------------------------------------------------------------


def reap(now: Any = None) -> int:
    """Take back running jobs whose worker stopped renewing its lease (killed, host lost):
    queue them again while they have attempts left, else fail them. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    lost = Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff, parts__isnull=True)
    taken = 0
    for job in lost.select_related("parent"):
        cancelled = job.cancel_requested or (job.parent is not None and job.parent.cancel_requested)
        old_task = job.task_id
        with transaction.atomic():
            still_lost = Job.objects.filter(
                pk=job.pk, state=JobState.RUNNING, attempts=job.attempts, heartbeat_at__lt=cutoff
            )
            if cancelled:
                changed = still_lost.update(
                    state=JobState.CANCELLED, finished_at=now, message="cancelled"
                )
            elif job.attempts < job.max_attempts:
                changed = still_lost.update(
                    state=JobState.QUEUED, attempts=job.attempts + 1, done=0, heartbeat_at=None
                )
                if changed:
                    job.attempts += 1
                    _dispatch(job)
            else:
                changed = still_lost.update(
                    state=JobState.FAILED,
                    finished_at=now,
                    message=f"its worker ({job.worker}) stopped responding "
                    f"{job.attempts} times; nothing was written",
                )
            if changed and job.parent_id:
                part_changed(job, Job.objects.values_list("state", flat=True).get(pk=job.pk))
            if changed:
                _forget_task(old_task)
            taken += changed
    return taken


def _forget_task(task_id: str) -> None:
    """django-tasks-db leaves a killed worker's task "running" for ever; say it failed."""
    from django_tasks_db.models import DBTaskResult

    if task_id:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="annotator.jobs.LeaseExpired",
            traceback="the worker stopped renewing the job's lease",
        )
