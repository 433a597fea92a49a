"""axe-core over every page a person uses: no critical or serious violation.

Pages added later call ``axe_check(page)`` from tests/browser/conftest.py the same way.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.models import Assignment
from annotator.models.workflow import AssignmentStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.suggestions import suggest_documents
from tests.browser.conftest import axe_check
from tests.browser.long_article import long_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_page_is_accessible(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    assert axe_check(page) == []
    page.close()


def test_the_project_pages_are_accessible(
    login, live_server, document, alice, bob, us_claim_payload
):
    project = document.project
    suggest_documents(project, [document.pk])
    for user in (alice, bob):
        create_claim(access_to(user, project), document, us_claim_payload)
    Assignment.objects.filter(document=document).update(status=AssignmentStatus.SUBMITTED)
    long = long_article(project, alice)

    page = login("mia")
    pages = [
        reverse("project-list"),
        reverse("dashboard", args=[project.slug]),
        reverse("annotate", args=[document.pk]),
        reverse("annotate", args=[long.pk]),
        reverse("review-queue", args=[project.slug]),
        reverse("review-document", args=[document.pk]),
        reverse("agreement", args=[project.slug]),
        reverse("entities", args=[project.slug]),
        reverse("import", args=[project.slug]),
        reverse("export", args=[project.slug]),
        reverse("members", args=[project.slug]),
        reverse("project-settings", args=[project.slug]),
        reverse("profile"),
    ]
    found = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        violations = axe_check(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_annotate_page_is_accessible_in_use(login, live_server, document):
    suggest_documents(document.project, [document.pk])
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    page.keyboard.press("j")  # a suggestion's card
    page.wait_for_selector("#claim-form[data-suggestion-id]")
    assert axe_check(page) == []
    page.keyboard.press("?")
    page.get_by_role("dialog", name="Keyboard shortcuts").wait_for()
    assert axe_check(page) == []
