"""A reviewer in the browser: accept bob's claim, reject alice's, adjudicate the gold set."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from annotator.models import Assignment, Claim, Review
from annotator.models.workflow import AssignmentStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rita_reviews_and_adjudicates_gold(
    login, live_server, document, alice, bob, us_claim_payload
):
    alices = create_claim(access_to(alice, document.project), document, us_claim_payload)
    bobs = create_claim(
        access_to(bob, document.project), document, {**us_claim_payload, "stance": "neutral"}
    )
    Assignment.objects.filter(document=document).update(status=AssignmentStatus.SUBMITTED)

    page = login("rita")
    page.goto(f"{live_server.url}/p/{document.project.slug}/review/")
    page.get_by_role("link", name=document.title).first.click()
    page.wait_for_url(f"**/d/{document.pk}/review/")
    # The two claims share the span but not the stance: the stance cell is marked.
    assert page.locator(".review-grid tr.disagree dd.differs").count() == 2

    page.get_by_role("button", name=f"Accept bob's claim {bobs.pk}").click()
    page.get_by_role("button", name=f"Reject alice's claim {alices.pk}").click()
    page.get_by_role("button", name=f"Take into gold: bob's claim {bobs.pk}").click()
    page.get_by_label("Comment for alice").fill("Stance: the US opposes Assad here.")
    page.get_by_role("button", name="Reject alice's work").click()
    page.get_by_role("button", name="Mark gold complete").click()
    page.get_by_text("Gold marked complete.").wait_for()
    assert page.js_errors == []

    bobs.refresh_from_db()
    alices.refresh_from_db()
    assert (bobs.review, alices.review) == ("accepted", "rejected")
    assert Review.objects.filter(assignment__annotator=alice, decision="rejected").exists()
    gold = Claim.objects.get(document=document, is_gold=True)
    assert gold.origin_id == bobs.pk and gold.stance == "neutral"

    # The annotator sees the reviewer's comment on her document.
    annotator = login("alice")
    annotator.goto(f"{live_server.url}/d/{document.pk}/")
    annotator.get_by_text("Stance: the US opposes Assad here.").wait_for()

    out = StringIO()
    call_command("export_jsonl", document.project.slug, "--gold", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 1 and rows[0]["annotations"] == []
    assert rows[0]["gold"]["status"] == "complete"
    claims = rows[0]["gold"]["claims"]
    assert [(c["claim"]["text"], c["stance"]) for c in claims] == [
        ("lost control of Aleppo", "neutral")
    ]
