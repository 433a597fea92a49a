"""The export streams: its memory and its query count follow chunks, not the project's size."""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Iterable

import pytest

from annotator.models import Assignment, Claim, Document
from annotator.services import exporting
from annotator.services.exporting import JsonlExport

CHUNK = 100  # a small chunk so that a few hundred documents make several of them
N = 300
FILLER = "The envoy said talks were constructive. " * 50  # ~2,000 characters


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK", CHUNK)


def add_documents(project, annotator, first: int, count: int) -> None:
    """Documents with two claims each, written in bulk (no history, no checks: fast)."""
    documents = Document.objects.bulk_create(
        Document(project=project, external_id=f"doc-{n}", text=f"Article {n}. {FILLER}")
        for n in range(first, first + count)
    )
    Assignment.objects.bulk_create(
        Assignment(document=d, annotator=annotator, status="submitted") for d in documents
    )
    Claim.objects.bulk_create(
        Claim(
            document=d,
            annotator=annotator,
            claim_start=start,
            claim_end=start + 17,
            cue_start=start - 5,
            cue_end=start - 1,
            stance="support",
        )
        for d in documents
        for start in (d.text.index("talks"), d.text.rindex("talks"))
    )


def consume(lines: Iterable[bytes]) -> int:
    """A sink that keeps nothing but a count, as a file or an HTTP response would."""
    count = 0
    for line in lines:
        count += len(line) > 0
    return count


def peak_memory(export: JsonlExport) -> tuple[int, int]:
    """(lines written, peak bytes allocated while writing them)."""
    tracemalloc.start()
    try:
        count = consume(export.lines())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_export_memory_does_not_grow_with_the_project(project, alice):
    add_documents(project, alice, 0, N)
    small = {per: peak_memory(JsonlExport(project, per=per)) for per in ("document", "claim")}
    add_documents(project, alice, N, 3 * N)
    large = {per: peak_memory(JsonlExport(project, per=per)) for per in ("document", "claim")}
    assert small["document"][0] == N
    assert large["document"][0] == 4 * N
    assert small["claim"][0] == 2 * N
    assert large["claim"][0] == 8 * N
    for per in ("document", "claim"):
        # Four times the documents; the peak stays that of one chunk (plus noise).
        small_peak, large_peak = small[per][1], large[per][1]
        assert large_peak < 1.5 * small_peak + 256 * 1024, (per, small_peak, large_peak)


@pytest.mark.parametrize("per", ["document", "claim"])
def test_export_queries_grow_with_chunks_not_documents(
    project, alice, per, django_assert_max_num_queries
):
    add_documents(project, alice, 0, 2 * N)
    chunks = math.ceil(2 * N / CHUNK)
    # Entities, the document cursor, users once; then assignments, reviews and claims per chunk.
    with django_assert_max_num_queries(3 + 3 * chunks):
        assert consume(JsonlExport(project, per=per).lines()) >= 2 * N


def test_the_export_of_a_few_documents_needs_a_handful_of_queries(
    project, alice, django_assert_max_num_queries
):
    add_documents(project, alice, 0, 3)
    with django_assert_max_num_queries(6):
        assert consume(JsonlExport(project).lines()) == 3
