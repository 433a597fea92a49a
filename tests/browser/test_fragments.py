"""A quote split by "she said", annotated in a real browser: select the first piece, Enter,
select the second, f; saved as one claim of two fragments, highlighted as the pieces only."""

from __future__ import annotations

import pytest

from annotator.models import Assignment, Claim, Document
from tests.browser.conftest import select_with_mouse, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = 'Live 🔴 report.\r\n"We will win," she said, "and soon."\r\nNothing else.'


def test_f_adds_the_selection_as_another_fragment(login, live_server, project, alice):
    document = Document.objects.create(project=project, external_id="split", text=TEXT)
    Assignment.objects.create(document=document, annotator=alice)
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    select_with_mouse(page, "We will win,")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-role-text=claim]').textContent.includes('We will')"
    )
    settled(page)
    select_with_mouse(page, "and soon.")
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.querySelector('[data-role-text=claim]').textContent"
        " === '“We will win, … and soon.”'"
    )
    settled(page)
    page.keyboard.press("Control+Enter")
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    claim = Claim.objects.get()
    assert [f.text_in(TEXT) for f in claim.fragments_of("claim")] == ["We will win,", "and soon."]
    lit = page.evaluate(
        "() => Array.from(document.querySelectorAll('#article .h-claim'))"
        ".map(e => e.textContent).join('')"
    )
    assert lit == "We will win,and soon."
    page.keyboard.press("?")
    assert (
        page.get_by_role("dialog").get_by_text("another fragment of the role set last").is_visible()
    )
    assert page.js_errors == []  # type: ignore[attr-defined]
