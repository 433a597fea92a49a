"""Every endpoint × every kind of user: anonymous, outsider, annotator, reviewer, manager."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotator.models import Assignment, Document
from tests.api.conftest import add_claim

ROLES = ("anonymous", "outsider", "alice", "rita", "mia")


@dataclass
class World:
    document: int
    unassigned: int
    claim: int
    bobs_claim: int
    entity: int
    payload: dict


@pytest.fixture
def world(project, document, alice, bob, entity, us_claim_payload) -> World:
    unassigned = Document.objects.create(project=project, external_id="other", text="Nobody.")
    Assignment.objects.create(document=unassigned, annotator=bob)
    return World(
        document=document.pk,
        unassigned=unassigned.pk,
        claim=add_claim(alice, document).pk,
        bobs_claim=add_claim(bob, document).pk,
        entity=entity.pk,
        payload=us_claim_payload,
    )


P = "/api/projects/syria-2024"
# (name, method, url, body, expected status for anonymous, outsider, alice, rita, mia)
CASES = [
    ("projects list", "get", "/api/projects/", None, (401, 200, 200, 200, 200)),
    ("project create", "post", "/api/projects/", "new-project", (401, 201, 201, 201, 201)),
    ("project get", "get", f"{P}/", None, (401, 404, 200, 200, 200)),
    ("project patch", "patch", f"{P}/", {"guidelines": "Mark all."}, (401, 404, 403, 403, 200)),
    ("documents list", "get", f"{P}/documents/", None, (401, 404, 200, 200, 200)),
    (
        "documents import",
        "post",
        f"{P}/documents/",
        [{"id": "d2", "text": "Words."}],
        (401, 404, 403, 403, 201),
    ),
    ("document get", "get", "/api/documents/{document}/", None, (401, 404, 200, 200, 200)),
    (
        "unassigned document get",
        "get",
        "/api/documents/{unassigned}/",
        None,
        (401, 404, 403, 200, 200),
    ),
    # Reviewers and managers have no set of their own to submit on this document.
    (
        "document submit",
        "post",
        "/api/documents/{document}/submit/",
        None,
        (401, 404, 200, 400, 400),
    ),
    ("entities list", "get", f"{P}/entities/", None, (401, 404, 200, 200, 200)),
    ("entity create", "post", f"{P}/entities/", {"name": "Russia"}, (401, 404, 201, 201, 201)),
    ("entity get", "get", "/api/entities/{entity}/", None, (401, 404, 200, 200, 200)),
    (
        "entity patch",
        "patch",
        "/api/entities/{entity}/",
        {"aliases": ["US"]},
        (401, 404, 403, 200, 200),
    ),
    ("claims list", "get", "/api/documents/{document}/claims/", None, (401, 404, 200, 200, 200)),
    (
        "claim create",
        "post",
        "/api/documents/{document}/claims/",
        "payload",
        (401, 404, 201, 201, 201),
    ),
    (
        "claim create on unassigned",
        "post",
        "/api/documents/{unassigned}/claims/",
        "payload-short",
        (401, 404, 403, 201, 201),
    ),
    ("own claim get", "get", "/api/claims/{claim}/", None, (401, 404, 200, 200, 200)),
    ("blind claim get", "get", "/api/claims/{bobs_claim}/", None, (401, 404, 404, 200, 200)),
    (
        "claim patch",
        "patch",
        "/api/claims/{claim}/",
        {"version": 1, "note": "checked"},
        (401, 404, 200, 403, 403),
    ),
    ("claim delete", "delete", "/api/claims/{claim}/?version=1", None, (401, 404, 204, 403, 403)),
    ("export", "get", f"{P}/export.jsonl", None, (401, 404, 403, 200, 200)),
    ("agreement", "get", f"{P}/agreement/", None, (401, 404, 403, 200, 200)),
    ("schema", "get", "/api/schema/", None, (200, 200, 200, 200, 200)),
    ("docs", "get", "/api/docs/", None, (200, 200, 200, 200, 200)),
]


def _body(body: object, role: str, world: World) -> object:
    if body == "new-project":
        return {"slug": f"new-{role}"}
    if body == "payload":
        return world.payload
    if body == "payload-short":
        return {"claim": {"start": 0, "end": 6}}
    return body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_it_gives_each_role_its_status(api, world, role, method, url, body, expected) -> None:
    """The status code every kind of user gets from every endpoint."""
    client = api(None if role == "anonymous" else role)
    url = url.format(**vars(world))
    data = _body(body, role, world)
    send = getattr(client, method)
    response = send(url, data, format="json") if data is not None else send(url)
    assert response.status_code == expected[ROLES.index(role)], response.content[:300]
