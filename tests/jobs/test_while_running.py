"""A running job seen from outside: its progress moves, a cancel stops it, a worker that
lost its lease writes nothing. Real threads on PostgreSQL (on SQLite a running job holds
the one write lock, so nobody can cancel or take it over until it ends)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from annotator.jobs import job_kind
from annotator.models import Document, Job, JobState
from annotator.services import jobs
from tests.jobs.conftest import work

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]
STEPS = 400


@job_kind("test_slow", label="A slow test job", unit="steps")
def slow(job: Job, progress) -> dict:
    Document.objects.create(project=job.project, external_id=f"by-{job.pk}", text="x")
    for step in range(STEPS):
        progress(step, STEPS)
        time.sleep(0.02)
    return {"steps": STEPS}


@pytest.fixture
def fast_heartbeat(settings):
    settings.JOBS_HEARTBEAT_SECONDS = 0.05
    settings.JOBS_LEASE_SECONDS = 1


def _in_background(target) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for(job: Job, test, timeout: float = 20) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if test(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} stayed {job.state} at {job.done}/{job.total}")


def test_progress_shows_while_the_job_runs_and_cancel_writes_nothing(project, mia, fast_heartbeat):
    job = jobs.enqueue(project, "test_slow", owner=mia)
    worker = _in_background(work)
    _wait_for(job, lambda j: j.state == JobState.RUNNING and j.done > 10)
    assert job.total == STEPS and job.heartbeat_at is not None
    jobs.cancel(job)
    worker.join(timeout=20)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and "nothing was written" in job.message
    assert not Document.objects.filter(project=project).exists()


def test_a_worker_that_lost_its_lease_writes_nothing(project, mia, fast_heartbeat):
    job = jobs.enqueue(project, "test_slow", owner=mia)
    worker = _in_background(work)
    _wait_for(job, lambda j: j.done > 10)
    # What the lease keeper does when the heartbeats stop: the job is queued again.
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, attempts=2)
    worker.join(timeout=20)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and not Document.objects.exists()


def test_a_failing_part_stops_its_running_siblings(project, mia, fast_heartbeat):
    parent = Job.objects.create(project=project, owner=mia, kind="test_slow", total=2 * STEPS)
    parts = [
        Job.objects.create(project=project, parent=parent, kind="test_slow", total=STEPS)
        for _ in range(2)
    ]
    for part in parts:
        jobs._dispatch(part)
    worker = _in_background(work)
    running = _wait_for(parts[0], lambda j: j.done > 10)
    # The other part fails for good while the first is running: the first stops too.
    from annotator.jobs.runner import end

    Job.objects.filter(pk=parts[1].pk).update(state=JobState.RUNNING)
    assert end(parts[1], 1, JobState.FAILED, message="broken")
    worker.join(timeout=20)
    running.refresh_from_db()
    parent.refresh_from_db()
    assert running.state == JobState.CANCELLED
    assert parent.state == JobState.FAILED and parent.message == "broken"
    assert not Document.objects.exists()
