"""The entities page: everyone in the project sees it, reviewers and managers edit it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.models import Entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def assad(project):
    return Entity.objects.create(project=project, name="Bashar al-Assad", aliases=["Assad"])


def _client(client, user):
    client.force_login(user)
    return client


def test_it_lists_entities_with_their_aliases(client, alice, project, assad):
    html = _client(client, alice).get(reverse("entities", args=[project.slug])).content.decode()
    assert "Bashar al-Assad" in html and "Assad" in html
    assert "Add an entity" not in html  # annotators read, reviewers edit


def test_a_reviewer_adds_aliases_which_the_entity_box_then_finds(client, rita, project, assad):
    url = reverse("entities", args=[project.slug])
    response = _client(client, rita).post(
        url, {"entity": assad.pk, "name": assad.name, "aliases": "Assad, Al Assad"}
    )
    assert response.status_code == 302
    assad.refresh_from_db()
    assert assad.aliases == ["Assad", "Al Assad"]
    found = client.get(
        reverse("entity-search", args=[project.slug]),
        {"role": "target", "target_entity_q": "al assad"},
    )
    assert "Bashar al-Assad" in found.content.decode()


def test_a_manager_adds_an_entity_and_a_duplicate_is_refused(client, mia, project, assad):
    url = reverse("entities", args=[project.slug])
    _client(client, mia).post(url, {"name": "United States", "aliases": "US, Washington"})
    assert Entity.objects.get(name="United States").aliases == ["US", "Washington"]
    response = client.post(url, {"name": "bashar AL-assad"}, follow=True)
    assert "already exists" in response.content.decode()
    assert Entity.objects.filter(project=project).count() == 2


def test_an_annotator_cannot_edit_and_an_outsider_cannot_see(
    client, alice, outsider, project, assad
):
    url = reverse("entities", args=[project.slug])
    assert _client(client, alice).post(url, {"name": "New"}).status_code == 403
    client.logout()
    assert _client(client, outsider).get(url).status_code == 404
    assert not Entity.objects.filter(name="New").exists()
