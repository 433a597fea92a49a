"""The claim POST hot path (annotator/api/claim_post.py): one read before the write, the
same claim, history row and answers as the general path."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.models import Assignment, Claim
from annotator.models.workflow import AssignmentStatus


def claims_url(document) -> str:
    return f"/api/documents/{document.pk}/claims/"


def statements(captured) -> list[str]:
    """The statements sent, without the test's own savepoints."""
    return [
        q["sql"].split()[0]
        for q in captured
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_a_claim_post_is_one_read_and_two_inserts(api, document, us_claim_payload):
    client = api("alice")
    assert client.post(claims_url(document), us_claim_payload, format="json").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = client.post(claims_url(document), us_claim_payload, format="json")
    assert response.status_code == 201
    # Token, user, document, role and assignment in one SELECT. PostgreSQL: then one
    # statement (in autocommit, so no BEGIN/COMMIT outside a test) locks the assignment and
    # inserts the claim and its history row; SQLite: the two inserts.
    if connection.vendor == "postgresql":
        assert statements(captured) == ["SELECT", "WITH"]
        write = " ".join(captured[-1]["sql"].split())
        assert "FOR UPDATE" in write
        assert write.count("INSERT INTO") == 2 and '"annotator_historicalclaim"' in write
    else:
        assert statements(captured) == ["SELECT", "INSERT", "INSERT"]


def test_the_hot_path_writes_what_the_general_path_writes(
    api, client, users, document, us_claim_payload
):
    """The same claim and history row through the token (hot path) and a browser session
    (the general DRF view)."""
    response = api("alice").post(claims_url(document), us_claim_payload, format="json")
    client.force_login(users["alice"])
    general = client.post(claims_url(document), us_claim_payload, content_type="application/json")
    assert (response.status_code, general.status_code) == (201, 201)
    fast, slow = (Claim.objects.get(pk=r.json()["id"]) for r in (response, general))
    skip = {"id", "uid", "created_at", "updated_at", "history_id", "history_date"}
    fields = [f.attname for f in Claim._meta.concrete_fields if f.attname not in skip]
    assert [getattr(fast, f) for f in fields] == [getattr(slow, f) for f in fields]
    fast_row, slow_row = (
        {k: v for k, v in c.history.values().get().items() if k not in skip} for c in (fast, slow)
    )
    assert fast_row | {"id": 0} == slow_row | {"id": 0}
    assert (fast_row["history_user_id"], fast_row["history_type"]) == (users["alice"].pk, "+")
    body, other = response.json(), general.json()
    for key in ("id", "uid", "created_at", "updated_at"):
        body.pop(key, None), other.pop(key, None)
    assert body == other


def test_what_the_hot_path_declines_is_answered_as_before(api, users, document, us_claim_payload):
    url = claims_url(document)
    # No assignment moved to in progress yet: the general path does it.
    Assignment.objects.filter(document=document, annotator=users["alice"]).update(
        status=AssignmentStatus.TODO
    )
    assert api("alice").post(url, us_claim_payload, format="json").status_code == 201
    assert Assignment.objects.get(document=document, annotator=users["alice"]).status == (
        AssignmentStatus.IN_PROGRESS
    )
    bad = {**us_claim_payload, "stance": "sideways"}
    response = api("alice").post(url, bad, format="json")
    assert response.status_code == 400 and "stance" in response.json()
    assert api("alice").post(url, b"{", content_type="application/json").status_code == 400
    assert api("outsider").post(url, us_claim_payload, format="json").status_code == 404
    assert api(None).post(url, us_claim_payload, format="json").status_code == 401
    Assignment.objects.filter(document=document, annotator=users["alice"]).update(
        status=AssignmentStatus.SUBMITTED
    )
    assert api("alice").post(url, us_claim_payload, format="json").status_code == 403
    assert Claim.objects.count() == 1


def test_a_set_submitted_between_the_read_and_the_write_gets_no_claim(
    api, users, document, us_claim_payload, monkeypatch
):
    """PostgreSQL: the write re-checks the assignment it locks, so a submit that lands after
    the hot path's read leaves nothing to insert, and the general view refuses the claim.
    (On SQLite the read and the write share one IMMEDIATE transaction: no submit between.)"""
    from annotator.api import claim_post

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers queue for the whole transaction")

    client = api("alice")
    url = claims_url(document)
    assert client.post(url, us_claim_payload, format="json").status_code == 201
    read = claim_post._authorise

    def read_then_submit(*args):
        found = read(*args)
        Assignment.objects.filter(document=document, annotator=users["alice"]).update(
            status=AssignmentStatus.SUBMITTED
        )
        return found

    monkeypatch.setattr(claim_post, "_authorise", read_then_submit)
    response = client.post(url, us_claim_payload, format="json")
    assert response.status_code == 403 and "submitted" in response.json()["detail"]
    assert Claim.objects.count() == 1
    assert Claim.history.count() == 1
