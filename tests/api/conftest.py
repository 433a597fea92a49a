"""API fixtures: token clients for each user, and a small world to act on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.models import Claim, Document, Entity
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from tests.conftest import span


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """The anonymous throttle counts in the cache; every test starts from zero."""
    cache.clear()


@pytest.fixture
def api(users) -> Callable[[str | None], APIClient]:
    """``api("alice")`` is a client sending alice's token; ``api(None)`` is anonymous."""

    def client_for(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            token, _ = Token.objects.get_or_create(user=users[username])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def add_claim(user, document: Document, needle: str = "lost control of Aleppo", **extra) -> Claim:
    """A claim by ``user`` through the service, as the API would save it."""
    payload = {"claim": span(document.text, needle), "stance": "oppose", **extra}
    return create_claim(access_to(user, document.project), document, payload)


@pytest.fixture
def entity(project) -> Entity:
    return Entity.objects.create(project=project, name="United States", aliases=["Washington"])
