"""GET /api/projects/{slug}/export.jsonl?format=brat|label-studio: the same export in other
formats, with the same access rules."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.api.conftest import add_claim

EXPORT = "/api/projects/syria-2024/export.jsonl"


@pytest.fixture
def annotated(document, alice):
    add_claim(alice, document)
    return document


def test_format_brat_gives_a_zip(api, annotated) -> None:
    response = api("mia").get(EXPORT + "?format=brat")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "alice/seed.ann" in archive.namelist()
        assert "\tContent " in archive.read("alice/seed.ann").decode()


def test_format_label_studio_gives_tasks(api, annotated) -> None:
    response = api("rita").get(EXPORT + "?format=label-studio")
    (task,) = json.loads(b"".join(response.streaming_content))
    assert task["data"]["id"] == "seed"


@pytest.mark.parametrize(
    ("query", "field"), [("?format=conll", "format"), ("?format=brat&per=claim", "per")]
)
def test_it_refuses_a_format_it_cannot_write(api, annotated, query, field) -> None:
    response = api("mia").get(EXPORT + query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("user", "status"), [("alice", 403), ("outsider", 404)])
def test_other_formats_keep_the_access_rules(api, annotated, user, status) -> None:
    assert api(user).get(EXPORT + "?format=brat").status_code == status
