"""The job service and runner: imports, suggestion runs in parts, exports, agreement,
cancel, retry, and what happens to a job whose worker stops renewing its lease."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotator.jobs import files
from annotator.jobs.runner import _claim
from annotator.models import Document, Job, JobState, Suggestion
from annotator.services import jobs
from annotator.services.exporting import JsonlExport
from tests.jobs.conftest import import_job, jsonl, work

pytestmark = pytest.mark.django_db


def test_an_import_job_imports_the_file_and_counts_it(project, mia):
    job = import_job(project, mia, jsonl(1200))
    assert job.state == JobState.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    work()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.result == {"created": 1200, "skipped": 0}
    assert (job.done, job.total, job.unit) == (1200, 1200, "documents")
    assert job.started_at and job.finished_at and job.worker
    assert Document.objects.filter(project=project).count() == 1200


def test_a_bad_file_fails_with_its_lines_and_writes_nothing(project, mia):
    body = jsonl(1500) + b'{"id": "x"}\nnot json\n'
    job = import_job(project, mia, body, name="bad.jsonl")
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert [e["line"] for e in job.errors] == [1501, 1502]
    assert "missing 'text'" in job.errors[0]["message"]
    assert job.message.startswith("bad.jsonl: line 1501")
    assert not Document.objects.filter(project=project).exists()


def test_a_csv_import_counts_its_rows(project, mia):
    body = b'id,text,source\r\na,"First,\r\nline",x\r\nb,Second,y\r\n'
    job = import_job(project, mia, body, name="c.csv", format="csv")
    work()
    job.refresh_from_db()
    assert (job.state, job.total, job.result["created"]) == (JobState.DONE, 2, 2)
    assert Document.objects.get(project=project, external_id="a").text == "First,\r\nline"


def test_a_cancelled_queued_job_never_runs(project, mia):
    job = import_job(project, mia, jsonl(10))
    jobs.cancel(job)
    work()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.finished_at
    assert not Document.objects.exists()


def test_an_ended_job_cannot_be_cancelled_but_can_be_retried(project, mia):
    job = import_job(project, mia, jsonl(5) + b"oops\n")
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    with pytest.raises(jobs.DomainError):
        jobs.cancel(job)
    jobs.retry(job)
    assert (job.state, job.attempts, job.errors) == (JobState.QUEUED, 2, [])
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED  # the same file fails the same way
    with pytest.raises(jobs.DomainError):
        jobs.retry(import_job(project, mia, jsonl(1)))  # queued: nothing to retry


def test_a_job_whose_lease_ran_out_is_queued_again_then_failed(project, mia, settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = import_job(project, mia, jsonl(10))
    assert _claim(job.pk, 1)  # a worker took it, then died without a word
    task = DBTaskResult.objects.get(id=job.task_id)
    task.status = "RUNNING"
    task.save()
    later = timezone.now() + timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)
    assert jobs.reap(timezone.now()) == 0  # the lease still holds
    assert jobs.reap(later) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 2)
    assert DBTaskResult.objects.get(id=task.id).status == "FAILED"
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"

    assert _claim(job.pk, 2)
    assert not _claim(job.pk, 1)  # the old attempt's task can no longer take it
    assert jobs.reap(later + timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)) == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "stopped responding 2 times; nothing was written" in job.message
    work()  # the stale task finds nothing to do
    assert not Document.objects.exists()


def test_a_suggestion_run_is_split_into_parts_that_add_up(project, mia, settings):
    import_job(project, mia, jsonl(450))
    work()
    job = jobs.enqueue(project, "suggest", owner=mia)
    parts = list(job.parts.order_by("id"))
    assert [p.total for p in parts] == [200, 200, 50] and job.total == 450
    work()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 450
    made = Suggestion.objects.filter(document__project=project).count()
    assert made >= 450 and job.result == {"documents": 450, "suggestions": made}
    assert not jobs.visible_jobs(mia).filter(parent__isnull=False).exists()


def test_a_failed_part_fails_the_run_and_retry_reruns_only_what_is_left(project, mia):
    import_job(project, mia, jsonl(450))
    work()
    job = jobs.enqueue(project, "suggest", owner=mia)
    first, second, _ = job.parts.order_by("id")
    # The middle part breaks (bad params): it fails, and the last one never starts.
    Job.objects.filter(pk=second.pk).update(params={"ids": "not a list", "total": 200})
    work()
    job.refresh_from_db()
    states = list(job.parts.order_by("id").values_list("state", flat=True))
    assert states == [JobState.DONE, JobState.FAILED, JobState.CANCELLED]
    assert job.state == JobState.FAILED and "internal error" in job.message
    Job.objects.filter(pk=second.pk).update(params={"ids": [], "total": 0})
    jobs.retry(job)
    first.refresh_from_db()
    assert first.attempts == 1  # done parts are kept
    work()
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_cancelling_a_run_cancels_its_queued_parts(project, mia):
    import_job(project, mia, jsonl(450))
    work()
    job = jobs.cancel(jobs.enqueue(project, "suggest", owner=mia))
    assert job.state == JobState.CANCELLED
    assert set(job.parts.values_list("state", flat=True)) == {JobState.CANCELLED}


def test_an_export_job_keeps_the_file_for_download(project, mia, document):
    job = jobs.enqueue(project, "export", owner=mia, params={"per": "document"})
    work()
    job.refresh_from_db()
    expected = b"".join(JsonlExport(project).lines())
    assert job.state == JobState.DONE and job.output_name == "syria-2024.jsonl"
    assert b"".join(files.chunks(job, files.Stream.OUTPUT)) == expected
    assert job.output_size == len(expected) and job.result["lines"] == 1


def test_an_agreement_job_returns_the_figures(project, rita, document):
    job = jobs.enqueue(project, "agreement", owner=rita)
    work()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.result["agreement"]["project"] == "syria-2024"
    assert orjson.loads(orjson.dumps(job.result)) == job.result


def test_large_inputs_are_stored_in_chunks(project, mia, settings):
    body = jsonl(4000)  # > 1 MB
    job = import_job(project, mia, body)
    assert job.chunks.count() == len(body) // files.CHUNK_SIZE + 1
    with files.open_input(job) as stream:
        assert stream.read() == body


def test_people_see_their_own_jobs_and_managers_their_projects(project, mia, rita, alice):
    mine = jobs.enqueue(project, "agreement", owner=rita)
    theirs = import_job(project, mia, jsonl(1))
    cli = import_job(project, None, jsonl(1))
    assert set(jobs.visible_jobs(rita)) == {mine}
    assert set(jobs.visible_jobs(mia)) == {mine, theirs, cli}
    assert not jobs.visible_jobs(alice).exists()
    assert jobs.can_manage(mia, mine) and not jobs.can_manage(rita, theirs)
