"""export → import into an empty project → export gives the same bytes (but the slug):
claim ids, review decisions on sets and claims, gold with two adjudicators, notes,
attributes, entities and fragments."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from annotator.models import Assignment, Claim, Document, Entity, Review
from annotator.services import review as review_service
from annotator.services import workflow
from annotator.services.access import access_to
from annotator.services.claims import create_claim

HARD = 'Live 🔴🇺🇳:\r\n"We will win," the envoy 🧑🏾‍💼 said, "and soon".\r\nقال المتحدث e\u0301.'


def at(text: str, needle: str, **extra) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), **extra}


@pytest.fixture
def reviewed(project, document, alice, bob, rita, mia, us_claim_payload):
    """Two documents, two annotators, decisions on a set and on a claim, a gold set made by
    two reviewers, a discontinuous quote, notes, attributes and entities."""
    Entity.objects.create(project=project, name="United States", aliases=["US"])
    hard = Document.objects.create(
        project=project, external_id="hard", title="Hard", text=HARD, meta={"section": "world"}
    )
    Assignment.objects.create(document=hard, annotator=bob)
    alice_access, bob_access = access_to(alice, project), access_to(bob, project)
    us = create_claim(
        alice_access,
        document,
        {**us_claim_payload, "speaker": {**us_claim_payload["speaker"], "entity": "US"}},
    )
    create_claim(bob_access, document, {"claim": at(document.text, "lost control of Aleppo")})
    split = create_claim(
        bob_access,
        hard,
        {
            "claim": {"fragments": [at(HARD, "We will win,"), at(HARD, "and soon")]},
            "speaker": at(HARD, "the envoy 🧑🏾‍💼"),
            "cue": at(HARD, "said"),
            "stance": "support",
            "attributes": {"quote_type": "direct"},
            "note": "split by “said”",
        },
    )
    for access, doc in ((alice_access, document), (bob_access, hard)):
        workflow.submit(access, doc)
    review_service.review_assignment(
        rita, Assignment.objects.get(document=document, annotator=alice), "accepted", "fine"
    )
    review_service.review_claims(rita, [split], "rejected", "the speaker is wrong")
    review_service.review_claims(mia, [split], "accepted", "no, it is right")
    review_service.take_into_gold(access_to(rita, project), us)
    review_service.take_into_gold(
        access_to(mia, project), Claim.objects.get(annotator=bob, document=document)
    )
    review_service.set_gold_status(access_to(rita, project), document, complete=True)
    return project


def export(slug: str, path: Path) -> bytes:
    call_command("export_jsonl", slug, "-o", str(path), stderr=StringIO())
    return path.read_bytes()


def test_export_import_export_is_byte_identical_but_for_the_slug(reviewed, tmp_path):
    first = export("syria-2024", tmp_path / "first.jsonl")
    assert b'"fragments"' in first and b'"reviews":[{"reviewer":"rita"' in first
    call_command("create_project", "copy", stdout=StringIO())
    call_command("import_annotations", "copy", str(tmp_path / "first.jsonl"), stdout=StringIO())
    second = export("copy", tmp_path / "second.jsonl")
    assert second == first.replace(b'"project":"syria-2024"', b'"project":"copy"')
    # The copy's reviews are real decisions, kept with their times.
    assert Review.objects.filter(claim__document__project__slug="copy").count() == 2
    assert Review.objects.filter(assignment__document__project__slug="copy").count() == 1


def test_reimporting_the_export_adds_nothing_and_keeps_the_ids(reviewed, tmp_path):
    first = export("syria-2024", tmp_path / "first.jsonl")
    claims, reviews = Claim.objects.count(), Review.objects.count()
    call_command(
        "import_annotations", "syria-2024", str(tmp_path / "first.jsonl"), stdout=StringIO()
    )
    assert (Claim.objects.count(), Review.objects.count()) == (claims, reviews)
    assert export("syria-2024", tmp_path / "again.jsonl") == first
