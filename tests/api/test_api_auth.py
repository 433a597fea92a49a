"""Authentication: tokens (made by drf_create_token) and sessions; anonymous throttling."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.http import HttpRequest
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
    # The login guard (django-axes) needs the request that logs in.
    assert client.login(request=HttpRequest(), username="alice", password=PASSWORD)
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


def test_guessing_tokens_gets_the_address_refused_for_a_while(api, alice, project) -> None:
    guesser = APIClient(REMOTE_ADDR="10.0.0.7")
    for n in range(20):
        response = guesser.get("/api/projects/", HTTP_AUTHORIZATION=f"Token guess-{n}")
        assert response.status_code == 401
    # Past the limit nothing is checked from that address, so a right guess is refused too.
    good = api("alice")
    token = good._credentials["HTTP_AUTHORIZATION"]
    response = guesser.get("/api/projects/", HTTP_AUTHORIZATION=token)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many invalid tokens from your address.")
    assert int(response["Retry-After"]) > 3500
    # Other addresses are not affected.
    assert good.get("/api/projects/", REMOTE_ADDR="10.0.0.8").status_code == 200


def test_a_forwarded_for_header_does_not_hide_the_guesser(project) -> None:
    guesser = APIClient(REMOTE_ADDR="10.0.0.7")
    for n in range(21):
        response = guesser.get(
            "/api/projects/",
            HTTP_AUTHORIZATION=f"Token guess-{n}",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",  # made up by the client: not trusted
        )
    assert response.status_code == 429


def test_right_tokens_are_not_counted(api, alice, project) -> None:
    client = api("alice")
    for _ in range(25):
        assert client.get("/api/projects/").status_code == 200
