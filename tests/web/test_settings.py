"""Starting a project and changing its settings in the browser's forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.models import Membership, Project, Role
from annotator.services.access import access_to
from annotator.services.claims import create_claim

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Syria, December",
    "description": "",
    "guidelines": "Mark every <claim>.",
    "stance_labels": "pro, contra, neutral",
    "attributes": "quote_type: direct, indirect\nsource: official, other",
    "overlap": "3",
}


def test_anyone_starts_a_project_and_manages_it(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("project-new"), {"slug": "elections", "name": "Elections"})
    assert response.status_code == 302
    project = Project.objects.get(slug="elections")
    assert Membership.objects.get(project=project, user=outsider).role == Role.MANAGER
    assert (
        client.post(reverse("project-new"), {"slug": "elections"}, follow=True).status_code == 200
    )
    assert Project.objects.filter(slug="elections").count() == 1


def test_a_manager_changes_the_scheme_and_guidelines(client, mia, project):
    client.force_login(mia)
    url = reverse("project-settings", args=[project.slug])
    assert client.post(url, SETTINGS).status_code == 302  # blind unchecked: not blind
    project.refresh_from_db()
    scheme = project.parsed_scheme
    assert scheme.stance_labels == ("pro", "contra", "neutral")
    assert scheme.attributes["source"] == ("official", "other")
    assert (scheme.overlap, scheme.blind) == (3, False)
    assert project.guidelines == "Mark every <claim>."
    html = client.get(url).content.decode()
    assert "Mark every &lt;claim&gt;." in html


def test_a_label_in_use_cannot_be_removed(client, mia, alice, project, document, us_claim_payload):
    create_claim(access_to(alice, project), document, us_claim_payload)  # stance "oppose"
    client.force_login(mia)
    response = client.post(reverse("project-settings", args=[project.slug]), SETTINGS)
    assert response.status_code == 400
    assert "oppose" in response.content.decode()
    project.refresh_from_db()
    assert "oppose" in project.parsed_scheme.stance_labels


def test_only_managers_reach_the_settings(client, rita, outsider, project):
    url = reverse("project-settings", args=[project.slug])
    client.force_login(rita)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
