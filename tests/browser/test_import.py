"""A manager uploads a brat zip in a real browser: Preview shows the first document's claims
without importing; Import then imports it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.models import Claim
from tests.browser.conftest import settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "polnear-shaped"


def test_preview_then_import_a_brat_zip(login, live_server, project, tmp_path):
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (FIXTURE / "dev").rglob("*.*"):
            z.write(path, path.relative_to(FIXTURE).as_posix())
    page = login("mia")
    page.goto(f"{live_server.url}/p/{project.slug}/import/")
    page.get_by_label("File", exact=True).set_input_files(str(archive))
    page.get_by_label("Create unknown annotators as inactive accounts").check()
    page.get_by_role("button", name="Preview the first document").click()
    preview = page.locator("#preview")
    preview.get_by_text("Nothing has been imported yet.").wait_for()
    settled(page)
    assert "“will reopen next week,” … “and it will be safe.”" in preview.inner_text()
    assert not Claim.objects.exists()
    # The file is still chosen: Import sends it again.
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("1 documents added, 5 claims imported").wait_for()
    assert Claim.objects.count() == 5
    assert page.js_errors == []  # type: ignore[attr-defined]
