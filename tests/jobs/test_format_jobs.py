"""Formats as jobs: brat (zip), Label Studio and doccano imports, brat and Label Studio
exports to a file — each run by a worker, all or nothing, started from the command line
(--enqueue), the import and export pages and the API."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from annotator.jobs import files
from annotator.jobs.importing import annotation_params
from annotator.models import Assignment, Claim, Document, Job, JobState
from annotator.services import jobs
from tests.jobs.conftest import work

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
BRAT = DATA / "polnear-shaped"


def brat_zip(folder: Path = BRAT / "dev") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*.*")):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def annotation_job(project, owner, body: bytes, name: str, fmt: str | None, **options) -> Job:
    params = annotation_params(fmt, create_users=True, options=options)
    return jobs.enqueue(
        project,
        "import_annotations",
        owner=owner,
        params=params,
        input=io.BytesIO(body),
        input_name=name,
    )


def finished(job: Job) -> Job:
    work()
    job.refresh_from_db()
    return job


def test_a_brat_zip_is_imported_by_a_worker_with_its_marks(project, mia):
    job = finished(annotation_job(project, mia, brat_zip(), "corpus.zip", "brat"))
    assert job.state == JobState.DONE, job.message
    assert (job.result["documents"], job.result["claims"], job.result["left_out"]) == (1, 5, 0)
    assert (job.done, job.total, job.unit) == (1, 1, "documents")
    assert Claim.objects.filter(document__project=project).count() == 5
    marks = Assignment.objects.get(annotator__username="aaaa").extras["brat"]["marks"]
    assert marks == [{"label": "Discard", "fragments": [[225, 244]]}]


def test_a_brat_zip_with_a_stray_line_fails_naming_it_and_writes_nothing(project, mia, tmp_path):
    corpus = tmp_path / "dev"
    shutil.copytree(BRAT / "dev", corpus)
    ann = next((corpus / "attributions").glob("*_aaaa.ann"))
    ann.write_text(ann.read_text(encoding="utf-8") + "stray words\n", encoding="utf-8")
    job = finished(annotation_job(project, mia, brat_zip(corpus), "corpus.zip", "brat"))
    assert job.state == JobState.FAILED
    assert "_aaaa.ann line 17: not an annotation line: 'stray words'" in job.message
    assert not Document.objects.filter(project=project).exists()
    assert not Claim.objects.exists() and not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("path", "fmt", "claims"),
    [
        (DATA / "label-studio" / "export.json", "label-studio", 3),
        (DATA / "doccano" / "alice.jsonl", "doccano", 2),
        (DATA / "label-studio" / "export.json", None, 3),  # recognised by the worker
    ],
)
def test_label_studio_and_doccano_exports_are_imported_by_a_worker(project, mia, path, fmt, claims):
    options = {"annotator": "alice"} if fmt == "doccano" else {}
    job = finished(annotation_job(project, mia, path.read_bytes(), path.name, fmt, **options))
    assert job.state == JobState.DONE, job.message
    assert job.result["claims"] == claims
    assert Claim.objects.filter(document__project=project).count() == claims


def test_a_cancelled_annotation_import_writes_nothing(project, mia):
    job = annotation_job(project, mia, brat_zip(), "corpus.zip", "brat")
    jobs.cancel(job)
    job = finished(job)
    assert job.state == JobState.CANCELLED
    assert not Document.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("fmt", "name", "kind"),
    [("brat", "syria-2024-brat.zip", "application/zip"), ("label-studio", None, None)],
)
def test_an_export_job_writes_brat_or_label_studio_files(project, mia, fmt, name, kind):
    imported = finished(annotation_job(project, mia, brat_zip(), "corpus.zip", "brat"))
    assert imported.state == JobState.DONE
    job = finished(jobs.enqueue(project, "export", owner=mia, params={"format": fmt}))
    assert job.state == JobState.DONE, job.message
    assert (job.result["format"], job.result["documents"], job.unit) == (fmt, 1, "documents")
    data = b"".join(files.chunks(job, files.Stream.OUTPUT))
    assert job.output_size == len(data)
    if fmt == "brat":
        assert (job.output_name, job.output_type) == (name, kind)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            ann = archive.read("aaaa/gazette_2016-09-01_mayor-says-bridge.ann").decode()
        assert "Discard 225 244\tRead the rest here." in ann  # kept marks come back
    else:
        (task,) = json.loads(data)
        assert task["data"]["id"] == "gazette_2016-09-01_mayor-says-bridge"


def test_the_commands_enqueue_brat_folders_and_exports(project, tmp_path):
    out = StringIO()
    call_command(
        "import_annotations",
        project.slug,
        str(BRAT / "dev"),
        "--format",
        "brat",
        "--create-users",
        "--metadata",
        str(BRAT / "metadata.tsv"),
        "--enqueue",
        stdout=out,
    )
    job = Job.objects.get(kind="import_annotations")
    assert (job.input_name, job.params["format"]) == ("dev.zip", "brat")
    assert f"queued job {job.pk}" in out.getvalue()
    assert not Document.objects.exists()  # nothing until a worker runs it
    assert finished(job).state == JobState.DONE
    assert Document.objects.get(project=project).published == "2016-09-01"  # --metadata
    call_command("export_jsonl", project.slug, "--format", "brat", "--enqueue", stdout=StringIO())
    export = finished(Job.objects.get(kind="export"))
    assert (export.state, export.output_name) == (JobState.DONE, "syria-2024-brat.zip")


def test_the_import_page_hands_a_brat_zip_to_a_worker(client, project, mia):
    client.force_login(mia)
    upload = SimpleUploadedFile("corpus.zip", brat_zip())
    body = {"file": upload, "background": "1", "create_users": "1", "action": "import"}
    response = client.post(reverse("import", args=[project.slug]), body)
    job = Job.objects.get(kind="import_annotations")
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.params["format"] == "brat" and job.input_name == "corpus.zip"
    assert finished(job).result["claims"] == 5


def test_large_uploads_of_any_format_go_to_a_worker(client, project, mia, settings):
    settings.JOBS_INLINE_IMPORT_BYTES = 100
    client.force_login(mia)
    path = DATA / "label-studio" / "export.json"
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    body = {"file": upload, "create_users": "1", "action": "import"}
    client.post(reverse("import", args=[project.slug]), body)
    job = Job.objects.get(kind="import_annotations")
    assert job.params["format"] == "label-studio"
    assert not Claim.objects.exists()
    assert finished(job).result["claims"] == 3


def test_the_export_page_starts_brat_exports_and_agreement_jobs(client, project, rita):
    client.force_login(rita)
    page = client.get(reverse("export", args=[project.slug])).content.decode()
    assert 'name="format"' in page and "Compute the agreement in the background" in page
    start = reverse("job-start", args=[project.slug])
    client.post(start, {"kind": "export", "format": "brat"})
    client.post(start, {"kind": "agreement"})
    export = finished(Job.objects.get(kind="export"))
    assert (export.params["format"], export.output_name) == ("brat", "syria-2024-brat.zip")
    assert finished(Job.objects.get(kind="agreement")).state == JobState.DONE
    refused = client.post(start, {"kind": "export", "format": "brat", "per": "claim"})
    assert refused.status_code == 302
    assert Job.objects.filter(kind="export").count() == 1


def test_an_annotation_import_cancelled_after_a_document_writes_nothing(project, mia, monkeypatch):
    from annotator.jobs.runner import Heartbeat

    report = Heartbeat.__call__

    def cancelled_once_a_document_is_in(self, done, total=None):
        if done >= 1:
            assert Document.objects.filter(project=project).exists()  # written, not committed
            self.cancelled = True
        report(self, done, total)

    monkeypatch.setattr(Heartbeat, "__call__", cancelled_once_a_document_is_in)
    job = finished(annotation_job(project, mia, brat_zip(), "corpus.zip", "brat"))
    assert job.state == JobState.CANCELLED
    assert not Document.objects.filter(project=project).exists()
    assert not Claim.objects.exists() and not Assignment.objects.exists()
