"""rita reviews in the Django admin: filters the claims by speaker entity, opens one, sees it
highlighted in its paragraph, rejects it with a comment; alice finds the comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.models import Claim, Entity, Review
from annotator.services.access import access_to
from annotator.services.claims import create_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"
COMMENT = "The target is Assad himself, not his government: check the entity."


def test_rita_rejects_a_claim_from_the_admin_and_alice_reads_why(
    login, live_server, project, document, alice, bob, rita, us_claim_payload
):
    rita.is_staff = True
    rita.save()
    Entity.objects.create(project=project, name="United States", aliases=["US"])
    Entity.objects.create(project=project, name="Bashar al-Assad", aliases=["Al Assad"])
    Entity.objects.create(project=project, name="Hayat Tahrir al-Sham")
    speaker = {**us_claim_payload["speaker"], "entity": "United States"}
    target = {**us_claim_payload["target"], "entity": "Bashar al-Assad"}
    claim = create_claim(
        access_to(alice, project),
        document,
        {**us_claim_payload, "speaker": speaker, "target": target},
    )
    create_claim(
        access_to(bob, project),
        document,
        {"claim": {"start": 0, "end": 5}, "speaker": {"entity": "Hayat Tahrir al-Sham"}},
    )

    page = login("rita")
    page.goto(f"{live_server.url}/admin/annotator/claim/")
    assert page.locator("#result_list tbody tr").count() == 2

    # The speaker filter is an autocomplete: type part of a name, pick it, the list reloads.
    page.locator("#filter-speaker_entity + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("unit")
    page.locator(".select2-results__option", has_text="United States").click()
    page.wait_for_url("**speaker_entity__id__exact=*")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    rows.get_by_role("link", name="lost control of Aleppo").click()
    page.wait_for_url(f"**/admin/annotator/claim/{claim.pk}/change/**")

    context = page.locator("#claim-in-context")
    assert context.locator(".h-claim").all_text_contents() == ["lost control of Aleppo"]
    assert context.locator(".h-speaker").all_text_contents() == ["The United States"]
    assert context.locator(".h-cue").all_text_contents() == ["said"]
    assert context.locator(".h-target").all_text_contents() == ["Al Assad"]
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "admin.png"), full_page=False)

    page.get_by_role("link", name="Reject…").click()
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Reject 1 claim").click()
    page.wait_for_url(f"**/admin/annotator/claim/{claim.pk}/change/**")
    page.get_by_text("1 claim rejected.").wait_for()
    assert page.locator(".claim-reviews").inner_text().startswith("rejected by rita")
    review = Review.objects.get(claim=claim)
    assert (review.reviewer, review.decision, review.comment) == (rita, "rejected", COMMENT)
    assert Claim.objects.get(pk=claim.pk).review == "rejected"

    annotator = login("alice")
    annotator.goto(f"{live_server.url}/d/{document.pk}/")
    annotator.locator(".claim-review.review-rejected", has_text=COMMENT).wait_for()
    assert "rejected by rita" in annotator.locator(".claim-review").inner_text()
