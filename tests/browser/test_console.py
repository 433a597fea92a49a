"""A clean console: the watch itself, and the flows that used to log errors."""

from __future__ import annotations

import pytest

from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.suggestions import suggest_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_catches_csp_violations_and_page_errors(browser, live_server, console_watch):
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    # An inline style attribute and a script error, as a careless template or script would.
    with page.expect_console_message(lambda m: "CSP violation" in m.text):
        page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    # Waited for, not slept on: the error reaches us after the evaluate has returned.
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('boom') })")
    caught = list(console_watch.problems)
    console_watch.problems.clear()  # seen: this test is about the watch, not the page
    page.close()
    assert any("CSP violation: style-src" in p for p in caught), caught
    assert any("page error: boom" in p for p in caught), caught


def test_bob_moves_to_his_only_claim_with_j(login, live_server, document, bob, us_claim_payload):
    suggest_documents(document.project, [document.pk])
    claim = create_claim(access_to(bob, document.project), document, us_claim_payload)
    page = login("bob")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    page.keyboard.press("j")
    page.wait_for_selector(f"#claim-form[data-claim-id='{claim.pk}']")
    page.wait_for_timeout(200)
    page.keyboard.press("j")
    page.wait_for_selector("#claim-form[data-suggestion-id]")
    page.keyboard.press("k")
    page.wait_for_selector(f"#claim-form[data-claim-id='{claim.pk}']")
    page.wait_for_timeout(200)
