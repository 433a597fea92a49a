"""Authentication: tokens (made by drf_create_token) and sessions; anonymous throttling."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from rest_framework.test import APIClient

from tests.conftest import PASSWORD


def test_a_token_from_the_command_authenticates(alice, project) -> None:
    out = StringIO()
    call_command("drf_create_token", "alice", stdout=out)
    key = out.getvalue().split()[2]
    client = APIClient()
    response = client.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["results"][0]["role"] == "annotator"


def test_a_wrong_token_is_refused(project) -> None:
    response = APIClient().get("/api/projects/", HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_refused(api, alice, project) -> None:
    client = api("alice")
    alice.is_active = False
    alice.save()
    assert client.get("/api/projects/").status_code == 401


def test_anonymous_requests_are_told_to_authenticate(project) -> None:
    response = APIClient().get("/api/projects/syria-2024/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_browser_session_works_with_csrf(alice, document, us_claim_payload) -> None:
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    assert client.get(f"/api/documents/{document.pk}/").status_code == 200
    url = f"/api/documents/{document.pk}/claims/"
    # Without the CSRF token a session cannot write...
    assert client.post(url, us_claim_payload, format="json").status_code == 403
    # ...with it, it can (the cookie's secret, sent back in the header).
    secret = "x" * 32
    client.cookies["csrftoken"] = secret
    response = client.post(url, us_claim_payload, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201


def test_anonymous_requests_are_throttled(db) -> None:
    client = APIClient()
    statuses = [client.get("/api/docs/").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429
