"""Races through the API: clients that write at the same moment, on PostgreSQL, many rounds.

Each test runs ROUNDS rounds of real concurrent requests and then checks what the database
holds; a failure lists every round that went wrong.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.models import Assignment, Claim, Document
from annotator.models.workflow import AssignmentStatus
from tests.api.conftest import add_claim
from tests.conftest import SEED_TEXT
from tests.races import ROUNDS, statuses, together

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def client_of(user) -> APIClient:
    """A token client that answers a server error as a 500 response, as a real one would."""
    client = APIClient(raise_request_exception=False)
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def new_document(project, name: str, *annotators) -> Document:
    document = Document.objects.create(project=project, external_id=name, text=SEED_TEXT)
    for user in annotators:
        Assignment.objects.create(document=document, annotator=user)
    return document


def test_a_submit_racing_new_claims_stays_submitted_and_no_claim_lands_after_it(
    alice, project, us_claim_payload
):
    """8 clients each post 3 claims while a ninth submits the set (issue 10, item 3)."""
    client = client_of(alice)
    wrong = []
    for round_ in range(ROUNDS):
        document = new_document(project, f"submit-race-{round_}", alice)
        url = f"/api/documents/{document.pk}/claims/"

        def post_claims(url=url):
            return [client.post(url, us_claim_payload, format="json") for _ in range(3)]

        def submit(document=document):
            return client.post(f"/api/documents/{document.pk}/submit/")

        *posts, submitted = together(*[post_claims] * 8, submit)
        answers = [r for batch in posts for r in (batch if isinstance(batch, list) else [batch])]
        codes = statuses(answers)
        assignment = Assignment.objects.get(document=document, annotator=alice)
        claims = Claim.objects.filter(document=document)
        late = claims.filter(created_at__gt=assignment.submitted_at).count()
        problems = []
        if statuses([submitted]) != [200]:
            problems.append(f"submit answered {statuses([submitted])}")
        if assignment.status != AssignmentStatus.SUBMITTED:
            problems.append(f"the set ended {assignment.status} after a 200 submit")
        if late:
            problems.append(f"{late} claims created after submitted_at")
        if set(codes) - {201, 403}:
            problems.append(f"claim posts answered {sorted(set(codes))}")
        if claims.count() != codes.count(201):
            problems.append(f"{claims.count()} claims stored, {codes.count(201)} answered 201")
        refused = [r.json()["detail"] for r in answers if r.status_code == 403]
        if any("submitted" not in detail for detail in refused):
            problems.append(f"unclear refusal: {refused[:1]}")
        if problems:
            wrong.append((round_, problems))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"


def test_concurrent_deletes_of_one_claim_delete_it_once_and_never_fail(alice, document):
    """10 clients delete the same claim with the version they read (issue 10, item 6)."""
    client = client_of(alice)
    wrong = []
    for round_ in range(ROUNDS):
        claim = add_claim(alice, document)
        url = f"/api/claims/{claim.pk}/?version=1"
        codes = statuses(together(*[lambda url=url: client.delete(url)] * 10))
        if sorted(codes) != [204] + [404] * 9 or Claim.objects.filter(pk=claim.pk).exists():
            wrong.append((round_, sorted(codes)))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"


def test_a_patch_racing_a_delete_is_either_refused_or_too_late(alice, document):
    """One client changes a claim while another deletes it, both with version 1: either the
    delete wins (the change finds no claim: 404) or the change wins (the delete is stale:
    409); never a 500."""
    client = client_of(alice)
    wrong = []
    for round_ in range(ROUNDS):
        claim = add_claim(alice, document)
        url = f"/api/claims/{claim.pk}/"
        codes = statuses(
            together(
                lambda url=url: client.delete(f"{url}?version=1"),
                lambda url=url: client.patch(url, {"version": 1, "note": "x"}, format="json"),
            )
        )
        stored = Claim.objects.filter(pk=claim.pk).values_list("note", "version").first()
        if not (
            (codes == [204, 404] and stored is None) or (codes == [409, 200] and stored == ("x", 2))
        ):
            wrong.append((round_, codes, stored))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"


def test_concurrent_identical_imports_answer_like_a_sequential_reimport(mia, project):
    """4 clients import the same documents at once (issue 10, item 7): one imports them,
    the others find them present and skip them, as a re-import would; none fails."""
    client = client_of(mia)
    url = f"/api/projects/{project.slug}/documents/"
    wrong = []
    for round_ in range(ROUNDS):
        body = [
            {"id": f"r{round_}-{i}", "text": f"Document {i} of round {round_}."} for i in range(300)
        ]
        answers = together(*[lambda body=body: client.post(url, body, format="json")] * 4)
        codes = statuses(answers)
        results = [r.json() for r in answers if r.status_code == 201]
        stored = Document.objects.filter(project=project, external_id__startswith=f"r{round_}-")
        if (
            codes != [201] * 4
            or sorted(r["created"] for r in results) != [0, 0, 0, 300]
            or any(r["created"] + r["skipped"] != 300 for r in results)
            or stored.count() != 300
        ):
            wrong.append((round_, codes, [r.get("created") for r in results], stored.count()))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"
