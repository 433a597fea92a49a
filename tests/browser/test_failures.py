"""The annotate page does not lose work silently: failed requests and unsaved claims."""

from __future__ import annotations

import pytest

from annotator.services.access import access_to
from annotator.services.claims import create_claim
from tests.browser.conftest import select_with_mouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The aborted request is the point of this test: the browser and htmx both log it.
@pytest.mark.allow_console(r"net::ERR_FAILED", r"htmx:(sendError|afterRequest)")
def test_a_save_that_cannot_reach_the_server_says_so(login, live_server, document):
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    select_with_mouse(page, "lost control of Aleppo")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-role-text=claim]').textContent.includes('Aleppo')"
    )
    page.route("**/claims/save/", lambda route: route.abort())
    page.keyboard.press("Control+Enter")
    page.get_by_text("The server cannot be reached. Nothing was saved").wait_for()
    assert document.claims.count() == 0


def test_leaving_an_unsaved_claim_asks_first(login, live_server, document, alice, us_claim_payload):
    saved = create_claim(access_to(alice, document.project), document, us_claim_payload)
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    select_with_mouse(page, "Moscow Al Assad’s most important military backer")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-form[data-dirty='1']")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("j")  # would open the saved claim instead
    page.wait_for_timeout(300)
    assert asked == ["Your current claim is not saved. Leave it?"]
    assert page.locator("#claim-form").get_attribute("data-claim-id") == ""
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("j")
    page.wait_for_selector(f"#claim-form[data-claim-id='{saved.pk}']")
