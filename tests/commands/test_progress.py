"""The long commands' progress bars (tqdm): on a terminal, how far, how fast and how long
still to go; nothing when stderr is piped. (import_documents has its own in its tests.)"""

from __future__ import annotations

import json
import re
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from annotator.models import Suggestion

pytestmark = pytest.mark.django_db

# tqdm's "[elapsed<remaining, rate]" and "[elapsed, rate]" (no total known in advance).
TIMES = r"\[\d\d:\d\d<\d\d:\d\d, *[\d.?]+{unit}/s\]"
RATE = r"\[\d\d:\d\d, *[\d.?]+{unit}/s\]"


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def stderr_to(monkeypatch, stream: StringIO) -> StringIO:
    # In the test itself: pytest's capture puts its own sys.stderr back after the fixtures.
    monkeypatch.setattr(sys, "stderr", stream)
    return stream


def pre_annotations(document, tmp_path, count: int):
    """claims/1 lines for ``count`` new documents (each the seed text, no claims)."""
    path = tmp_path / "pre.jsonl"
    lines = [
        {"id": f"doc-{n}", "text": document.text, "annotations": [{"annotator": "model"}]}
        for n in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_suggest_shows_done_of_total_with_rate_and_time_left(document, monkeypatch):
    screen = stderr_to(monkeypatch, Terminal())
    call_command("suggest", document.project.slug, stdout=StringIO())
    shown = screen.getvalue()
    assert "suggesting [" in shown and "100%" in shown and "1/1 " in shown
    assert re.search(TIMES.format(unit="documents"), shown), shown
    assert shown.endswith("\n")
    assert Suggestion.objects.exists()


def test_import_annotations_counts_the_documents_it_read_with_their_rate(
    document, tmp_path, monkeypatch
):
    screen = stderr_to(monkeypatch, Terminal())
    path = pre_annotations(document, tmp_path, 3)
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    slug = document.project.slug
    call_command("import_annotations", slug, str(path), "--as-suggestions", **quiet)
    shown = screen.getvalue()
    assert "pre.jsonl: 3 documents " in shown
    assert re.search(RATE.format(unit="documents"), shown), shown
    assert shown.endswith("\n")


def test_export_to_a_file_counts_its_lines(document, tmp_path, monkeypatch):
    screen = stderr_to(monkeypatch, Terminal())
    out = tmp_path / "out.jsonl"
    call_command("export_jsonl", document.project.slug, "-o", str(out), stderr=StringIO())
    shown = screen.getvalue()
    lines = len(out.read_text(encoding="utf-8").splitlines())
    assert f"out.jsonl: {lines} lines " in shown
    assert re.search(RATE.format(unit="lines"), shown), shown


def test_import_documents_shows_how_far_through_a_csv_file_it_is(project, tmp_path, monkeypatch):
    screen = stderr_to(monkeypatch, Terminal())
    path = tmp_path / "docs.csv"
    path.write_text("id,text\n" + "".join(f"d-{n},Text {n}.\n" for n in range(5)), encoding="utf-8")
    call_command("import_documents", project.slug, str(path), stdout=StringIO())
    shown = screen.getvalue()
    assert re.search(r"docs\.csv \[#{30}\] 100% ([\d.]+)/\1 ", shown), shown  # bytes read/size
    assert re.search(TIMES.format(unit="[kMG]?B"), shown), shown
    assert project.documents.count() == 5


def test_piped_output_gets_no_progress_bar(document, tmp_path, monkeypatch):
    pipe = stderr_to(monkeypatch, StringIO())
    slug = document.project.slug
    call_command("suggest", slug, stdout=StringIO())
    path = pre_annotations(document, tmp_path, 3)
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("import_annotations", slug, str(path), "--as-suggestions", **quiet)
    call_command("export_jsonl", slug, "-o", str(tmp_path / "out.jsonl"), stderr=StringIO())
    call_command(
        "export_jsonl", slug, "--format", "brat", "-o", str(tmp_path / "brat"), stderr=StringIO()
    )
    assert (tmp_path / "brat").is_dir()
    assert pipe.getvalue() == ""
