"""Import cost follows batches, not documents: the queries per batch are fixed, and
duplicates across batches are found in the database rather than in a map of every id."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.models import Document
from annotator.services import import_copy, importing
from annotator.services.errors import ImportFailed
from annotator.services.importing import import_documents

BATCH = 50


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", BATCH)
    monkeypatch.setattr(import_copy, "CHUNK", BATCH)  # PostgreSQL's COPY path


def records(first: int, count: int, text: str = "Text of {n}."):
    for n in range(first, first + count):
        yield n - first + 1, {"id": f"d-{n}", "text": text.format(n=n)}


def queries_to_import(project, first: int, count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        import_documents(project, records(first, count), source="docs.jsonl")
    return len(captured)


def test_the_queries_are_a_fixed_number_per_batch(project):
    small = queries_to_import(project, 1, 2 * BATCH)
    large = queries_to_import(project, 10_001, 6 * BATCH)
    # SQLite: one SELECT of the batch's ids that exist, and one INSERT. PostgreSQL: ids
    # repeated in the staged chunk, ids present in the project, INSERT … SELECT, TRUNCATE
    # (the COPY into the staging table goes past Django's cursor and is not counted here).
    per_batch = 2 if connection.vendor == "sqlite" else 4
    assert large - small == 4 * per_batch
    # Savepoint, lock, high-water mark (and the staging table), the batches, release.
    assert small <= 6 + 2 * per_batch
    assert Document.objects.filter(project=project).count() == 8 * BATCH


def test_a_re_import_skips_everything_batch_by_batch(project):
    import_documents(project, records(1, 3 * BATCH), source="a.jsonl")
    result = import_documents(project, records(1, 3 * BATCH), source="a.jsonl")
    assert (result.created, result.skipped) == (0, 3 * BATCH)


def test_an_id_repeated_in_a_later_batch_is_found_in_the_database(project):
    lines = [*records(1, 2 * BATCH), (2 * BATCH + 1, {"id": "d-3", "text": "Text of 3."})]
    result = import_documents(project, iter(lines), source="a.jsonl")
    assert (result.created, result.skipped) == (2 * BATCH, 1)

    lines = [*records(1001, 2 * BATCH), (2 * BATCH + 1, {"id": "d-1003", "text": "Other."})]
    with pytest.raises(ImportFailed) as caught:
        import_documents(project, iter(lines), source="b.jsonl")
    error = caught.value.errors[0]
    assert error.line == 2 * BATCH + 1
    assert error.message == "id 'd-1003' already appears earlier in the file with a different text"
    assert not Document.objects.filter(external_id="d-1003").exists()


def test_an_id_already_in_the_project_is_told_apart_from_one_earlier_in_the_file(project):
    import_documents(project, records(1, 1), source="a.jsonl")
    lines = [*records(501, 2 * BATCH), (2 * BATCH + 1, {"id": "d-1", "text": "Changed."})]
    with pytest.raises(ImportFailed) as caught:
        import_documents(project, iter(lines), source="b.jsonl")
    assert "document 'd-1' already exists with a different text" in str(caught.value.errors[0])
    assert Document.objects.filter(project=project).count() == 1


def test_a_reader_that_breaks_mid_stream_leaves_nothing_and_the_connection_usable(project):
    """On PostgreSQL the documents are on their way through COPY when the reader fails: the
    stream is aborted, the import rolled back, and the connection serves the next one."""

    def broken():
        yield from records(1, 2 * BATCH + 10)
        raise RuntimeError("the upload was cut off")

    with pytest.raises(RuntimeError):
        import_documents(project, broken(), source="a.jsonl")
    assert not Document.objects.filter(project=project).exists()
    result = import_documents(project, records(1, 3), source="b.jsonl")
    assert (result.created, result.skipped) == (3, 0)
