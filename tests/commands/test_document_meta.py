"""A document's ``meta``: stored as written (json on PostgreSQL, text on SQLite), queried as
JSON, refused with its line when no database could query it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from annotator.models import Document
from annotator.services.projects import create_project
from tests.commands.test_import_documents import refused, run

pytestmark = pytest.mark.django_db

# Keys not in jsonb's order (shorter first, then by bytes), unicode, emoji, nesting.
META = {
    "zeta": "🙂 قال المتحدث",
    "a": [1, 2.5, -0.001, None, True, {"y": 1, "b": [{"é": "x"}]}],
    "mid": {"wire": "AFP", "desk": "Paris \u201cworld\u201d"},
}
# As a JSON Lines file may spell it: spaces, escapes, an exponent.
LINE = (
    b'{"id": "d-1", "text": "Some text.", "zeta": "\\ud83d\\ude42 x",  "meta": {"wire" :'
    b' "AFP", "n": 1E3, "list": [ 1 , 2 ]}}\n'
)


def export(slug: str) -> list[bytes]:
    out = StringIO()
    call_command("export_jsonl", slug, stdout=out)
    return [line.encode() for line in out.getvalue().splitlines()]


def meta_text(line: bytes) -> bytes:
    """The bytes of the ``"meta":`` value of an exported line (it is followed by annotations)."""
    start = line.index(b'"meta":') + len(b'"meta":')
    return line[start : line.index(b',"annotations":', start)]


def test_meta_comes_back_with_its_values_and_key_order(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "d-1", "text": "T.", "meta": META}, ensure_ascii=False))
    run(project.slug, str(path))
    stored = Document.objects.get(external_id="d-1").meta
    assert stored == META
    assert json.dumps(stored) == json.dumps(META)  # the same keys in the same order
    exported = json.loads(export(project.slug)[0])["meta"]
    assert json.dumps(exported, ensure_ascii=False) == json.dumps(META, ensure_ascii=False)


def test_values_read_from_a_jsonl_line_are_exported_as_written(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(LINE)
    run(project.slug, str(path))
    line = export(project.slug)[0]
    # Unknown keys first (as before), then meta's; each value byte for byte.
    assert meta_text(line) == (b'{"zeta":"\\ud83d\\ude42 x","wire":"AFP","n":1E3,"list":[ 1 , 2 ]}')
    assert Document.objects.get().meta == {
        "zeta": "🙂 x",
        "wire": "AFP",
        "n": 1000.0,
        "list": [1, 2],
    }


def test_export_import_export_keeps_meta_byte_for_byte(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(LINE)
    run(project.slug, str(path))
    first = export(project.slug)
    again = tmp_path / "again.jsonl"
    again.write_bytes(b"\n".join(first) + b"\n")
    create_project("copy")
    run("copy", str(again))
    assert [meta_text(line) for line in export("copy")] == [meta_text(line) for line in first]


def test_a_carriage_return_in_meta_does_not_end_an_exported_line(project, tmp_path):
    """A CR between values is JSON white space, but where a reader in text mode (universal
    newlines, str.splitlines) ends the line: the export is one line per document."""
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "d-1", "text": "T.", "meta": {"k": [1,\r2]}, "x": {"y":\r3}}\n')
    run(project.slug, str(path))
    (line,) = export(project.slug)
    assert meta_text(line) == b'{"x":{"y": 3},"k":[1, 2]}'
    assert Document.objects.get().meta == {"x": {"y": 3}, "k": [1, 2]}


def test_meta_saved_through_the_orm_keeps_its_key_order(project):
    Document.objects.create(project=project, external_id="o", text="T.", meta=META)
    assert json.dumps(Document.objects.get(external_id="o").meta) == json.dumps(META)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's column type")
def test_meta_is_json_text_on_postgresql(project):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'annotator_document' AND column_name = 'meta'"
        )
        assert cursor.fetchone() == ("json",)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table")
@pytest.mark.django_db(transaction=True)  # SQLite's schema editor runs outside a transaction
@pytest.mark.parametrize("backwards", [False, True])
def test_the_migration_leaves_the_sqlite_table_as_it_is(backwards):
    """The column is text either way: a bare AlterField would copy the whole table."""
    out = StringIO()
    call_command("sqlmigrate", "annotator", "0013", backwards=backwards, stdout=out)
    assert "TABLE" not in out.getvalue()


# --- queries -----------------------------------------------------------------------------


@pytest.fixture
def corpus(project):
    rows = {
        "g": {"publisher": "guardian", "n": 3, "tags": ["a", "b"], "deep": {"k": "v"}},
        "r": {"publisher": "reuters", "n": 10, "deep": {"k": "w"}, "empty": None},
        "e": {},
    }
    for key, meta in rows.items():
        Document.objects.create(project=project, external_id=key, text="T.", meta=meta)
    return project


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        ({"meta__publisher": "guardian"}, {"g"}),
        ({"meta__publisher__in": ["guardian", "reuters"]}, {"g", "r"}),
        ({"meta__publisher__icontains": "REU"}, {"r"}),
        ({"meta__n__gt": 5}, {"r"}),
        ({"meta__n": 3}, {"g"}),
        ({"meta__deep__k": "w"}, {"r"}),
        ({"meta__tags__1": "b"}, {"g"}),
        ({"meta__publisher__isnull": True}, {"e"}),
        ({"meta__empty__isnull": False}, {"r"}),
        ({"meta__empty": None}, {"r"}),
        ({"meta__has_key": "tags"}, {"g"}),
        pytest.param(
            {"meta__contains": {"publisher": "reuters"}},
            {"r"},
            marks=pytest.mark.skipif(connection.vendor == "sqlite", reason="not on SQLite"),
        ),
        ({"meta": {}}, {"e"}),
    ],
)
def test_meta_lookups(corpus, lookup, expected):
    found = Document.objects.filter(project=corpus, **lookup).values_list("external_id", flat=True)
    assert set(found) == expected


# --- bad meta: refused, naming the line ----------------------------------------------------

NUL = "'meta' must not contain NUL"


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b'{"id": "d-3", "text": "t", "meta": {"a": "nul \\u0000"}}', NUL),
        (b'{"id": "d-3", "text": "t", "source": ["\\u0000"]}', NUL),
        (b'{"id": "d-3", "text": "t", "meta": {"\\u0000": 1}}', NUL),
        (b'{"id": "d-3", "text": "t", "source": "caf\xe9"}', "not valid UTF-8"),
        (b'{"id": "d-3", "text": "t", "quotes": [1,, 2]}', "invalid JSON"),
        (b'{"id": "d-3", "text": "t", "quotes": "\\ud800"}', "invalid JSON"),
        (b'{"id": "d-3", "text": "t", "meta": "a"}', "'meta' must be an object"),
        # Nested past what any JSON reader here takes (orjson: 1024), past msgspec's alone.
        (b'{"id": "d-3", "text": "t", "meta": {"k": %s}}' % nested(1100), "invalid JSON"),
        (b'{"id": "d-3", "text": "t", "meta": {"k": %s}}' % nested(1010), "'meta' cannot be"),
        # Past a double: stored, it would come back as infinity and its export not re-import.
        (b'{"id": "d-3", "text": "t", "meta": {"n": 1e999}}', "'meta' cannot be read back"),
        (b'{"id": "d-3", "text": "t", "size": -1e400}', "'meta' cannot be read back"),
    ],
)
def test_a_bad_meta_is_refused_naming_its_line(project, tmp_path, bad, message):
    good = [b'{"id": "d-%d", "text": "Text %d.", "meta": {"k": "v"}}' % (i, i) for i in (1, 2, 4)]
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\n".join([*good[:2], bad, good[2]]) + b"\n")
    error = refused(project.slug, str(path))
    assert "docs.jsonl line 3:" in error
    assert message in error
    assert "nothing was imported" in error
    assert Document.objects.count() == 0


def test_a_csv_column_with_a_nul_is_refused(project, tmp_path: Path):
    path = tmp_path / "docs.csv"
    path.write_text('id,text,source\nd-1,"Text.",x\nd-2,"Text.","nul \x00"\n')
    error = refused(project.slug, str(path))
    assert "line 3:" in error and "NUL" in error
    assert Document.objects.count() == 0


def test_model_validation_refuses_a_nul_in_meta(project):
    document = Document(project=project, external_id="n", text="T.", meta={"k": ["x\x00"]})
    with pytest.raises(ValidationError, match="NUL"):
        document.full_clean()
