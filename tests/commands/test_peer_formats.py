"""Label Studio and doccano: their exports in (fixtures written in their documented formats),
Label Studio tasks with predictions out, and format detection."""

from __future__ import annotations

import json
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotator import formats
from annotator.formats.bundles import open_path, open_upload
from annotator.models import Claim, Document

DATA = Path(__file__).resolve().parent.parent / "data"
LS = DATA / "label-studio" / "export.json"
DOCCANO = DATA / "doccano" / "alice.jsonl"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_annotations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def pieces(claim: Claim, role: str) -> list[str]:
    return [f.text_in(claim.document.text) for f in claim.pieces(role)]


def test_label_studio_regions_relations_choices_and_notes_become_claims(project):
    out, err = run(project.slug, str(LS), "--format", "label-studio", "--create-users")
    assert "1 documents added, 3 claims imported" in out
    assert Document.objects.get().external_id == "un-talks"
    ana = {
        c.span_text("cue") or c.span_text("speaker"): c
        for c in Claim.objects.filter(annotator__username="ana@example.org")
    }
    quote = ana["said"]
    assert pieces(quote, "claim") == ["talks were constructive", "a deal is close"]
    assert (quote.span_text("speaker"), quote.stance, quote.note) == (
        "Lena Park",
        "support",
        "two pieces",
    )
    assert ana["The ministry"].span_text("claim") == "denied it"
    # UTF-16 offsets from an older Label Studio land on the same characters.
    (old,) = Claim.objects.filter(annotator__username="label-studio-5")
    assert (old.span_text("claim"), old.span_text("speaker")) == (
        "talks were constructive",
        "Lena Park",
    )
    assert "cancelled" in err


def test_a_region_whose_text_does_not_match_is_refused(project, tmp_path):
    tasks = json.loads(LS.read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][0]["value"]["start"] += 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.json task 1 annotation 1 result 1: region"):
        call_command(
            "import_annotations",
            project.slug,
            str(bad),
            "--format",
            "label-studio",
            "--create-users",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not Claim.objects.exists()


def test_label_studio_out_writes_tasks_with_predictions_that_read_back(project, tmp_path):
    run(project.slug, str(LS), "--format", "label-studio", "--create-users")
    path = tmp_path / "tasks.json"
    call_command(
        "export_jsonl", project.slug, "--format", "label-studio", "-o", str(path), stderr=StringIO()
    )
    (task,) = json.loads(path.read_bytes())
    assert task["data"]["id"] == "un-talks"
    assert {p["model_version"] for p in task["predictions"]} == {
        "ana@example.org",
        "label-studio-5",
    }
    for prediction in task["predictions"]:
        for result in prediction["result"]:
            if result["type"] == "labels":
                value = result["value"]
                assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
    # Accepted in Label Studio, the predictions come back as annotations: the same claims.
    task["annotations"] = [
        {"completed_by": {"email": p["model_version"]}, "result": p["result"]}
        for p in task.pop("predictions")
    ]
    task["data"]["id"] = "again"
    path.write_text(json.dumps([task]), encoding="utf-8")
    run(project.slug, str(path), "--format", "label-studio")

    def content(document_id: str) -> list:
        return sorted(
            (
                c.annotator.username,
                tuple(pieces(c, "claim")),
                c.span_text("speaker"),
                c.span_text("cue"),
                c.stance,
                c.note,
            )
            for c in Claim.objects.filter(document__external_id=document_id)
        )

    assert content("again") == content("un-talks")


def test_doccano_entities_and_relations_become_claims(project):
    out, err = run(project.slug, str(DOCCANO), "--format", "doccano", "--create-users")
    assert "2 documents added, 2 claims imported" in out
    first = Claim.objects.get(document__external_id="1")
    assert first.annotator.username == "alice"  # the file's name
    assert pieces(first, "claim") == ["talks were constructive", "a deal is close"]
    # Tied through the cue: claim – cue – speaker.
    assert (first.span_text("cue"), first.span_text("speaker")) == ("said", "Lena Park")
    second = Claim.objects.get(document__external_id="2")
    assert second.span_text("claim") == "the road is open"
    assert "a cue span tied to no claim" in err and "a speaker span tied to no claim" in err


def test_doccano_refuses_an_unknown_label_naming_the_line(project, tmp_path):
    bad = tmp_path / "bob.jsonl"
    bad.write_text(DOCCANO.read_text(encoding="utf-8").replace('"Cue"', '"Verb"'), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bob\.jsonl line 1: unknown label 'Verb'"):
        call_command(
            "import_annotations",
            project.slug,
            str(bad),
            "--format",
            "doccano",
            "--create-users",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("path", "identifier"),
    [
        (LS, "label-studio"),
        (DOCCANO, "doccano"),
        (DATA / "polnear-shaped", "brat"),
        (DATA / "seed-claims.jsonl", "claims"),
    ],
)
def test_the_format_is_detected_from_the_files(path, identifier):
    assert formats.detect(open_path(path)).identifier == identifier


def test_an_uploaded_zip_is_read_as_its_files(tmp_path):
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in (DATA / "polnear-shaped").rglob("*.*"):
            z.write(path, path.relative_to(DATA).as_posix())
    bundle = open_upload("corpus.zip", buffer)
    assert formats.detect(bundle).identifier == "brat"
    assert any(name.endswith(".ann") for name in bundle.names())
