"""brat → app → brat gives every file back: marks that are no claim (Discuss, Discard, a
source tied to nothing) with their notes and attributes, an event without content, an
event whose trigger is not on its cue, an Attribution-no-source with a Source, Content2,
a content standing alone. Also through claims/1 into another project; and a claim edited
since is written plainly. The fixture is PolNeAR-shaped: tests/data/polnear-shaped/train."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command

from annotator.formats import brat
from annotator.models import Assignment, Claim
from annotator.services.projects import create_project

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "polnear-shaped" / "train"
NAME = "herald_2016-10-03_council-votes-on-budget"
TEXT = (FIXTURE / "text" / f"{NAME}.txt").read_text(encoding="utf-8")


def _piece(spans: dict, ref: str) -> tuple:
    return (spans[ref].label, tuple(sorted(spans[ref].fragments)))


def described(standoff: brat.Standoff) -> dict:
    """What a file says, ids aside: spans, events (trigger, role names as written), and the
    notes and attributes with what they are on."""
    spans = standoff.textbounds
    events = {
        ident: (
            e.type,
            _piece(spans, e.trigger) if e.trigger else None,
            tuple(sorted((role, *_piece(spans, ref)) for role, ref in e.arguments)),
        )
        for ident, e in standoff.events.items()
    }

    def on(ref: str) -> tuple:
        return events[ref] if ref in events else _piece(spans, ref)

    return {
        "spans": {
            (*_piece(spans, ref), brat.span_text(TEXT, spans[ref].fragments)) for ref in spans
        },
        "events": set(events.values()),
        "notes": sorted((on(n.target), n.text) for n in standoff.notes),
        "attributes": sorted((on(a.target), a.name, a.value or "") for a in standoff.attributes),
    }


def original(who: str) -> dict:
    content = (FIXTURE / "attributions" / f"{NAME}_{who}.ann").read_text(encoding="utf-8")
    parsed = brat.parse(content, TEXT)
    assert parsed.problems == []
    return described(parsed)


def exported(slug: str, folder: Path, who: str) -> dict:
    call_command("export_jsonl", slug, "--format", "brat", "-o", str(folder), stderr=StringIO())
    parsed = brat.parse((folder / who / f"{NAME}.ann").read_text(encoding="utf-8"), TEXT)
    assert parsed.problems == []
    return described(parsed)


@pytest.fixture
def imported(project):
    out, err = StringIO(), StringIO()
    call_command(
        "import_annotations",
        project.slug,
        str(FIXTURE),
        "--format",
        "brat",
        "--create-users",
        stdout=out,
        stderr=err,
    )
    assert "1 documents added, 4 claims imported" in out.getvalue()
    return project, err.getvalue()


def test_every_file_comes_back_as_it_was(imported, tmp_path):
    project, err = imported
    for who in ("cccc", "dddd"):
        assert exported(project.slug, tmp_path / who, who) == original(who)
    # What is no claim is still said, with its file and line.
    assert "cccc.ann line 15: E3 (Attribution-no-source) has no claim span (Cue)" in err
    assert "cccc.ann line 21: T15 (Source) is tied to no claim" in err


def test_the_claims_are_what_the_app_shows(imported):
    claims = {c.span_text("claim"): c for c in Claim.objects.filter(annotator__username="cccc")}
    assert set(claims) == {
        'Taxes will not rise," the mayor told reporters, "not this year.',
        "Critics, according to the paper, doubt it.",
        "the plan is late.",
    }
    quote = claims['Taxes will not rise," the mayor told reporters, "not this year.']
    assert (quote.span_text("cue"), quote.stance) == ("told", "oppose")
    # Its event was "no source" in the file; the claim has the speaker the file gave it.
    critics = claims["Critics, according to the paper, doubt it."]
    assert critics.span_text("speaker") == "the paper"


def test_the_round_trip_holds_through_claims_jsonl_into_another_project(imported, tmp_path):
    project, _ = imported
    jsonl = tmp_path / "claims.jsonl"
    call_command("export_jsonl", project.slug, "-o", str(jsonl), stderr=StringIO())
    sets = {s["annotator"]: s for s in orjson.loads(jsonl.read_bytes())["annotations"]}
    assert sets["dddd"]["extras"] == {
        "brat": {
            "marks": [
                {"label": "Discard", "fragments": [[165, 175]], "attributes": [["Unsure", None]]}
            ]
        }
    }
    create_project("copy")
    call_command("import_annotations", "copy", str(jsonl), stdout=StringIO())
    for who in ("cccc", "dddd"):
        assert exported("copy", tmp_path / f"copy-{who}", who) == original(who)
    again = tmp_path / "again.jsonl"
    call_command("export_jsonl", "copy", "-o", str(again), stderr=StringIO())
    assert again.read_bytes() == jsonl.read_bytes().replace(
        f'"project":"{project.slug}"'.encode(), b'"project":"copy"'
    )


def test_importing_the_files_again_changes_nothing(imported):
    project, _ = imported
    before = {a.annotator.username: a.extras for a in Assignment.objects.all()}
    out = StringIO()
    call_command("import_annotations", project.slug, str(FIXTURE), "--format", "brat", stdout=out)
    assert "0 claims imported, 4 already present" in out.getvalue()
    assert {a.annotator.username: a.extras for a in Assignment.objects.all()} == before


def test_a_claim_edited_since_is_written_plainly(imported, tmp_path):
    project, _ = imported
    quote = Claim.objects.get(annotator__username="cccc", cue_start=62)
    Claim.objects.filter(pk=quote.pk).update(cue_start=67, cue_end=76)
    written = exported(project.slug, tmp_path / "out", "cccc")
    # The kept shape (Content2, trigger on "told reporters") no longer fits: one event on
    # the new cue, one span per role, the claim span's two pieces as fragments.
    assert (
        "Attribution",
        ("Attribution", ((67, 76),)),
        (
            ("Content", "Content", ((30, 50), (79, 93))),
            ("Cue", "Cue", ((67, 76),)),
            ("Source", "Source", ((52, 61),)),
        ),
    ) in written["events"]
    # What changed is that claim's event; everything else still comes back.
    assert original("cccc")["spans"] - written["spans"] == {
        ("Content", ((30, 50),), "Taxes will not rise,"),
        ("Content", ((79, 93),), "not this year."),
        ("Attribution", ((62, 76),), "told reporters"),
        ("Cue", ((62, 66),), "told"),
    }
    assert len(written["events"] - original("cccc")["events"]) == 1


def test_kept_extras_that_do_not_fit_the_text_are_not_written(imported, tmp_path):
    project, _ = imported
    assignment = Assignment.objects.get(annotator__username="dddd")
    assignment.extras = {
        "brat": {
            "marks": [
                {"label": "Discard", "fragments": [[165, 9999]]},
                {"label": "bad label", "fragments": [[0, 7]]},
                {"label": "Discuss", "fragments": [[0, 7]]},
            ],
            "events": [{"type": "Attribution", "trigger": None, "arguments": "junk"}],
            "claims": {"nope": {"type": 1}},
        }
    }
    assignment.save()
    written = exported(project.slug, tmp_path / "out", "dddd")
    marks = {s for s in written["spans"] if s[0] in ("Discard", "Discuss", "bad")}
    assert marks == {("Discuss", ((0, 7),), "Council")}
    assert len(written["events"]) == 1
