"""Races on the review page: reviewers who click at the same moment, on PostgreSQL, many rounds.

Each test runs ROUNDS rounds of real concurrent requests and then checks what the database
holds; a failure lists every round that went wrong.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Review
from annotator.services.access import access_to
from annotator.services.workflow import submit
from tests.api.conftest import add_claim
from tests.conftest import SEED_TEXT
from tests.races import ROUNDS, statuses, together

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_reviewers_taking_one_claim_into_gold_at_once_make_one_gold_copy(
    alice, rita, mia, project, document
):
    """Two reviewers, three clicks each, on "take into gold" (issue 10, item 4)."""
    clients = [client_of(user) for user in (rita, rita, rita, mia, mia, mia)]
    wrong = []
    for round_ in range(ROUNDS):
        claim = add_claim(alice, document)
        url = reverse("take-gold", args=[claim.pk])
        codes = statuses(together(*[lambda c=c, url=url: c.post(url) for c in clients]))
        copies = Claim.objects.filter(is_gold=True, origin=claim).count()
        if copies != 1 or codes != [302] * 6:
            wrong.append((round_, codes, f"{copies} gold copies"))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"


def test_reviewers_deciding_one_submission_at_once_record_one_decision(alice, rita, mia, project):
    """rita accepts and mia rejects alice's submitted set at the same moment, twice each
    (issue 10, item 5): one decision wins, the others are told it was already decided."""
    clients = [
        (client_of(user), decision)
        for user, decision in (
            (rita, "accepted"),
            (rita, "accepted"),
            (mia, "rejected"),
            (mia, "rejected"),
        )
    ]
    wrong = []
    for round_ in range(ROUNDS):
        for client, _ in clients:
            client.cookies.pop("messages", None)  # each answer's messages are its own
        document = Document.objects.create(
            project=project, external_id=f"review-race-{round_}", text=SEED_TEXT
        )
        assignment = Assignment.objects.create(document=document, annotator=alice)
        submit(access_to(alice, project), document)
        url = reverse("review-assignment", args=[document.pk])
        answers = together(
            *[
                lambda c=c, d=d, url=url: c.post(url, {"annotator": "alice", "decision": d})
                for c, d in clients
            ]
        )
        reviews = list(Review.objects.filter(assignment=assignment))
        assignment.refresh_from_db()
        said = [messages_of(r) for r in answers if r.status_code == 302]
        won = [
            m for m in said if m == ["alice's work accepted."] or m == ["alice's work rejected."]
        ]
        told = [m for m in said if m and "already" in m[0]]
        if (
            statuses(answers) != [302] * 4
            or len(reviews) != 1
            or assignment.review != reviews[0].decision
            or (len(won), len(told)) != (1, 3)
        ):
            wrong.append((round_, [r.decision for r in reviews], said))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"
