"""Every API endpoint answers OPTIONS, and every API error, a server error included, in JSON."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, resolve, reverse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.views import APIView

from annotator.api import urls as api_urls
from tests.api.conftest import add_claim


def endpoints(document, claim, entity) -> list[str]:
    """Every named URL under /api/, its parameters filled with objects that exist."""
    ids = {"documents": document.pk, "claims": claim.pk, "entities": entity.pk}
    found = []
    for pattern in api_urls.urlpatterns:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        route = str(pattern.pattern)
        kwargs = {}
        if "<slug:slug>" in route:
            kwargs["slug"] = document.project.slug
        if "<int:id>" in route:
            kwargs["id"] = ids.get(route.split("/")[0], 1)
        found.append(reverse(pattern.name, kwargs=kwargs))
    return found


@pytest.fixture
def urls(alice, document, entity) -> list[str]:
    found = endpoints(document, add_claim(alice, document), entity)
    assert "/api/projects/" in found and f"/api/documents/{document.pk}/submit/" in found
    return found


@pytest.mark.parametrize("username", ["alice", "mia"])
def test_options_answers_every_endpoint(api, username, urls) -> None:
    client = api(username)
    for url in urls:
        response = client.options(url)
        assert response.status_code == 200, url
        assert "OPTIONS" in response["Allow"], url
        if resolve(url).func.view_class is SpectacularAPIView:
            continue  # the schema answers in its own formats (OpenAPI YAML or JSON)
        assert response["Content-Type"] == "application/json", url
        body = response.json()
        assert body["name"] and body["schema"] == "/api/schema/", url


def test_options_asks_anonymous_clients_to_authenticate(api, urls) -> None:
    response = api(None).options("/api/projects/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_server_error_in_any_endpoint_answers_json(api, urls, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(APIView, "initial", broken)
    client = api("mia")
    client.raise_request_exception = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 500, url
        assert response["Content-Type"] == "application/json", url
        assert response.json() == {
            "detail": "Server error: the request failed; it has been logged.",
            "code": "server_error",
        }


def test_a_server_error_outside_the_api_keeps_the_html_page(alice, document, monkeypatch):
    monkeypatch.setattr("annotator.views.projects.projects_for", lambda user: 1 / 0, raising=True)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get(reverse("project-list"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_request_the_server_refuses_before_any_view_answers_json(api, project) -> None:
    # A host that is not allowed is refused before any view runs (SuspiciousOperation).
    response = Client(raise_request_exception=False).get(
        "/api/projects/", headers={"host": "evil.example"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request.", "code": "bad_request"}
