"""A JSON list imported over the API is read item by item, batch by batch, all or nothing."""

from __future__ import annotations

import json

import pytest

from annotator.models import Document
from annotator.services import import_copy, importing

BATCH = 50


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", BATCH)
    monkeypatch.setattr(import_copy, "CHUNK", BATCH)  # PostgreSQL's COPY path


def test_a_json_list_over_the_api_is_read_item_by_item(api, project):
    """A list spanning several batches, with a bad item at the end: 400 naming the item,
    and nothing written, though earlier batches had been flushed."""
    items = [{"id": f"d-{n}", "text": f"Text {n} 🙂\r\n"} for n in range(3 * BATCH)]
    url = f"/api/projects/{project.slug}/documents/?background=false"
    bad = json.dumps([*items, {"id": "x"}]).encode()
    response = api("mia").post(url, bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 3 * BATCH + 1
    assert not Document.objects.exists()

    broken = json.dumps(items).encode()[:-40]
    response = api("mia").post(url, broken, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["line"] == 3 * BATCH and error["message"].startswith("invalid JSON (")
    assert not Document.objects.exists()

    response = api("mia").post(url, json.dumps(items).encode(), content_type="application/json")
    assert response.json() == {"created": 3 * BATCH, "skipped": 0}
    assert Document.objects.get(external_id="d-7").text == "Text 7 🙂\r\n"


def test_a_json_list_is_never_read_whole(api, project, settings):
    """Reading the whole body is what DATA_UPLOAD_MAX_MEMORY_SIZE guards; a list larger than
    it still imports, as it is read item by item."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    items = [{"id": f"d-{n}", "text": "An article. " * 20} for n in range(3 * BATCH)]
    body = json.dumps(items).encode()
    assert len(body) > 3 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    url = f"/api/projects/{project.slug}/documents/?background=false"
    response = api("mia").post(url, body, content_type="application/json")
    assert response.json() == {"created": 3 * BATCH, "skipped": 0}
