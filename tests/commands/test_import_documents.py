"""manage.py import_documents PROJECT FILE [--format jsonl|txt|csv]: all or nothing per file."""

from __future__ import annotations

import csv
import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Document

HARD_TEXTS = {
    "emoji": 'Live 🔴🇺🇳: the envoy 🧑🏾‍💼 said talks "were constructive". 👨‍👩‍👧',
    "arabic": "قال المتحدث إن الوضع مستقر. Later, the ministry said it rejects it.",
    "crlf": 'First line.\r\nThe mayor told reporters: "The bridge is safe."\r\nLast line.\r\n',
    "combining": "The re\u0301gime in So\u0308dertown said the vote \u201cwas fair\u201d.",
    "lone-cr": "one\rtwo\r\n\r\nthree  \t ",
    # Line breaks a text-mode reader would split on, and what PostgreSQL's COPY escapes.
    "separators": "para\u2028graph\u2029next\x85nel\x0bvt\x0cff",
    "copy-escapes": "C:\\path\\N \\. \t tab \\\\ end",
}


def write_jsonl(path: Path, records: list) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes(("\n".join(lines) + "\n").encode())
    return path


def doc(n: int | str, text: str | None = None, **extra) -> dict:
    return {"id": f"d-{n}", "title": f"Document {n}", "text": text or f"Text of {n}.", **extra}


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_documents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    """The command's error and what it wrote to stderr (one line per bad input line)."""
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_documents", *args, stdout=StringIO(), stderr=err)
    return f"{info.value}\n{err.getvalue()}"


def texts(project) -> dict[str, str]:
    return dict(Document.objects.filter(project=project).values_list("external_id", "text"))


# --- JSONL -------------------------------------------------------------------------------


def test_it_imports_jsonl(project, tmp_path):
    path = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            doc(1, url="https://example.org/1", published="2024-12-01", meta={"source": "x"}),
            doc(2),
        ],
    )
    out = run(project.slug, str(path))
    assert "2 imported, 0 already present" in out
    first = Document.objects.get(project=project, external_id="d-1")
    assert first.title == "Document 1"
    assert first.text == "Text of 1."
    assert first.url == "https://example.org/1"
    assert first.published == "2024-12-01"
    assert first.meta == {"source": "x"}


def test_it_keeps_unknown_keys_under_meta(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1, section="world", meta={"a": 1})])
    run(project.slug, str(path))
    assert Document.objects.get(external_id="d-1").meta == {"section": "world", "a": 1}


def test_it_keeps_published_verbatim(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1, published="2024-12-01T09:30:00+02:00")])
    run(project.slug, str(path))
    assert Document.objects.get(external_id="d-1").published == "2024-12-01T09:30:00+02:00"


def test_it_keeps_hard_texts_byte_for_byte(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(k, t) for k, t in HARD_TEXTS.items()])
    run(project.slug, str(path))
    assert texts(project) == {f"d-{k}": t for k, t in HARD_TEXTS.items()}
    for key, text in HARD_TEXTS.items():
        stored = Document.objects.get(external_id=f"d-{key}").text
        assert stored.encode() == text.encode()


def test_reimporting_the_same_file_changes_nothing(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(k, t) for k, t in HARD_TEXTS.items()])
    run(project.slug, str(path))
    before = list(Document.objects.order_by("id").values())
    out = run(project.slug, str(path))
    assert f"0 imported, {len(HARD_TEXTS)} already present" in out
    assert list(Document.objects.order_by("id").values()) == before


def test_a_repeated_id_with_the_same_text_is_skipped(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1), doc(2), doc(1)])
    assert "2 imported, 1 already present" in run(project.slug, str(path))
    assert Document.objects.count() == 2


def test_the_same_id_may_live_in_two_projects(project, tmp_path):
    call_command("create_project", "other", stdout=StringIO())
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1)])
    run(project.slug, str(path))
    run("other", str(path))
    assert Document.objects.filter(external_id="d-1").count() == 2


def test_blank_lines_are_ignored(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1), "", "   ", doc(2)])
    run(project.slug, str(path))
    assert Document.objects.count() == 2


def test_a_numeric_id_is_taken_as_text(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [{"id": 42, "text": "Forty-two."}])
    run(project.slug, str(path))
    assert Document.objects.get().external_id == "42"


# --- bad input: refused naming the line, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": "d-x", "text": "unterminated', "invalid JSON"),
        ('["d-x", "a list"]', "must be a JSON object"),
        ('"just a string"', "must be a JSON object"),
        ({"id": "d-x", "title": "no text"}, "missing 'text'"),
        ({"id": "d-x", "text": ""}, "missing 'text'"),
        ({"id": "d-x", "text": 5}, "missing 'text'"),
        ({"text": "no id"}, "missing 'id'"),
        ({"id": "  ", "text": "blank id"}, "missing 'id'"),
        ({"id": "d-x", "text": "t", "published": "last Tuesday"}, "'published' must be an ISO"),
        ({"id": "d-x", "text": "t", "published": "2024-13-01"}, "'published' must be an ISO"),
        ({"id": "d-x", "text": "t", "published": 2024}, "'published' must be a string"),
        ({"id": "d-x", "text": "t", "meta": ["a"]}, "'meta' must be an object"),
        ({"id": "d-x", "text": "t", "title": ["a"]}, "'title' must be a string"),
        ({"id": "d-x", "text": "nul \x00 char"}, "NUL"),
    ],
)
def test_it_refuses_a_bad_line_naming_it(project, tmp_path, bad, message):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1), doc(2), bad, doc(4)])
    error = refused(project.slug, str(path))
    assert "docs.jsonl line 3:" in error
    assert message in error
    assert "nothing was imported" in error
    assert Document.objects.count() == 0


def test_it_refuses_an_id_repeated_with_a_different_text(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1), doc(2), doc(1, "Another text.")])
    error = refused(project.slug, str(path))
    assert "line 3:" in error
    assert "'d-1' already appears on line 1 with a different text" in error
    assert Document.objects.count() == 0


def test_it_refuses_an_existing_id_with_a_different_text(project, tmp_path):
    run(project.slug, str(write_jsonl(tmp_path / "first.jsonl", [doc(1)])))
    path = write_jsonl(tmp_path / "second.jsonl", [doc(2), doc(1, "Changed text.")])
    error = refused(project.slug, str(path))
    assert "second.jsonl line 2:" in error
    assert "'d-1' already exists with a different text" in error
    assert texts(project) == {"d-1": "Text of 1."}


def test_it_reports_every_bad_line(project, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1), "{oops", doc(3), {"id": "x"}])
    error = refused(project.slug, str(path))
    assert "line 2: invalid JSON" in error
    assert "line 4: missing 'text'" in error
    assert "(and 1 more above); nothing was imported" in error


def test_a_bad_line_after_a_flushed_batch_still_writes_nothing(project, tmp_path):
    """1,500 good lines (a batch of 1,000 already written) and then a bad one."""
    good = [doc(n) for n in range(1, 1501)]
    path = write_jsonl(tmp_path / "docs.jsonl", [*good, "{not json"])
    error = refused(project.slug, str(path))
    assert "line 1501: invalid JSON" in error
    assert Document.objects.count() == 0


def test_a_clash_with_the_database_in_a_later_batch_writes_nothing(project, tmp_path):
    run(project.slug, str(write_jsonl(tmp_path / "first.jsonl", [doc(1200)])))
    good = [doc(n) for n in range(1, 1501)]
    good[1199] = doc(1200, "A different text.")
    error = refused(project.slug, str(write_jsonl(tmp_path / "docs.jsonl", good)))
    assert "line 1200:" in error
    assert "already exists with a different text" in error
    assert texts(project) == {"d-1200": "Text of 1200."}


def test_it_refuses_an_unknown_project(db, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [doc(1)])
    assert "unknown project 'nope'" in refused("nope", str(path))
    assert Document.objects.count() == 0


def test_it_refuses_a_missing_file(project, tmp_path):
    assert "no such file" in refused(project.slug, str(tmp_path / "missing.jsonl"))


def test_it_refuses_a_file_that_is_not_utf8(project, tmp_path):
    path = tmp_path / "docs.csv"
    path.write_bytes(b"id,text\nd-1,caf\xe9\n")
    error = refused(project.slug, str(path))
    assert (
        "docs.csv line 2: the file is not valid UTF-8: byte 0xe9 at offset 7 of the line "
        "(15 of the file)"
    ) in error
    assert Document.objects.count() == 0


def test_a_jsonl_line_that_is_not_utf8_is_named_with_its_byte(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    first = json.dumps(doc(1)).encode() + b"\n"
    path.write_bytes(first + b'{"id": "d-2", "text": "caf\xe9"}\n')
    error = refused(project.slug, str(path))
    assert (
        "docs.jsonl line 2: not valid UTF-8: byte 0xe9 at offset 26 of the line "
        f"({len(first) + 26} of the file)"
    ) in error
    assert "surrogates" not in error
    assert Document.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"\n  \n\n", b"\xef\xbb\xbf\n"])
def test_an_empty_file_is_reported_as_holding_no_documents(project, tmp_path, content):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(content)
    out, err = StringIO(), StringIO()
    call_command("import_documents", project.slug, str(path), stdout=out, stderr=err)
    assert "0 imported" in out.getvalue()
    assert err.getvalue() == "warning: docs.jsonl held no documents; nothing was imported\n"


# --- CSV ---------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_it_imports_csv_keeping_extra_columns_as_meta(project, tmp_path):
    path = write_csv(
        tmp_path / "docs.csv",
        ["id", "title", "text", "url", "published", "section"],
        [
            ["d-1", "One", HARD_TEXTS["crlf"], "https://example.org/1", "2024-12-01", "world"],
            ["d-2", "Two", HARD_TEXTS["emoji"], "", "", ""],
        ],
    )
    assert "2 imported" in run(project.slug, str(path))
    first = Document.objects.get(external_id="d-1")
    assert first.text == HARD_TEXTS["crlf"]
    assert first.url == "https://example.org/1"
    assert first.published == "2024-12-01"
    assert first.meta == {"section": "world"}
    second = Document.objects.get(external_id="d-2")
    assert second.text == HARD_TEXTS["emoji"]
    assert second.meta == {}


def test_it_refuses_csv_without_a_text_column(project, tmp_path):
    path = write_csv(tmp_path / "docs.csv", ["id", "body"], [["d-1", "x"]])
    error = refused(project.slug, str(path))
    assert "line 1:" in error
    assert "no 'text' column" in error


def test_it_refuses_a_csv_row_with_too_many_fields(project, tmp_path):
    path = write_csv(tmp_path / "docs.csv", ["id", "text"], [["d-1", "x"], ["d-2", "y", "z"]])
    error = refused(project.slug, str(path))
    assert "line 3:" in error
    assert Document.objects.count() == 0


def test_a_csv_error_names_the_physical_line(project, tmp_path):
    """A quoted multi-line text shifts the line numbers; the error names the real line."""
    path = write_csv(
        tmp_path / "docs.csv",
        ["id", "text", "published"],
        [["d-1", "two\r\nlines", ""], ["d-2", "x", "soon"]],
    )
    error = refused(project.slug, str(path))
    assert "line 4:" in error
    assert "'published'" in error


def test_format_can_be_forced(project, tmp_path):
    path = write_csv(tmp_path / "docs.data", ["id", "text"], [["d-1", "x"]])
    run(project.slug, str(path), "--format", "csv")
    assert texts(project) == {"d-1": "x"}


# --- plain text --------------------------------------------------------------------------


def test_it_imports_a_txt_file_byte_for_byte(project, tmp_path):
    text = "  Headline 🇸🇾\r\n\r\nThe envoy said talks were constructive.\r\n"
    path = tmp_path / "story-1.txt"
    path.write_bytes(text.encode())
    run(project.slug, str(path))
    document = Document.objects.get()
    assert document.external_id == "story-1"
    assert document.title == "Headline 🇸🇾"
    assert document.text == text


def test_it_drops_a_byte_order_mark_from_a_txt_file(project, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitle\nBody".encode())
    run(project.slug, str(path))
    assert Document.objects.get().text == "Title\nBody"


def test_it_imports_a_folder_of_txt_files(project, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for key, text in HARD_TEXTS.items():
        (folder / f"{key}.txt").write_bytes(text.encode())
    (folder / "notes.md").write_text("not an article")
    assert f"{len(HARD_TEXTS)} imported" in run(project.slug, str(folder))
    assert texts(project) == HARD_TEXTS
    # And again: nothing changes.
    assert f"0 imported, {len(HARD_TEXTS)} already present" in run(project.slug, str(folder))
    assert Document.objects.count() == len(HARD_TEXTS)


def test_it_refuses_a_txt_file_that_is_not_utf8(project, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("fine")
    (folder / "b.txt").write_bytes(b"caf\xe9")
    (folder / "c.txt").write_bytes(b"")
    error = refused(project.slug, str(folder))
    assert "line 2: b.txt is not valid UTF-8: byte 0xe9 at offset 3" in error
    assert "line 3: missing 'text'" in error
    assert Document.objects.count() == 0


def test_it_ignores_a_byte_order_mark_at_the_start_of_jsonl(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc(1)).encode() + b"\n")
    run(project.slug, str(path))
    assert texts(project) == {"d-1": "Text of 1."}


def test_a_terminal_gets_a_progress_bar(project, tmp_path, monkeypatch):
    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    run(project.slug, str(write_jsonl(tmp_path / "docs.jsonl", [doc(n) for n in range(10)])))
    shown = terminal.getvalue()
    assert "docs.jsonl [" in shown
    assert "100%" in shown
    assert shown.endswith("\n")


def test_piped_output_gets_no_progress_bar(project, tmp_path, monkeypatch):
    piped = StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    run(project.slug, str(write_jsonl(tmp_path / "docs.jsonl", [doc(n) for n in range(10)])))
    assert piped.getvalue() == ""
