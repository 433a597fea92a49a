"""An annotator's whole path in a real browser: select with the mouse, set roles by key,
link an entity, pick a stance, save, reload, submit; then the manager's export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.models import Assignment, Claim, Document, Entity
from annotator.models.workflow import AssignmentStatus
from annotator.services.exporting import JsonlExport
from tests.browser.conftest import select_with_mouse, settled
from tests.conftest import SEED_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"

MIXED_TEXT = (
    "Live 🔴🇺🇳 from Aleppo: المتحدث باسم الوزارة قال ذلك.\r\n"
    "Later, the ministry said “the airport is closed” in a statement.\r\n"
)


def _annotate(page, *, claim, speaker, cue, target, entity, stance_key, nth=(0, 0, 0, 0)):
    select_with_mouse(page, claim, nth[0])
    page.keyboard.press("Enter")
    page.wait_for_function(
        "t => document.querySelector('[data-role-text=claim]').textContent.includes(t)", arg=claim
    )
    for role, key, text, n in (("speaker", "s", speaker, nth[1]), ("cue", "c", cue, nth[2])):
        select_with_mouse(page, text, n)
        page.keyboard.press(key)
        page.wait_for_function(
            "([r, t]) => document.querySelector(`[data-role-text=${r}]`).textContent === `“${t}”`",
            arg=[role, text],
        )
        settled(page)  # the cue may have been found already: wait for this key's answer
    select_with_mouse(page, target, nth[3])
    page.keyboard.press("t")
    page.wait_for_function(
        "t => document.querySelector('[data-role-text=target]').textContent === `“${t}”`",
        arg=target,
    )
    # e opens the entity box of the role set last (the target), filled with its text.
    page.keyboard.press("e")
    box = page.get_by_label("Target entity")
    assert box.input_value() == target
    box.fill(entity)
    box.press("Enter")
    page.get_by_text(f"Target entity: {entity}").wait_for()
    settled(page)
    page.keyboard.press(stance_key)
    page.keyboard.press("Control+Enter")
    page.get_by_role("status").filter(has_text="Saved.").wait_for()


def test_alice_annotates_the_us_claim_and_the_manager_exports_it(login, live_server, document, mia):
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    _annotate(
        page,
        claim="lost control of Aleppo",
        speaker="The United States",
        cue="said",
        target="Al Assad",
        entity="Bashar al-Assad",
        stance_key="2",
        nth=(0, 0, 8, 4),
    )
    claim = Claim.objects.get(document=document, annotator__username="alice")
    assert (claim.claim_start, claim.claim_end) == (2504, 2526)
    assert claim.stance == "oppose"
    assert claim.target_entity == Entity.objects.get(name="Bashar al-Assad")

    # Reload: the claim is highlighted in all four roles and listed.
    page.reload()
    article = page.locator("#article")
    assert article.locator(".h-claim").all_text_contents() == ["lost control of Aleppo"]
    assert article.locator(".h-speaker").all_text_contents() == ["The United States"]
    assert article.locator(".h-cue").all_text_contents() == ["said"]
    assert article.locator(".h-target").all_text_contents() == ["Al Assad"]
    page.locator("#article .h-claim").click()
    page.wait_for_selector(f"#claim-form[data-claim-id='{claim.pk}']")
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "annotate.png"))

    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"{live_server.url}/p/{document.project.slug}/")
    assignment = Assignment.objects.get(document=document, annotator__username="alice")
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert page.js_errors == []

    manager = login("mia")
    manager.goto(f"{live_server.url}/p/{document.project.slug}/export/")
    manager.get_by_label("claim, flat").check()
    with manager.expect_download() as download:
        manager.get_by_role("button", name="Download", exact=True).click()
    lines = [json.loads(line) for line in Path(download.value.path()).read_text().splitlines()]
    assert len(lines) == 1
    row = lines[0]
    assert row["annotator"] == "alice" and row["status"] == "submitted"
    assert row["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert row["speaker"] == {
        "start": 2459,
        "end": 2476,
        "text": "The United States",
        "entity": None,
    }
    assert row["cue"] == {"start": 2489, "end": 2493, "text": "said"}
    assert row["target"] == {
        "start": 2494,
        "end": 2502,
        "text": "Al Assad",
        "entity": "Bashar al-Assad",
    }
    assert row["stance"] == "oppose"
    assert SEED_TEXT[2504:2526] == "lost control of Aleppo"


def test_offsets_stay_exact_after_emoji_arabic_and_crlf(login, live_server, project, alice, mia):
    document = Document.objects.create(project=project, external_id="mixed", text=MIXED_TEXT)
    Assignment.objects.create(document=document, annotator=alice)
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    _annotate(
        page,
        claim="the airport is closed",
        speaker="the ministry",
        cue="said",
        target="the airport",
        entity="Aleppo airport",
        stance_key="3",
    )
    claim = Claim.objects.get(document=document)
    text = document.text
    for role, expected in (
        ("claim", "the airport is closed"),
        ("speaker", "the ministry"),
        ("cue", "said"),
        ("target", "the airport"),
    ):
        span = claim.span(role)
        assert text[span.start : span.end] == expected
    assert claim.claim_start == text.index("the airport is closed")
    assert claim.stance == "neutral"
    assert page.js_errors == []


def _keys_only_claim(page, claim: str, speaker: str) -> None:
    select_with_mouse(page, claim)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "t => document.querySelector('[data-role-text=claim]').textContent === `“${t}”`", arg=claim
    )
    select_with_mouse(page, speaker)
    page.keyboard.press("s")
    page.wait_for_function(
        "t => document.querySelector('[data-role-text=speaker]').textContent === `“${t}”`",
        arg=speaker,
    )
    page.keyboard.press("Control+Enter")
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    settled(page)


def test_two_claims_in_a_row_with_keys_only_are_both_exported(login, live_server, document):
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    badge = page.locator("#doc-status .badge")
    assert badge.inner_text() == "To do"
    first = ("his country could defeat", "Syrian President Bashar Al Assad")
    second = ("he will leave Tehran for Damascus", "Iran’s top diplomat Abbas Araghchi")
    _keys_only_claim(page, *first)
    # The status badge follows the save, without a reload.
    assert badge.inner_text() == "In progress"
    # After a save no claim is current: the next selection and Enter start a new claim.
    assert page.locator("#claim-form").get_attribute("data-claim-id") == ""
    _keys_only_claim(page, *second)
    assert page.locator("#claim-list .claim-link").count() == 2

    lines = [json.loads(line) for line in JsonlExport(document.project, per="claim").lines()]
    assert sorted((row["claim"]["text"], row["speaker"]["text"]) for row in lines) == sorted(
        [first, second]
    )

    # Editing a saved claim is an explicit pick; Shift+N leaves it for a new claim.
    page.keyboard.press("j")
    page.wait_for_selector("#claim-form[data-claim-id]:not([data-claim-id=''])")
    page.keyboard.press("Shift+N")
    page.wait_for_selector("#claim-form[data-claim-id='']")
    assert page.get_by_role("heading", name="New claim").is_visible()
    assert page.get_by_role("button", name="New claim Shift+N").is_visible()
    page.keyboard.press("?")
    help_row = page.locator("#help-dialog tr", has_text="start a new claim")
    assert help_row.is_visible() and help_row.locator("kbd").all_inner_texts() == ["Shift+N"]
    assert page.js_errors == []
