"""The import page with annotation formats (recognised from the upload, previewed before
anything is written) and the export page's formats."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.models import Assignment, Claim, Document
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from tests.conftest import SEED_TEXT, span

DATA = Path(__file__).resolve().parent.parent / "data"
HX = {"HX-Request": "true"}


@pytest.fixture
def mia_client(client, mia):
    client.force_login(mia)
    return client


def brat_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (DATA / "polnear-shaped" / "dev").rglob("*.*"):
            archive.write(path, path.relative_to(DATA / "polnear-shaped").as_posix())
    return buffer.getvalue()


def test_a_preview_shows_the_first_documents_claims_and_writes_nothing(mia_client, project):
    body = {"file": SimpleUploadedFile("corpus.zip", brat_zip()), "action": "preview"}
    response = mia_client.post(reverse("import", args=[project.slug]), body, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('\n<section id="preview"')  # the fragment only
    assert "brat standoff" in html
    assert "gazette_2016-09-01_mayor-says-bridge" in html
    assert "“will reopen next week,” … “and it will be safe.”" in html
    assert "Nothing has been imported yet." in html
    assert not Document.objects.exists() and not Claim.objects.exists()


def test_an_upload_in_a_peer_format_is_recognised_and_imported(mia_client, project):
    body = {"file": SimpleUploadedFile("corpus.zip", brat_zip()), "create_users": "1"}
    response = mia_client.post(reverse("import", args=[project.slug]), body, follow=True)
    assert "1 documents added, 5 claims imported" in response.content.decode()
    assert Claim.objects.count() == 5
    # A mark that is no claim is kept with its annotator's set, for the brat export.
    kept = Assignment.objects.get(annotator__username="aaaa").extras
    assert kept == {"brat": {"marks": [{"label": "Discard", "fragments": [[225, 244]]}]}}


def test_unknown_annotators_refuse_the_upload_unless_created(mia_client, project):
    body = {
        "file": SimpleUploadedFile(
            "export.json", (DATA / "label-studio" / "export.json").read_bytes()
        )
    }
    response = mia_client.post(reverse("import", args=[project.slug]), body)
    assert "unknown annotator &#x27;ana@example.org&#x27;" in response.content.decode()
    assert not Document.objects.exists()


def test_a_preview_of_a_broken_file_names_the_problem(mia_client, project):
    tasks = json.loads((DATA / "label-studio" / "export.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][0]["value"]["labels"] = ["Opinion"]
    body = {"file": SimpleUploadedFile("ls.json", json.dumps(tasks).encode()), "action": "preview"}
    html = mia_client.post(
        reverse("import", args=[project.slug]), body, headers=HX
    ).content.decode()
    assert "unknown label &#x27;Opinion&#x27;" in html


def test_plain_documents_still_import_directly(mia_client, project):
    body = {"file": SimpleUploadedFile("docs.jsonl", b'{"id": "a", "text": "A text."}\n')}
    response = mia_client.post(reverse("import", args=[project.slug]), body)
    assert response.status_code == 302
    assert Document.objects.get().external_id == "a"


@pytest.fixture
def annotated(project, document, alice):
    create_claim(
        access_to(alice, project),
        document,
        {
            "claim": {
                "fragments": [span(SEED_TEXT, "lost control"), span(SEED_TEXT, "of Aleppo", 2504)]
            }
        },
    )
    return project


def download(client, project, **params):
    response = client.get(reverse("export", args=[project.slug]), {"download": "1", **params})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_export_page_offers_every_writable_format(mia_client, project):
    html = mia_client.get(reverse("export", args=[project.slug])).content.decode()
    for identifier in ("claims", "brat", "label-studio"):
        assert f'name="format" value="{identifier}"' in html


def test_it_downloads_a_brat_zip_brat_can_open(mia_client, annotated):
    response, body = download(mia_client, annotated, format="brat")
    assert response["Content-Disposition"] == 'attachment; filename="syria-2024-brat.zip"'
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = set(archive.namelist())
        assert {"annotation.conf", "alice/seed.txt", "alice/seed.ann"} <= names
        ann = archive.read("alice/seed.ann").decode()
    first, second = span(SEED_TEXT, "lost control"), span(SEED_TEXT, "of Aleppo", 2504)
    assert f"Content {first['start']} {first['end']};{second['start']} {second['end']}" in ann


def test_it_downloads_label_studio_tasks(mia_client, annotated):
    response, body = download(mia_client, annotated, format="label-studio")
    assert response["Content-Type"] == "application/json"
    (task,) = json.loads(body)
    assert task["data"]["id"] == "seed"
    assert [p["model_version"] for p in task["predictions"]] == ["alice"]
