"""GET/POST /api/projects/{slug}/members/ and POST /api/projects/{slug}/assign/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotator.models import Assignment, Document, Membership

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_manager_lists_and_sets_members(project, mia, outsider):
    client = client_for(mia)
    url = f"/api/projects/{project.slug}/members/"
    listed = client.get(url).json()["results"]
    assert {"username": "alice", "role": "annotator"} in listed and len(listed) == 4
    response = client.post(url, {"username": "outsider", "role": "annotator"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"username": "outsider", "role": "annotator"}
    assert Membership.objects.get(project=project, user=outsider).role == "annotator"
    bad = client.post(url, {"username": "outsider", "role": "boss"}, format="json")
    assert bad.status_code == 400 and "role" in bad.json()


def test_members_are_for_managers_and_reviewers(project, alice, rita, outsider):
    url = f"/api/projects/{project.slug}/members/"
    assert client_for(rita).get(url).status_code == 200
    assert client_for(alice).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    body = {"username": "outsider", "role": "manager"}
    assert client_for(rita).post(url, body, format="json").status_code == 403
    assert client_for(alice).post(url, body, format="json").status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_manager_assigns_documents(project, mia, alice, rita):
    for i in range(3):
        Document.objects.create(project=project, external_id=f"d{i}", text=f"text {i}")
    url = f"/api/projects/{project.slug}/assign/"
    response = client_for(mia).post(url, {"overlap": 2}, format="json")
    assert response.status_code == 200 and response.json() == {"assigned": 6}
    assert Assignment.objects.count() == 6
    assert client_for(mia).post(url, {"overlap": 0}, format="json").status_code == 400
    unknown = client_for(mia).post(url, {"annotators": ["rita"]}, format="json")
    assert unknown.status_code == 400 and "rita" in str(unknown.json())
    assert client_for(rita).post(url, {}, format="json").status_code == 403
