"""manage.py import_annotations PROJECT FILE [--create-users]: our own export read back."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from annotator.models import Assignment, Claim, Document, Entity, Membership, Project
from annotator.models.document import GoldStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim

HARD_TEXT = 'Live 🔴🇺🇳:\r\nthe envoy 🧑🏾‍💼 said talks "were constructive".\r\nقال المتحدث e\u0301.'


def at(text: str, needle: str, after: int = 0, **extra) -> dict:
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle), **extra}


def write_jsonl(path: Path, records: list) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes(("\n".join(lines) + "\n").encode())
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_annotations", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_annotations", *args, stdout=StringIO(), stderr=err)
    return f"{info.value}\n{err.getvalue()}"


def export(slug: str, path: Path, *args: str) -> list[dict]:
    call_command("export_jsonl", slug, "-o", str(path), *args, stderr=StringIO())
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def claims_by_set(lines: list[dict]) -> dict:
    """Claims per (document, annotator) and the gold set, without database ids."""
    result = {}
    for line in lines:
        for annotation in line["annotations"]:
            claims = [{k: v for k, v in c.items() if k != "id"} for c in annotation["claims"]]
            header = (annotation["status"], annotation["submitted_at"])
            result[line["id"], annotation["annotator"]] = (*header, claims)
        if line["gold"]:
            gold = line["gold"]
            claims = [{k: v for k, v in c.items() if k != "id"} for c in gold["claims"]]
            result[line["id"], "gold"] = (gold["status"], gold["adjudicators"], claims)
        result[line["id"], "document"] = {
            k: line[k] for k in ("title", "text", "url", "published", "meta")
        }
    return result


def counts() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "claims": Claim.objects.count(),
        "assignments": Assignment.objects.count(),
        "entities": Entity.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


@pytest.fixture
def annotated(project, document, alice, bob, rita, us_claim_payload):
    """Claims of every shape by alice and bob on two documents, and a complete gold set."""
    us = Entity.objects.create(project=project, name="United States", aliases=["US"])
    Entity.objects.create(project=project, name="Bashar al-Assad")
    payload = {
        **us_claim_payload,
        "speaker": {**us_claim_payload["speaker"], "entity": us.pk},
        "target": {**us_claim_payload["target"], "entity": "Bashar al-Assad"},
    }
    create_claim(access_to(alice, project), document, payload)
    create_claim(
        access_to(bob, project),
        document,
        {
            "claim": at(document.text, "lost control of Aleppo"),
            "speaker": {"entity": "United States"},
            "stance": "neutral",
            "attributes": {"quote_type": "indirect"},
            "note": "speaker only as an entity",
        },
    )
    Assignment.objects.filter(document=document, annotator=alice).update(
        status="submitted", submitted_at=timezone.now(), review="accepted"
    )
    hard = Document.objects.create(
        project=project,
        external_id="hard",
        title="Hard",
        text=HARD_TEXT,
        url="https://example.org/hard",
        published="2024-12-01",
        meta={"section": "world"},
    )
    Assignment.objects.create(document=hard, annotator=alice)
    create_claim(
        access_to(alice, project),
        hard,
        {
            "claim": at(HARD_TEXT, "were constructive"),
            "speaker": at(HARD_TEXT, "the envoy 🧑🏾‍💼"),
            "cue": at(HARD_TEXT, "said"),
            "stance": "support",
        },
    )
    create_claim(access_to(alice, project), hard, {"claim": at(HARD_TEXT, "قال المتحدث e\u0301")})
    Claim.objects.create(
        document=document,
        annotator=rita,
        is_gold=True,
        source="gold",
        claim_start=2504,
        claim_end=2526,
        speaker_entity=us,
        stance="oppose",
    )
    Document.objects.filter(pk=document.pk).update(gold_status=GoldStatus.COMPLETE, gold_by=rita)
    return project


# --- round trip --------------------------------------------------------------------------


def test_export_import_export_gives_the_same_claims(annotated, tmp_path):
    first = export(annotated.slug, tmp_path / "first.jsonl")
    call_command("create_project", "copy", stdout=StringIO())
    out = run("copy", str(tmp_path / "first.jsonl"))
    assert "2 documents added, 5 claims imported" in out
    second = export("copy", tmp_path / "second.jsonl")
    assert claims_by_set(second) == claims_by_set(first)
    assert len(claims_by_set(first)) == 6  # 3 annotation sets, 1 gold set, 2 documents
    copy = Project.objects.get(slug="copy")
    assert Document.objects.get(project=copy, external_id="seed").gold_status == "complete"
    assert set(Entity.objects.filter(project=copy).values_list("name", flat=True)) == {
        "United States",
        "Bashar al-Assad",
    }


def test_importing_the_same_file_twice_adds_nothing(annotated, tmp_path):
    path = tmp_path / "export.jsonl"
    export(annotated.slug, path)
    call_command("create_project", "copy", stdout=StringIO())
    run("copy", str(path))
    before = counts()
    out = run("copy", str(path))
    assert "0 documents added, 0 claims imported, 5 already present" in out
    assert counts() == before


def test_importing_an_export_into_its_own_project_adds_nothing(annotated, tmp_path):
    path = tmp_path / "export.jsonl"
    lines = export(annotated.slug, path)
    before = counts()
    run(annotated.slug, str(path))
    assert counts() == before
    assert claims_by_set(export(annotated.slug, tmp_path / "again.jsonl")) == claims_by_set(lines)


def test_a_flat_export_is_not_taken_for_documents(annotated, tmp_path):
    path = tmp_path / "flat.jsonl"
    export(annotated.slug, path, "--per", "claim")
    call_command("create_project", "copy", stdout=StringIO())
    assert "line 1:" in refused("copy", str(path))
    assert Document.objects.filter(project__slug="copy").count() == 0


# --- pre-annotations written by hand ------------------------------------------------------


def record(claims: list, annotator: str = "alice", **extra) -> dict:
    return {
        "id": extra.pop("id", "pre-1"),
        "text": extra.pop("text", HARD_TEXT),
        "annotations": [{"annotator": annotator, "status": "submitted", "claims": claims}],
        **extra,
    }


GOOD_CLAIM = {
    "claim": {**at(HARD_TEXT, "were constructive"), "text": "were constructive"},
    "cue": at(HARD_TEXT, "said"),
    "stance": "support",
}


def test_it_imports_pre_annotations_adding_the_document(project, alice, tmp_path):
    path = write_jsonl(tmp_path / "pre.jsonl", [record([GOOD_CLAIM])])
    assert "1 documents added, 1 claims imported" in run(project.slug, str(path))
    claim = Claim.objects.get()
    assert claim.document.text == HARD_TEXT
    assert claim.annotator == alice
    assert claim.source == "import"
    assert claim.span_text("claim") == "were constructive"
    assignment = Assignment.objects.get()
    assert assignment.status == "submitted"
    assert assignment.submitted_at is not None


def test_it_adds_claims_to_an_existing_document(project, document, bob, tmp_path):
    claim = {"claim": at(document.text, "lost control of Aleppo"), "stance": "oppose"}
    path = write_jsonl(
        tmp_path / "pre.jsonl", [record([claim], "bob", id="seed", text=document.text)]
    )
    assert "0 documents added, 1 claims imported" in run(project.slug, str(path))
    assert Claim.objects.get().document == document
    assert Document.objects.count() == 1


def test_it_imports_a_gold_set(project, rita, tmp_path):
    gold = {"status": "complete", "adjudicators": ["rita"], "claims": [GOOD_CLAIM]}
    path = write_jsonl(tmp_path / "gold.jsonl", [{"id": "g", "text": HARD_TEXT, "gold": gold}])
    run(project.slug, str(path))
    claim = Claim.objects.get()
    assert claim.is_gold
    assert claim.source == "gold"
    assert claim.annotator == rita
    document = Document.objects.get(external_id="g")
    assert document.gold_status == "complete"
    assert document.gold_by == rita


def test_unknown_annotator_is_refused_naming_the_line(project, alice, tmp_path):
    path = write_jsonl(
        tmp_path / "pre.jsonl", [record([GOOD_CLAIM]), record([GOOD_CLAIM], "zoe", id="pre-2")]
    )
    error = refused(project.slug, str(path))
    assert "pre.jsonl line 2:" in error
    assert "unknown annotator 'zoe'" in error
    assert "--create-users" in error
    assert Document.objects.count() == 0
    assert Claim.objects.count() == 0
    assert not get_user_model().objects.filter(username="zoe").exists()


def test_create_users_makes_an_inactive_account(project, tmp_path):
    path = write_jsonl(tmp_path / "pre.jsonl", [record([GOOD_CLAIM], "zoe")])
    out = run(project.slug, str(path), "--create-users")
    assert "1 users created" in out
    zoe = get_user_model().objects.get(username="zoe")
    assert not zoe.is_active
    assert not zoe.has_usable_password()
    assert Membership.objects.get(user=zoe, project=project).role == "annotator"
    assert Claim.objects.get().annotator == zoe


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("<b>zoe</b>", "cannot create an account named '<b>zoe</b>': Enter a valid username."),
        ("zoe smith", "Enter a valid username."),
        ("z" * 200, f"named '{'z' * 40}…': Ensure this value has at most 150 characters"),
    ],
)
def test_create_users_refuses_a_name_django_would_refuse(project, tmp_path, username, message):
    path = write_jsonl(
        tmp_path / "pre.jsonl",
        [record([GOOD_CLAIM], "ann"), record([GOOD_CLAIM], username, id="pre-2")],
    )
    error = refused(project.slug, str(path), "--create-users")
    assert "pre.jsonl line 2: annotations[0]: cannot create an account named" in error
    assert message in error
    assert not get_user_model().objects.filter(username__in=["ann", username]).exists()
    assert Document.objects.count() == 0


def test_an_empty_file_is_reported_as_holding_no_documents(project, tmp_path):
    path = tmp_path / "pre.jsonl"
    path.write_bytes(b"\n")
    out, err = StringIO(), StringIO()
    call_command("import_annotations", project.slug, str(path), stdout=out, stderr=err)
    assert "0 documents added" in out.getvalue()
    assert err.getvalue() == "warning: pre.jsonl held no documents; nothing was imported\n"


@pytest.mark.parametrize(
    ("bad_claim", "message"),
    [
        ({"claim": {"start": 0, "end": len(HARD_TEXT) + 1}}, "past the end"),
        ({"claim": {"start": -1, "end": 4}}, "negative"),
        ({"claim": {"start": 5, "end": 5}}, "greater than start"),
        ({"claim": {"start": 0, "end": 4, "text": "Dead"}}, "does not match"),
        ({"claim": {"start": 0, "end": 4}, "speaker": {"start": 0, "end": 999}}, "speaker:"),
        ({"claim": {"start": 0, "end": 4}, "stance": "against"}, "unknown stance 'against'"),
        ({"claim": {"start": 0, "end": 4}, "attributes": {"tone": "x"}}, "unknown attribute"),
        ({"speaker": {"start": 0, "end": 4}}, "needs its claim span"),
    ],
)
def test_a_bad_claim_is_refused_naming_the_line(project, alice, tmp_path, bad_claim, message):
    path = write_jsonl(
        tmp_path / "pre.jsonl",
        [record([GOOD_CLAIM]), record([GOOD_CLAIM, bad_claim], id="pre-2")],
    )
    before = counts()
    error = refused(project.slug, str(path))
    assert "pre.jsonl line 2:" in error
    assert "annotations[0].claims[1]" in error
    assert message in error
    assert "nothing was imported" in error
    assert counts() == before


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({"id": "x", "annotations": []}, "missing 'text'"),
        ({"id": "x", "text": "t", "annotations": {"alice": []}}, "annotations must be a list"),
        ({"id": "x", "text": "t", "annotations": [{"claims": []}]}, "missing annotator"),
        (
            {"id": "x", "text": "t", "annotations": [{"annotator": "alice", "status": "done"}]},
            "unknown status 'done'",
        ),
        (
            {"id": "x", "text": "t", "gold": {"claims": [{"claim": {"start": 0, "end": 1}}]}},
            "gold needs its adjudicators",
        ),
    ],
)
def test_a_bad_line_is_refused_naming_it(project, alice, tmp_path, bad, message):
    path = write_jsonl(tmp_path / "pre.jsonl", [record([GOOD_CLAIM]), bad])
    before = counts()
    error = refused(project.slug, str(path))
    assert "line 2:" in error
    assert message in error
    assert counts() == before


def test_a_document_with_a_different_text_is_refused(project, document, alice, tmp_path):
    path = write_jsonl(tmp_path / "pre.jsonl", [record([], id="seed", text="Another text.")])
    error = refused(project.slug, str(path))
    assert "line 1:" in error
    assert "'seed' exists with a different text" in error
    assert Document.objects.get().text == document.text


def test_it_refuses_an_unknown_project(db, tmp_path):
    path = write_jsonl(tmp_path / "pre.jsonl", [record([GOOD_CLAIM])])
    assert "unknown project 'nope'" in refused("nope", str(path))
    assert Document.objects.count() == 0


def test_a_gold_complete_document_without_gold_claims_round_trips(project, document, tmp_path):
    """Adjudicated as "no claims here": the export must read back."""
    Document.objects.filter(pk=document.pk).update(gold_status=GoldStatus.COMPLETE)
    (line,) = export(project.slug, tmp_path / "first.jsonl")
    assert line["gold"] == {"status": "complete", "adjudicators": [], "claims": []}
    call_command("create_project", "copy", stdout=StringIO())
    run("copy", str(tmp_path / "first.jsonl"))
    copied = Document.objects.get(project__slug="copy", external_id="seed")
    assert copied.gold_status == GoldStatus.COMPLETE
    assert export("copy", tmp_path / "second.jsonl") == [{**line, "project": "copy"}]


def test_it_refuses_a_nul_in_meta_naming_the_line(project, alice, tmp_path):
    bad = record([GOOD_CLAIM], id="pre-2", meta={"note": "nul \x00"})
    path = write_jsonl(tmp_path / "pre.jsonl", [record([GOOD_CLAIM]), bad])
    error = refused(project.slug, str(path))
    assert "line 2" in error and "'meta' must not contain NUL" in error
    assert not Claim.objects.exists()
