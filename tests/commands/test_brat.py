"""brat standoff in and out, on a PolNeAR-shaped fixture: text/NAME.txt and
attributions/NAME_ANNOTATOR.ann, with a discontinuous content, a Content2 argument, an event
without source, a shared source, notes, marks left out and a span text over a line break."""

from __future__ import annotations

import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotator.formats import brat
from annotator.models import Assignment, Claim, Document

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "polnear-shaped"
NAME = "gazette_2016-09-01_mayor-says-bridge"
TEXT = (FIXTURE / "dev" / "text" / f"{NAME}.txt").read_text(encoding="utf-8")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_annotations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_annotations", *args, stdout=StringIO(), stderr=err)
    return f"{info.value}\n{err.getvalue()}"


@pytest.fixture
def imported(project):
    out, err = run(
        project.slug,
        str(FIXTURE / "dev"),
        "--format",
        "brat",
        "--create-users",
        "--metadata",
        str(FIXTURE / "metadata.tsv"),
    )
    return project, out, err


def texts(claim: Claim, role: str) -> list[str]:
    return [f.text_in(TEXT) for f in claim.pieces(role)]


def test_it_imports_events_as_claims(imported):
    project, out, err = imported
    assert "1 documents added, 5 claims imported" in out
    document = Document.objects.get(project=project)
    assert (document.external_id, document.title, document.published) == (
        NAME,
        "Mayor says the bridge will reopen",
        "2016-09-01",
    )
    assert document.meta["publisher"] == "gazette"
    a = {c.span_text("cue"): c for c in Claim.objects.filter(annotator__username="aaaa")}
    assert texts(a["said"], "claim") == ["will reopen next week,", "and it will be safe."]
    assert (a["said"].span_text("speaker"), a["said"].stance) == ("Mayor Ana Ruiz", "support")
    assert a["believe"].speaker_start is None  # Attribution-no-source
    assert a["added"].span_text("speaker") == "Mayor Ana Ruiz"  # the shared source
    assert a["added"].note == "Ruiz is the mayor (coreference)"
    b = {c.span_text("cue"): c for c in Claim.objects.filter(annotator__username="bbbb")}
    # Content + Content2 are the pieces of one claim span.
    assert texts(b["said"], "claim") == ["will reopen next week,", "and it will be safe."]
    # A span whose text ran over a line break in the file.
    assert "\n" in b["added"].span_text("claim")
    # Marks that are part of no claim stay with the set, notes included, and the exact shape
    # of an event the plain writing would not give back (Content2) by its claim's id.
    kept = Assignment.objects.get(annotator__username="bbbb").extras["brat"]
    assert kept["marks"] == [
        {"label": "Discuss", "fragments": [[135, 142]], "notes": ["is 'believe' a cue?"]}
    ]
    assert [shape["arguments"][-1][0] for shape in kept["claims"].values()] == ["Content2"]
    assert list(kept["claims"]) == [b["said"].uid]
    aaaa = Assignment.objects.get(annotator__username="aaaa").extras["brat"]
    assert aaaa == {"marks": [{"label": "Discard", "fragments": [[225, 244]]}]}
    assert err == ""  # nothing was left out


def test_importing_the_same_files_again_adds_nothing(imported):
    project, _, _ = imported
    out, _ = run(project.slug, str(FIXTURE / "dev"), "--format", "brat")
    assert "0 documents added, 0 claims imported, 5 already present" in out


def test_a_zip_reads_like_the_folder(project, tmp_path):
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (FIXTURE / "dev").rglob("*.*"):
            z.write(path, path.relative_to(FIXTURE).as_posix())
    out, _ = run(project.slug, str(archive), "--format", "brat", "--create-users")
    assert "5 claims imported" in out


def _pieces(standoff: brat.Standoff) -> set:
    return {(t.label, tuple(sorted(t.fragments))) for t in standoff.textbounds.values()}


def _events(standoff: brat.Standoff) -> set:
    """Events as (type, trigger, arguments), with the role names as written (Content2)."""
    spans = standoff.textbounds

    def piece(ref: str) -> tuple:
        return (spans[ref].label, tuple(sorted(spans[ref].fragments)))

    return {
        (
            e.type,
            piece(e.trigger) if e.trigger else None,
            tuple(sorted((role, *piece(ref)) for role, ref in e.arguments)),
        )
        for e in standoff.events.values()
    }


def test_the_brat_export_gives_back_the_same_spans_and_events(imported, tmp_path):
    project, _, _ = imported
    call_command(
        "export_jsonl",
        project.slug,
        "--format",
        "brat",
        "-o",
        str(tmp_path / "out"),
        stderr=StringIO(),
    )
    assert (tmp_path / "out" / "annotation.conf").exists()
    for who in ("aaaa", "bbbb"):
        original = brat.parse(
            (FIXTURE / "dev" / "attributions" / f"{NAME}_{who}.ann").read_text(encoding="utf-8"),
            TEXT,
        )
        written = (tmp_path / "out" / who / f"{NAME}.ann").read_text(encoding="utf-8")
        assert (tmp_path / "out" / who / f"{NAME}.txt").read_text(encoding="utf-8") == TEXT
        again = brat.parse(written, TEXT)
        assert again.problems == []
        # The same spans (marks included), events (Content2 included), stance and notes.
        assert _pieces(again) == _pieces(original)
        assert _events(again) == _events(original)
        assert sorted((a.name, a.value) for a in again.attributes) == sorted(
            (a.name, a.value) for a in original.attributes
        )
        assert sorted(n.text for n in again.notes) == sorted(n.text for n in original.notes)


def test_a_stray_line_refuses_the_file_naming_its_line(project, tmp_path):
    corpus = tmp_path / "dev"
    shutil.copytree(FIXTURE / "dev", corpus)
    ann = corpus / "attributions" / f"{NAME}_aaaa.ann"
    lines = ann.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "this line is not an annotation")
    ann.write_text("\n".join(lines), encoding="utf-8")
    message = refused(project.slug, str(corpus), "--format", "brat", "--create-users")
    assert f"{NAME}_aaaa.ann line 3: not an annotation line" in message
    assert "nothing was imported" in message
    assert not Document.objects.exists() and not Claim.objects.exists()


def test_an_unknown_label_refuses_the_file_unless_the_label_map_names_it(project, tmp_path):
    corpus = tmp_path / "dev"
    shutil.copytree(FIXTURE / "dev", corpus)
    ann = corpus / "attributions" / f"{NAME}_bbbb.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("Discuss", "Unsure"), encoding="utf-8")
    message = refused(project.slug, str(corpus), "--format", "brat", "--create-users")
    assert f"{NAME}_bbbb.ann line 13: T10: unknown label 'Unsure'" in message
    assert not Claim.objects.exists()
    labels = tmp_path / "labels.json"
    labels.write_text('{"ignore": ["Discard", "Unsure"]}', encoding="utf-8")
    out, _ = run(
        project.slug, str(corpus), "--format", "brat", "--create-users", "--labels", str(labels)
    )
    assert "5 claims imported" in out
