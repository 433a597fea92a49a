"""An import in the browser: the upload hands off to a job whose progress bar moves while a
worker imports, then shows done with its counts. PostgreSQL only: a worker beside the live
server needs its own database connection, which the suite's in-memory SQLite cannot give."""

from __future__ import annotations

import random
import threading
import time

import orjson
import pytest
from django.db import connection

from annotator.jobs import importing as import_jobs
from annotator.models import Document, Job, JobState
from tests.jobs.conftest import bench, work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a concurrent worker needs PostgreSQL"
    ),
]
DOCUMENTS = 6000


def _corpus() -> bytes:
    corpus = bench("corpus")
    rng = random.Random(1)
    return b"".join(orjson.dumps(corpus.article(rng, i)) + b"\n" for i in range(DOCUMENTS))


def test_an_imports_progress_bar_moves_to_done_and_shows_its_counts(
    login, live_server, project, settings, tmp_path, monkeypatch
):
    settings.JOBS_HEARTBEAT_SECONDS = 0.1
    # The import of 6,000 documents can finish between two refreshes of the page (a COPY on
    # PostgreSQL takes a fraction of a second), so the worker holds at its first step
    # until the page has shown it (or 30 s have passed, and the test fails below).
    shown_midway = threading.Event()
    unheld = import_jobs.counted

    def held(records, progress):
        def report(done, *rest):
            progress(done, *rest)
            if 0 < done < DOCUMENTS:
                shown_midway.wait(30)

        return unheld(records, report)

    monkeypatch.setattr(import_jobs, "counted", held)
    # A file on disk, not an in-memory buffer: the browser reads it itself, where a buffer
    # of this size would cross the DevTools pipe base64-encoded.
    upload = tmp_path / "corpus.jsonl"
    upload.write_bytes(_corpus())
    page = login("mia")
    page.goto(f"{live_server.url}/p/{project.slug}/import/")
    page.get_by_label("File", exact=True).set_input_files(upload)
    page.get_by_label("Import in the background").check()
    page.get_by_role("button", name="Import", exact=True).click()
    job = Job.objects.get()
    page.wait_for_url(f"{live_server.url}/jobs/{job.pk}/")
    page.get_by_text("waiting for a worker").wait_for()

    def worker() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    bar = page.get_by_role("progressbar", name=f"Progress of job {job.pk}")
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while not page.get_by_text("Done", exact=True).is_visible():
        assert time.monotonic() < deadline, f"the bar stayed at {sorted(seen)}"
        value = bar.get_attribute("value") if bar.count() else None
        if value is not None:
            seen.add(int(value))
            if 0 < int(value) < DOCUMENTS:
                shown_midway.set()
        time.sleep(0.05)
    thread.join()

    assert any(0 < v < DOCUMENTS for v in seen), f"the bar never moved: {sorted(seen)}"
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(DOCUMENTS)
    assert page.get_by_text(f"{DOCUMENTS} of {DOCUMENTS} documents").is_visible()
    assert page.locator(".job-result").inner_text() == f"{DOCUMENTS} created · 0 skipped"
    assert Job.objects.get().state == JobState.DONE
    assert Document.objects.filter(project=project).count() == DOCUMENTS
    # The panel stopped polling once the job was done, and nothing broke on the way.
    assert page.locator("#job-card[hx-trigger]").count() == 0
    assert page.js_errors == []
