"""POST /api/projects/{slug}/annotations/?format=…: annotations in any format into a
project (managers), inline or, for a large body, as a job; all or nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from annotator.models import Assignment, Claim, Document, Job, JobState
from tests.jobs.conftest import work

URL = "/api/projects/syria-2024/annotations/"
DATA = Path(__file__).resolve().parent.parent / "data"


def brat_zip(extra: str = "") -> bytes:
    folder = DATA / "polnear-shaped" / "dev"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*.*")):
            data = path.read_text(encoding="utf-8")
            if path.name.endswith("_aaaa.ann"):
                data += extra
            archive.writestr(path.relative_to(folder).as_posix(), data)
    return buffer.getvalue()


def post(client, body: bytes, query: str, content_type: str = "application/zip"):
    return client.post(f"{URL}?{query}", data=body, content_type=content_type)


def test_a_brat_zip_is_imported_with_its_counts(api, project) -> None:
    response = post(api("mia"), brat_zip(), "format=brat&create_users=true")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "documents": 1,
        "claims": 5,
        "skipped": 0,
        "users_created": 2,
        "reviews": 0,
        "left_out": [],
    }
    assert Assignment.objects.get(annotator__username="bbbb").extras["brat"]["marks"]
    again = post(api("mia"), brat_zip(), "format=brat")
    assert (again.json()["claims"], again.json()["skipped"]) == (0, 5)


@pytest.mark.parametrize(
    ("path", "query", "content_type", "claims"),
    [
        (DATA / "label-studio" / "export.json", "format=label-studio", "application/json", 3),
        (DATA / "label-studio" / "export.json", "", "application/json", 3),  # recognised
        (DATA / "doccano" / "alice.jsonl", "format=doccano&annotator=alice", "text/plain", 2),
    ],
)
def test_label_studio_and_doccano_bodies(api, project, path, query, content_type, claims):
    response = post(api("mia"), path.read_bytes(), f"{query}&create_users=1", content_type)
    assert response.status_code == 201, response.json()
    assert response.json()["claims"] == claims == Claim.objects.count()


def test_a_claims_export_goes_back_in(api, project, document, alice) -> None:
    from tests.api.conftest import add_claim

    add_claim(alice, document)
    exported = b"".join(api("mia").get("/api/projects/syria-2024/export.jsonl").streaming_content)
    Claim.objects.all().delete()
    response = post(api("mia"), exported, "format=claims", "application/x-ndjson")
    assert response.status_code == 201, response.json()
    assert (response.json()["claims"], Claim.objects.count()) == (1, 1)


def test_a_bad_file_is_refused_naming_file_and_line_and_nothing_is_written(api, project):
    response = post(api("mia"), brat_zip("stray words\n"), "format=brat&create_users=true")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["message"].endswith("_aaaa.ann line 17: not an annotation line: 'stray words'")
    assert not Document.objects.exists() and not Claim.objects.exists()


def test_unknown_formats_unreadable_bodies_and_flags_are_refused(api, project) -> None:
    assert post(api("mia"), b"x", "format=conll").json() == {
        "format": ["unknown format 'conll'; use one of claims, brat, label-studio, doccano"]
    }
    assert post(api("mia"), b"PK\x03\x04junk", "format=brat").status_code == 400
    assert post(api("mia"), b"hello", "").status_code == 400  # no format it looks like
    assert post(api("mia"), b"x", "format=brat&create_users=maybe").status_code == 400
    assert not Document.objects.exists()


@pytest.mark.parametrize(("user", "code"), [("rita", 403), ("alice", 403), ("outsider", 404)])
def test_only_managers_import(api, project, user, code) -> None:
    assert post(api(user), brat_zip(), "format=brat&create_users=1").status_code == code
    assert not Document.objects.exists()


def test_a_large_body_is_imported_by_a_worker(api, project, settings) -> None:
    settings.JOBS_INLINE_IMPORT_BYTES = 1000
    response = post(api("mia"), brat_zip(), "format=brat&create_users=true")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert response["Location"].endswith(f"/api/jobs/{job.pk}/")
    assert (job.kind, job.input_name, job.params["format"]) == (
        "import_annotations",
        "annotations.zip",
        "brat",
    )
    assert not Document.objects.exists()
    work()
    body = api("mia").get(f"/api/jobs/{job.pk}/").json()
    assert body["state"] == JobState.DONE and body["result"]["claims"] == 5
    assert Claim.objects.count() == 5


def test_background_true_sends_even_a_small_body_to_a_worker(api, project) -> None:
    path = DATA / "label-studio" / "export.json"
    response = post(api("mia"), path.read_bytes(), "background=true&create_users=1")
    assert response.status_code == 202
    work()
    assert Job.objects.get().result["claims"] == 3


def test_export_jobs_take_a_format_through_the_api(api, project, document) -> None:
    body = {"kind": "export", "params": {"format": "brat"}}
    response = api("rita").post("/api/projects/syria-2024/jobs/", body, format="json")
    assert response.status_code == 202
    work()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.state, job.output_name) == (JobState.DONE, "syria-2024-brat.zip")
    download = api("rita").get(f"/api/jobs/{job.pk}/download")
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    refused = api("rita").post(
        "/api/projects/syria-2024/jobs/",
        {"kind": "export", "params": {"format": "conll"}},
        format="json",
    )
    assert refused.status_code == 400


def test_the_schema_documents_the_endpoint(api) -> None:
    schema = api("mia").get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/projects/{slug}/annotations/"]["post"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"format", "annotator", "create_users", "background"} <= names
    assert set(operation["responses"]) >= {"201", "202", "400", "403", "404"}
    assert "application/zip" in operation["requestBody"]["content"]
