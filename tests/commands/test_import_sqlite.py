"""The SQLite path of a document import: its work per batch does not grow with the project,
a late error leaves nothing, and the connection settings it relies on."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from annotator.models import Document
from annotator.services import importing
from annotator.services.errors import ImportFailed
from annotator.services.importing import import_documents
from annotator.services.records import read_jsonl

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's import path")

BATCH = 50


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", BATCH)


def records(first: int, count: int):
    for n in range(first, first + count):
        yield n - first + 1, {"id": f"d-{n}", "text": f"Text of {n}."}


def sqlite_steps(project, first: int, count: int) -> int:
    """How many virtual-machine instructions (in thousands) SQLite runs for an import."""
    raw = connection.connection
    steps = 0

    def count_steps() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    raw.set_progress_handler(count_steps, 1000)
    try:
        import_documents(project, records(first, count), source="docs.jsonl")
    finally:
        raw.set_progress_handler(None, 0)
    return steps


def test_the_work_per_batch_does_not_grow_with_the_project(project):
    """Two batches cost the same in a project of 0 or 4,000 documents. (Asked for in id order,
    the duplicate lookup had SQLite walk every document of the project, once per batch.)"""
    empty = sqlite_steps(project, 1, 2 * BATCH)
    import_documents(project, records(100_000, 4000), source="big.jsonl")
    full = sqlite_steps(project, 10_001, 2 * BATCH)
    assert full < 1.5 * empty, (empty, full)


def test_a_bad_line_late_in_a_large_file_leaves_nothing(project, tmp_path):
    """Twenty batches are written inside the transaction before the last line fails."""
    lines = [f'{{"id": "d-{n}", "text": "Text of {n}."}}' for n in range(1, 20 * BATCH + 1)]
    lines.append('{"id": "late"}')
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught, path.open("rb") as stream:
        import_documents(project, read_jsonl(stream), source=path.name)
    error = caught.value.errors[0]
    assert (error.line, error.field) == (20 * BATCH + 1, "text")
    assert not Document.objects.filter(project=project).exists()


def test_a_fresh_connection_uses_wal_and_keeps_commits_durable(db, tmp_path):
    """WAL lets pages be read while an import holds the write transaction for minutes;
    synchronous stays NORMAL (never OFF), so a checkpoint still syncs committed data."""
    configured = {**connection.settings_dict, "NAME": str(tmp_path / "app.sqlite3")}
    wrapper = DatabaseWrapper(configured, alias="pragma-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()


def test_a_new_database_packs_several_articles_to_a_page(db, tmp_path):
    """16 KB pages (a 3 KB article alone filled a 4 KB one) and a page cache sized to match;
    a database made before keeps its own page size (SQLite fixes it when the file is made)."""
    made = str(tmp_path / "new.sqlite3")
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": made}, alias="pages")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x text)")
            cursor.execute("PRAGMA page_size")
            assert cursor.fetchone()[0] == 16384
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -16384  # KiB
    finally:
        wrapper.close()
    old = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(old)
    raw.execute("PRAGMA page_size=4096")
    raw.execute("CREATE TABLE t (x text)")
    raw.close()
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(old)}, alias="pages")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")  # still readable, pages unchanged
            cursor.execute("PRAGMA page_size")
            assert cursor.fetchone()[0] == 4096
    finally:
        wrapper.close()
