"""Shared fixtures: a project with alice and bob (annotators), rita (reviewer), mia
(manager), an outsider who belongs to no project, and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from annotator.models import Assignment, Document, Membership, Project, Role
from annotator.services.projects import create_project

SEED_TEXT = (
    Path(__file__).resolve().parent.parent / "annotator" / "fixtures" / "seed-article.txt"
).read_text(encoding="utf-8")
PASSWORD = "pw-for-tests-1"


def make_user(username: str, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return user


@pytest.fixture
def users(db) -> dict:
    return {name: make_user(name) for name in ("alice", "bob", "rita", "mia", "outsider")}


@pytest.fixture
def alice(users):
    return users["alice"]


@pytest.fixture
def bob(users):
    return users["bob"]


@pytest.fixture
def rita(users):
    return users["rita"]


@pytest.fixture
def mia(users):
    return users["mia"]


@pytest.fixture
def outsider(users):
    return users["outsider"]


@pytest.fixture
def project(users) -> Project:
    project = create_project("syria-2024", name="Syria 2024", scheme={"overlap": 2})
    roles = {
        "alice": Role.ANNOTATOR,
        "bob": Role.ANNOTATOR,
        "rita": Role.REVIEWER,
        "mia": Role.MANAGER,
    }
    for name, role in roles.items():
        Membership.objects.create(project=project, user=users[name], role=role)
    return project


@pytest.fixture
def document(project, alice, bob) -> Document:
    """The seed article, assigned to alice and bob."""
    document = Document.objects.create(
        project=project, external_id="seed", title=SEED_TEXT.split("\n", 1)[0], text=SEED_TEXT
    )
    for user in (alice, bob):
        Assignment.objects.create(document=document, annotator=user)
    return document


def span(text: str, needle: str, after: int = 0) -> dict:
    """A span payload for the first occurrence of needle at or after ``after``."""
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle)}


@pytest.fixture
def us_claim_payload() -> dict:
    """DESIGN.md's example claim on the seed article."""
    sentence = SEED_TEXT.index("The United States, meanwhile")
    return {
        "claim": span(SEED_TEXT, "lost control of Aleppo"),
        "speaker": span(SEED_TEXT, "The United States", sentence),
        "cue": span(SEED_TEXT, "said", sentence),
        "stance": "oppose",
        "target": span(SEED_TEXT, "Al Assad", sentence),
        "attributes": {"quote_type": "direct"},
        "note": "",
    }


@pytest.fixture(autouse=True)
def _concurrency_needs_a_server(request) -> None:
    """Race tests run real threads against PostgreSQL (CI runs them there). The in-memory
    SQLite test database is shared-cache: a second writer fails at once with "database table
    is locked" instead of waiting, so they cannot run on it."""
    if request.node.get_closest_marker("concurrency") and connection.vendor == "sqlite":
        pytest.skip("needs a database server; SQLite's shared-cache test database refuses")
