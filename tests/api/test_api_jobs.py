"""Jobs over the API: large imports answer 202 with a job, jobs are followed, cancelled,
retried and downloaded, and nobody sees a job that is not theirs to see."""

from __future__ import annotations

import pytest

from annotator.models import Document, Job, JobState
from tests.jobs.conftest import jsonl, work

pytestmark = pytest.mark.django_db


def test_a_large_body_is_imported_by_a_worker(api, project, settings):
    settings.JOBS_INLINE_IMPORT_BYTES = 100
    answer = api("mia").post(
        f"/api/projects/{project.slug}/documents/",
        data=jsonl(30),
        content_type="application/x-ndjson",
    )
    assert answer.status_code == 202
    job = answer.json()
    assert answer["Location"] == job["url"] and job["url"].endswith(f"/api/jobs/{job['id']}/")
    assert (job["kind"], job["state"], job["owner"]) == ("import_documents", "queued", "mia")
    assert not Document.objects.exists()
    work()
    done = api("mia").get(f"/api/jobs/{job['id']}/").json()
    assert done["state"] == "done" and done["result"] == {"created": 30, "skipped": 0}
    assert done["progress"] == {"done": 30, "total": 30, "unit": "documents"}


def test_a_json_list_can_be_sent_to_the_background_with_its_errors_by_item(api, project):
    body = [{"id": "a", "text": "A."}, {"id": "b"}, "oops"]
    answer = api("mia").post(
        f"/api/projects/{project.slug}/documents/?background=true", body, format="json"
    )
    assert answer.status_code == 202
    work()
    job = api("mia").get(answer["Location"]).json()
    assert job["state"] == "failed"
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(2, "text"), (3, None)]
    assert not Document.objects.exists()


def test_small_bodies_are_still_imported_at_once(api, project):
    answer = api("mia").post(
        f"/api/projects/{project.slug}/documents/", {"id": "a", "text": "A."}, format="json"
    )
    assert answer.status_code == 201 and not Job.objects.exists()


def test_jobs_are_started_followed_and_downloaded(api, project, document):
    answer = api("rita").post(
        f"/api/projects/{project.slug}/jobs/",
        {"kind": "export", "params": {"per": "document"}},
        format="json",
    )
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    work()
    job = api("rita").get(f"/api/jobs/{job_id}/").json()
    assert job["state"] == "done" and job["download"].endswith(f"/api/jobs/{job_id}/download")
    file = api("rita").get(f"/api/jobs/{job_id}/download")
    assert b'"id":"seed"' in b"".join(file.streaming_content)
    listed = api("rita").get("/api/jobs/?state=done").json()
    assert [j["id"] for j in listed["results"]] == [job_id]


def test_starting_a_job_needs_the_right_role_and_a_known_kind(api, project):
    url = f"/api/projects/{project.slug}/jobs/"
    assert api("rita").post(url, {"kind": "suggest"}, format="json").status_code == 403
    assert api("alice").post(url, {"kind": "export"}, format="json").status_code == 403
    assert api("outsider").post(url, {"kind": "export"}, format="json").status_code == 404
    bad = api("mia").post(url, {"kind": "train"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    both = {"kind": "export", "params": {"gold": True, "status": "submitted"}}
    assert api("mia").post(url, both, format="json").status_code == 400
    assert api("mia").post(url, {"kind": "suggest"}, format="json").status_code == 202


def test_cancel_and_retry(api, project):
    job_id = (
        api("mia")
        .post(f"/api/projects/{project.slug}/jobs/", {"kind": "agreement"}, format="json")
        .json()["id"]
    )
    cancelled = api("mia").delete(f"/api/jobs/{job_id}/")
    assert cancelled.status_code == 202 and cancelled.json()["state"] == "cancelled"
    again = api("mia").delete(f"/api/jobs/{job_id}/")
    assert again.status_code == 400
    retried = api("mia").post(f"/api/jobs/{job_id}/retry/")
    assert retried.status_code == 202 and retried.json()["attempts"] == 2
    work()
    assert Job.objects.get(pk=job_id).state == JobState.DONE


def test_nobody_sees_a_job_that_is_not_theirs(api, project):
    job_id = (
        api("mia")
        .post(f"/api/projects/{project.slug}/jobs/", {"kind": "agreement"}, format="json")
        .json()["id"]
    )
    for name in ("rita", "alice", "outsider"):
        assert api(name).get(f"/api/jobs/{job_id}/").status_code == 404
        assert api(name).delete(f"/api/jobs/{job_id}/").status_code == 404
        assert api(name).get("/api/jobs/").json()["count"] == 0
    assert api(None).get("/api/jobs/").status_code == 401
