"""The annotate page tells the annotator when a request fails instead of failing silently."""

from __future__ import annotations

import pytest

from tests.browser.conftest import select_with_mouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
