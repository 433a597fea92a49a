"""Suggested claims in the browser: j to reach one, a to accept it, x to dismiss."""

from __future__ import annotations

import json

import pytest

from annotator.models import Claim, Suggestion, SuggestionDecision
from annotator.services.exporting import JsonlExport
from annotator.services.suggestions import suggest_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_accepts_a_suggestion_with_the_keyboard_and_exports_it(login, live_server, document):
    suggest_documents(document.project, [document.pk])
    first = Suggestion.objects.filter(document=document).order_by("claim_start").first()
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    assert page.locator("#article .s-claim").count() > 0  # dashed highlights

    page.keyboard.press("j")
    page.wait_for_selector(f"#claim-form[data-suggestion-id='{first.pk}']")
    page.keyboard.press("a")
    page.get_by_role("status").filter(has_text="Suggestion accepted").wait_for()

    claim = Claim.objects.get(document=document, annotator__username="alice")
    assert (claim.claim_start, claim.claim_end) == (first.claim_start, first.claim_end)
    assert (claim.speaker_start, claim.cue_start) == (first.speaker_start, first.cue_start)
    # Accepting saves a claim: none is current, and the claim is listed.
    assert page.locator("#claim-form").get_attribute("data-claim-id") == ""
    assert page.locator(f"#claim-list [data-claim-id='{claim.pk}']").count() == 1
    assert page.locator(f"#suggestion-list [data-suggestion-id='{first.pk}']").count() == 0

    # j goes on to the next suggestion, which is dismissed with x; it never becomes a claim.
    following = (
        Suggestion.objects.filter(document=document, claim_start__gte=first.claim_start)
        .exclude(pk=first.pk)
        .order_by("claim_start", "claim_end", "id")
        .first()
    )
    page.keyboard.press("j")
    page.wait_for_selector(f"#claim-form[data-suggestion-id='{following.pk}']")
    second_id = page.locator("#claim-form").get_attribute("data-suggestion-id")
    page.keyboard.press("x")
    page.get_by_role("status").filter(has_text="Suggestion dismissed").wait_for()
    decision = SuggestionDecision.objects.get(suggestion_id=int(second_id))
    assert decision.action == "dismissed" and decision.claim is None
    assert Claim.objects.filter(document=document).count() == 1
    assert page.js_errors == []

    # Quiet until current: a thin line, not the hatching; h hides them, h shows them again.
    quiet = "() => getComputedStyle(document.querySelector("
    quiet += "'#article .s-claim:not(.suggested-current)')).backgroundImage"
    assert "repeating" not in page.evaluate(quiet) and "gradient" in page.evaluate(quiet)
    page.keyboard.press("h")
    assert page.evaluate(quiet) == "none"
    toggle = page.get_by_role("button", name="Show suggestions")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.keyboard.press("h")
    assert "gradient" in page.evaluate(quiet)

    lines = list(JsonlExport(document.project, per="claim").lines())
    assert len(lines) == 1
    exported = json.loads(lines[0])
    assert exported["annotator"] == "alice"
    text = document.text
    assert exported["claim"]["text"] == text[first.claim_start : first.claim_end]
