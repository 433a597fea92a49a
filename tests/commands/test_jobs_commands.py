"""--enqueue on the long commands, and manage.py jobs to follow, cancel, retry, download."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Document, Job, JobState
from tests.jobs.conftest import jsonl, work

pytestmark = pytest.mark.django_db


def call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _job(output: str) -> Job:
    return Job.objects.get(pk=int(re.search(r"queued job (\d+)", output).group(1)))


def test_import_documents_enqueue_runs_on_a_worker(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(jsonl(20))
    job = _job(call("import_documents", project.slug, str(path), "--enqueue"))
    assert (job.kind, job.owner, job.input_name) == ("import_documents", None, "docs.jsonl")
    assert not Document.objects.exists()
    work()
    shown = call("jobs", "wait", str(job.pk))
    assert "done, 20/20 documents (created 20, skipped 0)" in shown
    assert Document.objects.count() == 20


def test_a_folder_of_txt_files_travels_as_json_lines(project, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "one.txt").write_text("First\r\ntext", encoding="utf-8")
    (folder / "two.txt").write_text("Second", encoding="utf-8")
    job = _job(call("import_documents", project.slug, str(folder), "--enqueue"))
    assert job.params == {"format": "jsonl"}
    work()
    assert Document.objects.get(external_id="one").text == "First\r\ntext"


def test_the_other_long_commands_enqueue_too(project, document, tmp_path):
    kinds = [
        _job(call("suggest", project.slug, "--enqueue")).kind,
        _job(call("export_jsonl", project.slug, "--per", "claim", "--enqueue")).kind,
        _job(call("agreement", project.slug, "--enqueue")).kind,
    ]
    export = tmp_path / "export.jsonl"
    export.write_bytes(b"")
    line = b'{"id": "seed", "text": "x", "annotations": []}\n'
    (tmp_path / "ann.jsonl").write_bytes(line)
    kinds.append(
        _job(
            call("import_annotations", project.slug, str(tmp_path / "ann.jsonl"), "--enqueue")
        ).kind
    )
    assert kinds == ["suggest", "export", "agreement", "import_annotations"]
    with pytest.raises(CommandError, match="jobs download"):
        call("export_jsonl", project.slug, "-o", str(export), "--enqueue")


def test_jobs_show_list_cancel_retry_and_download(project, document, tmp_path):
    job = _job(call("export_jsonl", project.slug, "--enqueue"))
    assert f"job {job.pk}: Export to a file in syria-2024, queued" in call("jobs", "list")
    call("jobs", "cancel", str(job.pk))
    with pytest.raises(CommandError, match="cancelled"):
        call("jobs", "wait", str(job.pk))
    call("jobs", "retry", str(job.pk))
    work()
    out = tmp_path / "file.jsonl"
    assert "wrote" in call("jobs", "download", str(job.pk), "-o", str(out))
    assert b'"id":"seed"' in out.read_bytes()
    assert call("jobs", "list", "--active") == ""
    with pytest.raises(CommandError, match="no job"):
        call("jobs", "show", "999999")


def test_a_failed_job_shows_its_lines(project, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(jsonl(2) + b"{}\n")
    job = _job(call("import_documents", project.slug, str(path), "--enqueue"))
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "line 3: missing 'id'" in call("jobs", "show", str(job.pk))


def test_prune_deletes_ended_jobs_with_their_files(project):
    from datetime import timedelta

    from django.utils import timezone

    from annotator.models import JobChunk

    old = _job(call("agreement", project.slug, "--enqueue"))
    work()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
    kept = _job(call("agreement", project.slug, "--enqueue"))
    assert "deleted 1 ended jobs" in call("jobs", "prune", "--days", "30")
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not JobChunk.objects.filter(job_id=old.pk).exists()
