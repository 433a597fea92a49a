"""The claim POST hot path (annotator/api/claim_post.py): one read before the write, the
same claim, history row and answers as the general path."""

from __future__ import annotations

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
    # Token, user, document, role and the assignment's lock in one SELECT; the claim and its
    # history row.
    assert statements(captured) == ["SELECT", "INSERT", "INSERT"]
    lock = captured[1]["sql"] if connection.vendor == "postgresql" else ""
    assert (
        connection.vendor != "postgresql"
        or lock.endswith('FOR UPDATE OF "a"')
        or ("FOR UPDATE OF a" in lock)
    )


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
