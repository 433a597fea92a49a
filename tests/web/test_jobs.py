"""Jobs pages: the import page hands large files to a worker, the jobs panel shows progress
bars and polls only while a job is active, cancel and retry, downloads, access."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import Document, Job, JobState
from annotator.services import jobs
from tests.jobs.conftest import import_job, jsonl, work

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_a_large_upload_becomes_a_job_and_the_page_hands_off_to_it(client, project, mia, settings):
    settings.JOBS_INLINE_IMPORT_BYTES = 1000
    upload = SimpleUploadedFile("big.jsonl", jsonl(50), "application/x-ndjson")
    answer = _client(client, mia).post(f"/p/{project.slug}/import/", {"file": upload})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.owner, job.input_name) == ("import_documents", mia, "big.jsonl")
    assert not Document.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    work()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-' in page and 'value="50"' in page
    assert "<strong>50</strong> created" in page and "every 1s" not in page
    assert Document.objects.count() == 50


def test_a_small_upload_is_imported_at_once_unless_sent_to_the_background(client, project, mia):
    _client(client, mia)
    small = SimpleUploadedFile("small.jsonl", jsonl(3))
    assert client.post(f"/p/{project.slug}/import/", {"file": small}).status_code == 302
    assert Document.objects.count() == 3 and not Job.objects.exists()
    again = SimpleUploadedFile("again.jsonl", jsonl(3, prefix="e"))
    client.post(f"/p/{project.slug}/import/", {"file": again, "background": "1"})
    assert Job.objects.get().input_name == "again.jsonl"


def test_a_refused_file_shows_its_lines_on_the_job_page(client, project, mia):
    upload = SimpleUploadedFile("bad.jsonl", jsonl(2) + b'{"id": "x"}\n')
    _client(client, mia).post(f"/p/{project.slug}/import/", {"file": upload, "background": "1"})
    work()
    page = client.get(f"/jobs/{Job.objects.get().pk}/").content.decode()
    assert "bad.jsonl was not imported" in page and "line 3: missing" in page
    assert "Retry job" in page


def test_annotations_are_imported_as_a_job(client, project, mia, document):
    line = (
        b'{"id": "seed", "text": ' + __import__("orjson").dumps(document.text) + b", "
        b'"annotations": [{"annotator": "alice", "claims": []}]}\n'
    )
    upload = SimpleUploadedFile("ann.jsonl", line)
    _client(client, mia).post(f"/p/{project.slug}/import/", {"file": upload, "background": "1"})
    job = Job.objects.get()
    work()
    job.refresh_from_db()
    assert (job.kind, job.state) == ("import_annotations", JobState.DONE)


def test_the_panel_lists_jobs_and_polls_only_while_one_is_active(client, project, mia):
    job = import_job(project, mia, jsonl(5))
    _client(client, mia)
    panel = client.get(f"/p/{project.slug}/jobs/", headers={"HX-Request": "true"})
    text = panel.content.decode()
    assert text.lstrip().startswith('<section id="jobs-panel"') and "every 1s" in text
    assert "<html" not in text
    work()
    text = client.get(f"/p/{project.slug}/jobs/", headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in text and "Document import of corpus.jsonl" in text
    assert f"/jobs/{job.pk}/" in client.get("/jobs/").content.decode()


def test_the_dashboard_shows_running_jobs(client, project, mia):
    job = import_job(project, mia, jsonl(5))
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=2, total=5)
    page = _client(client, mia).get(f"/p/{project.slug}/").content.decode()
    assert "Running jobs" in page and 'value="2"' in page and "2 of 5 documents" in page
    assert f"/p/{project.slug}/jobs/?active=1" in page


def test_cancel_and_retry_from_the_page(client, project, mia):
    job = import_job(project, mia, jsonl(5))
    _client(client, mia)
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 2)


def test_a_background_export_is_downloaded_from_its_job(client, project, rita, document):
    _client(client, rita)
    answer = client.post(f"/p/{project.slug}/jobs/start/", {"kind": "export", "per": "claim"})
    job = Job.objects.get()
    assert answer["Location"] == f"/jobs/{job.pk}/" and job.params["per"] == "claim"
    work()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="syria-2024-claims.jsonl"'
    assert b"".join(download.streaming_content) == b""  # no claims yet: an empty file


def test_only_managers_start_suggestion_runs(client, project, rita, mia):
    assert (
        _client(client, rita)
        .post(f"/p/{project.slug}/jobs/start/", {"kind": "suggest"})
        .status_code
        == 403
    )
    client.logout()
    _client(client, mia).post(f"/p/{project.slug}/jobs/start/", {"kind": "suggest"})
    assert Job.objects.get(parent=None).kind == "suggest"


def test_the_agreement_of_a_large_project_comes_from_a_job(
    client, project, rita, document, settings
):
    settings.JOBS_INLINE_AGREEMENT = 0
    _client(client, rita)
    page = client.get(f"/p/{project.slug}/agreement/").content.decode()
    assert "computed in the background" in page and "Claim span F1" not in page
    client.post(f"/p/{project.slug}/jobs/start/", {"kind": "agreement"})
    work()
    page = client.get(f"/p/{project.slug}/agreement/").content.decode()
    assert "Claim span F1" in page and f"Computed by job {Job.objects.get().pk}" in page


def test_people_reach_only_the_jobs_they_may_see(client, project, mia, alice, outsider):
    job = import_job(project, mia, jsonl(5))
    for user in (alice, outsider):
        _client(client, user)
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
        assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
        assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
        client.logout()
    assert _client(client, outsider).get(f"/p/{project.slug}/jobs/").status_code == 404


def test_a_reviewer_cannot_cancel_a_managers_job(client, project, mia, rita):
    job = jobs.enqueue(project, "agreement", owner=mia)
    Job.objects.filter(pk=job.pk).update(owner=None)
    _client(client, rita)
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404  # not visible to her
    mine = jobs.enqueue(project, "agreement", owner=rita)
    assert client.post(f"/jobs/{mine.pk}/cancel/").status_code == 302


def test_uploads_keep_their_bytes(project, mia):
    body = jsonl(10)
    job = jobs.enqueue(project, "import_documents", owner=mia, input=io.BytesIO(body))
    assert b"".join(c.data for c in job.chunks.order_by("seq")) == body
