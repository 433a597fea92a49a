"""manage.py export_jsonl PROJECT [-o FILE] [--per document|claim] [--status …] [--gold]."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from annotator.models import Assignment, Claim, Document, Entity
from annotator.models.document import GoldStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim

FLAT_KEYS = {
    "schema",
    "project",
    "document_id",
    "annotator",
    "status",
    "claim_id",
    "claim",
    "speaker",
    "cue",
    "stance",
    "target",
    "attributes",
    "note",
    "context",
    "title",
    "published",
    "url",
}
HARD_TEXT = (
    'Live 🔴🇺🇳:\r\nthe envoy 🧑🏾‍💼 said talks "were constructive".\r\nقال المتحدث. So\u0308der.'
)


def at(text: str, needle: str, after: int = 0) -> dict:
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle)}


@pytest.fixture
def annotated(project, document, alice, bob, rita, us_claim_payload):
    """The seed article with alice's US claim (submitted) and bob's claim (in progress),
    plus a hard text with a claim by alice."""
    Entity.objects.create(project=project, name="United States", aliases=["US"])
    create_claim(access_to(alice, project), document, us_claim_payload)
    create_claim(
        access_to(bob, project),
        document,
        {
            "claim": at(document.text, "lost control of Aleppo"),
            "speaker": {"entity": "United States"},
            "stance": "neutral",
            "note": "speaker only as an entity",
        },
    )
    Assignment.objects.filter(document=document, annotator=alice).update(
        status="submitted", submitted_at=timezone.now()
    )
    hard = Document.objects.create(project=project, external_id="hard", text=HARD_TEXT)
    Assignment.objects.create(document=hard, annotator=alice)
    create_claim(
        access_to(alice, project),
        hard,
        {
            "claim": at(HARD_TEXT, "were constructive"),
            "speaker": at(HARD_TEXT, "the envoy 🧑🏾‍💼"),
            "cue": at(HARD_TEXT, "said"),
        },
    )
    untouched = Document.objects.create(project=project, external_id="untouched", text="Quiet.")
    Assignment.objects.create(document=untouched, annotator=bob)
    return project


def export(tmp_path: Path, slug: str, *args: str) -> list[dict]:
    path = tmp_path / "out.jsonl"
    call_command("export_jsonl", slug, "-o", str(path), *args, stderr=StringIO())
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as info:
        call_command("export_jsonl", *args, stdout=StringIO(), stderr=StringIO())
    return str(info.value)


def by_id(lines: list[dict]) -> dict[str, dict]:
    return {line["id"]: line for line in lines}


def assert_spans_slice(lines: list[dict]) -> int:
    """Every span satisfies text[start:end] == span text; returns how many were checked."""
    texts = dict(Document.objects.values_list("external_id", "text"))
    checked = 0
    for line in lines:
        if line["schema"] == "claims/1":
            text = line["text"]
            assert text == texts[line["id"]]
            sets = [*line["annotations"], *([line["gold"]] if line["gold"] else [])]
            claims = [claim for s in sets for claim in s["claims"]]
        else:
            text = texts[line["document_id"]]
            claims = [line]
        for claim in claims:
            for role in ("claim", "speaker", "cue", "target"):
                span = claim[role]
                if span is not None and span["start"] is not None:
                    assert text[span["start"] : span["end"]] == span["text"]
                    checked += 1
    return checked


# --- per document ------------------------------------------------------------------------


def test_it_exports_one_line_per_document(annotated, tmp_path, us_claim_payload):
    lines = by_id(export(tmp_path, annotated.slug))
    assert set(lines) == {"seed", "hard", "untouched"}
    seed = lines["seed"]
    assert seed["schema"] == "claims/1"
    assert seed["project"] == "syria-2024"
    assert seed["url"] is None
    assert seed["published"] is None
    assert seed["meta"] == {}
    assert seed["gold"] is None
    assert [a["annotator"] for a in seed["annotations"]] == ["alice", "bob"]
    alice, bob = seed["annotations"]
    assert alice["status"] == "submitted"
    assert alice["submitted_at"] is not None
    assert bob["status"] == "in_progress"
    (claim,) = alice["claims"]
    assert claim["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert claim["speaker"] == {
        "start": 2459,
        "end": 2476,
        "text": "The United States",
        "entity": None,
    }
    assert claim["cue"] == {"start": 2489, "end": 2493, "text": "said"}
    assert claim["target"]["text"] == "Al Assad"
    assert claim["stance"] == "oppose"
    assert claim["attributes"] == {"quote_type": "direct"}
    assert claim["note"] == ""
    assert claim["id"] == Claim.objects.get(annotator__username="alice", claim_start=2504).uid
    (entity_only,) = bob["claims"]
    assert entity_only["speaker"] == {
        "start": None,
        "end": None,
        "text": None,
        "entity": "United States",
    }
    assert entity_only["cue"] is None
    assert entity_only["target"] is None


def test_untouched_assignments_are_left_out(annotated, tmp_path):
    assert by_id(export(tmp_path, annotated.slug))["untouched"]["annotations"] == []


def test_exported_text_is_byte_for_byte(annotated, tmp_path):
    hard = by_id(export(tmp_path, annotated.slug))["hard"]
    assert hard["text"] == HARD_TEXT
    (claim,) = hard["annotations"][0]["claims"]
    assert claim["claim"]["text"] == "were constructive"
    assert claim["speaker"]["text"] == "the envoy 🧑🏾‍💼"
    assert claim["claim"]["start"] == HARD_TEXT.index("were constructive")


def test_every_exported_span_slices_the_text(annotated, tmp_path):
    assert assert_spans_slice(export(tmp_path, annotated.slug)) == 8
    assert assert_spans_slice(export(tmp_path, annotated.slug, "--per", "claim")) == 8


def test_it_writes_to_stdout_by_default(annotated, capsysbinary):
    call_command("export_jsonl", annotated.slug, stderr=StringIO())
    lines = capsysbinary.readouterr().out.splitlines()
    assert {json.loads(line)["id"] for line in lines} == {"seed", "hard", "untouched"}


def test_it_writes_a_file_and_leaves_no_partial_one(annotated, tmp_path):
    path = tmp_path / "export.jsonl"
    err = StringIO()
    call_command("export_jsonl", annotated.slug, "-o", str(path), stderr=err)
    assert len(path.read_bytes().splitlines()) == 3
    assert f"wrote 3 lines to {path}" in err.getvalue()
    assert list(tmp_path.iterdir()) == [path]


def test_an_empty_project_exports_nothing(project, tmp_path):
    assert export(tmp_path, project.slug) == []


def test_it_exports_only_the_given_project(annotated, tmp_path):
    call_command("create_project", "other", stdout=StringIO())
    assert export(tmp_path, "other") == []


# --- per claim ---------------------------------------------------------------------------


def test_per_claim_writes_one_flat_line_per_claim_with_every_key(annotated, tmp_path):
    lines = export(tmp_path, annotated.slug, "--per", "claim")
    assert len(lines) == 3
    for line in lines:
        assert set(line) == FLAT_KEYS
        assert line["schema"] == "claims/1-flat"
        assert line["project"] == "syria-2024"
    bob = next(line for line in lines if line["annotator"] == "bob")
    assert bob["cue"] is None
    assert bob["target"] is None
    assert bob["attributes"] == {}
    assert bob["status"] == "in_progress"
    hard = next(line for line in lines if line["document_id"] == "hard")
    assert hard["stance"] is None
    assert hard["target"] is None
    ids = {line["claim_id"] for line in lines}
    assert ids == set(Claim.objects.values_list("uid", flat=True))


def test_per_claim_context_holds_the_claim(annotated, tmp_path):
    texts = dict(Document.objects.values_list("external_id", "text"))
    for line in export(tmp_path, annotated.slug, "--per", "claim"):
        text, context, claim = texts[line["document_id"]], line["context"], line["claim"]
        assert context["start"] <= claim["start"] < claim["end"] <= context["end"]
        assert text[context["start"] : context["end"]] == context["text"]
        assert claim["text"] in context["text"]
    seed = next(line for line in export(tmp_path, annotated.slug, "--per", "claim"))
    assert seed["context"]["text"].startswith("The United States, meanwhile, said Al Assad")


# --- --status ----------------------------------------------------------------------------


def test_status_keeps_only_matching_annotation_sets(annotated, tmp_path):
    lines = export(tmp_path, annotated.slug, "--status", "submitted")
    assert [line["id"] for line in lines] == ["seed"]
    assert [a["annotator"] for a in lines[0]["annotations"]] == ["alice"]


def test_status_takes_several_values(annotated, tmp_path):
    comma = export(tmp_path, annotated.slug, "--status", "submitted,in_progress")
    repeated = export(tmp_path, annotated.slug, "--status", "submitted", "--status", "in_progress")
    assert comma == repeated
    assert {line["id"] for line in comma} == {"seed", "hard"}


def test_status_filters_flat_lines(annotated, tmp_path):
    lines = export(tmp_path, annotated.slug, "--per", "claim", "--status", "in_progress")
    assert {(line["document_id"], line["annotator"]) for line in lines} == {
        ("seed", "bob"),
        ("hard", "alice"),
    }


def test_status_uses_the_review_decision(annotated, tmp_path):
    Assignment.objects.filter(annotator__username="alice", document__external_id="seed").update(
        review="accepted"
    )
    assert export(tmp_path, annotated.slug, "--status", "submitted") == []
    (line,) = export(tmp_path, annotated.slug, "--status", "accepted")
    assert line["annotations"][0]["status"] == "accepted"


def test_it_refuses_an_unknown_status(annotated):
    assert "unknown status done" in refused(annotated.slug, "--status", "done")


# --- --gold ------------------------------------------------------------------------------


@pytest.fixture
def with_gold(annotated, rita, us_claim_payload):
    seed = Document.objects.get(external_id="seed")
    hard = Document.objects.get(external_id="hard")
    fields = {"claim_start": 2504, "claim_end": 2526, "stance": "oppose", "is_gold": True}
    Claim.objects.create(document=seed, annotator=rita, source="gold", **fields)
    Claim.objects.create(document=hard, annotator=rita, claim_start=0, claim_end=4, is_gold=True)
    Document.objects.filter(pk=seed.pk).update(gold_status=GoldStatus.COMPLETE, gold_by=rita)
    Document.objects.filter(pk=hard.pk).update(gold_status=GoldStatus.DRAFT)
    return annotated


def test_gold_exports_only_gold_complete_documents_and_gold_claims(with_gold, tmp_path):
    (line,) = export(tmp_path, with_gold.slug, "--gold")
    assert line["id"] == "seed"
    assert line["annotations"] == []
    assert line["gold"]["status"] == "complete"
    assert line["gold"]["adjudicators"] == ["rita"]
    (claim,) = line["gold"]["claims"]
    assert claim["claim"]["text"] == "lost control of Aleppo"
    assert claim["stance"] == "oppose"


def test_gold_per_claim_writes_only_gold_claims(with_gold, tmp_path):
    (line,) = export(tmp_path, with_gold.slug, "--gold", "--per", "claim")
    assert set(line) == FLAT_KEYS
    assert line["document_id"] == "seed"
    assert line["annotator"] == "rita"
    assert line["status"] == "gold"
    assert line["claim"]["text"] == "lost control of Aleppo"


def test_the_full_export_carries_gold_drafts_too(with_gold, tmp_path):
    lines = by_id(export(tmp_path, with_gold.slug))
    assert lines["seed"]["gold"]["status"] == "complete"
    assert lines["hard"]["gold"]["status"] == "draft"
    assert lines["hard"]["gold"]["claims"][0]["claim"]["text"] == "Live"
    assert len(lines["seed"]["annotations"]) == 2
    assert_spans_slice(list(lines.values()))


# --- refusals ----------------------------------------------------------------------------


def test_it_refuses_an_unknown_project(db):
    assert "unknown project 'nope'" in refused("nope")


def test_it_refuses_an_unknown_per(annotated):
    with pytest.raises(CommandError):
        call_command("export_jsonl", annotated.slug, "--per", "sentence", stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_it_exports_outside_a_transaction(tmp_path):
    """As the command runs in production: on PostgreSQL, one read-only snapshot."""
    call_command("demo", stdout=StringIO())
    (line,) = export(tmp_path, "syria-2024")
    assert line["annotations"][0]["claims"][0]["claim"]["text"] == "lost control of Aleppo"
    assert export(tmp_path, "syria-2024", "--per", "claim")[0]["context"]["text"]
