"""The PostgreSQL path of a document import: finding the chunk's ids in the project stays a
probe of the unique index per staged row, however many documents the project (and this very
import, whose rows no statistics know yet) holds."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from annotator.models import Document
from annotator.services import import_copy
from annotator.services.importing import import_documents

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's import path"
)

CHUNK = 200


def records(first: int, count: int):
    for n in range(first, first + count):
        yield n - first + 1, {"id": f"d-{n}", "text": f"Text of {n}."}


def reads_of_documents(plan: dict) -> list[str]:
    """How each node of a plan reads the documents table (not the INSERT's target)."""
    found = []
    if plan.get("Relation Name") == Document._meta.db_table and plan["Node Type"] != "ModifyTable":
        found.append(f"{plan['Node Type']} {plan.get('Index Name', '')}".strip())
    for child in plan.get("Plans", ()):
        found += reads_of_documents(child)
    return found


def test_the_lookup_probes_the_unique_index_whatever_the_project_holds(project, monkeypatch):
    monkeypatch.setattr(import_copy, "CHUNK", CHUNK)
    # Thousands of documents written in this transaction: no statistics know of them.
    Document.objects.bulk_create(
        Document(project=project, external_id=f"old-{n}", text=f"Old {n}.") for n in range(5000)
    )
    reads = []

    def explain(execute, sql, params, many, context):
        if (
            Document._meta.db_table in sql
            and import_copy.STAGING in sql
            and not sql.startswith("EXPLAIN")
        ):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                reads.extend(reads_of_documents(json.loads(cursor.fetchone()[0])[0]["Plan"]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        result = import_documents(project, records(1, 3 * CHUNK), source="docs.jsonl")
        again = import_documents(project, records(1, 3 * CHUNK), source="docs.jsonl")
    assert (result.created, again.skipped, again.created) == (3 * CHUNK, 3 * CHUNK, 0)
    # Each chunk's lookup, in both imports, is an index probe per staged row: no hash or
    # sequential scan of every document of the project, rebuilt at each chunk.
    assert reads and set(reads) == {"Index Scan unique_external_id_per_project"}
