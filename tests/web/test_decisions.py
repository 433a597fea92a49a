"""What the races left behind, held one at a time: one decision per submission (changed only
knowingly), one gold copy per claim, a claim gone meanwhile."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from annotator.models import Assignment, Claim, Review
from annotator.services.access import access_to
from annotator.services.claims import delete_claim, update_claim
from annotator.services.errors import Conflict, Gone
from annotator.services.review import review_assignment, take_into_gold
from annotator.services.workflow import reopen, submit
from tests.api.conftest import add_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice, document) -> Assignment:
    submit(access_to(alice, document.project), document)
    return Assignment.objects.get(document=document, annotator=alice)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def decide(client, document, decision: str, **seen) -> list[str]:
    url = reverse("review-assignment", args=[document.pk])
    return messages_of(client.post(url, {"annotator": "alice", "decision": decision, **seen}))


def test_a_second_decision_on_a_submission_is_refused(rita, mia, submitted):
    review_assignment(rita, submitted, "accepted")
    with pytest.raises(Conflict, match="alice's work was already accepted by rita"):
        review_assignment(mia, submitted, "rejected")
    assert list(Review.objects.values_list("decision", "submission", "sequence")) == [
        ("accepted", 1, 1)
    ]


def test_the_loser_is_told_on_the_review_page(client, rita, mia, document, submitted):
    review_assignment(rita, submitted, "rejected", "missed two claims")
    client.force_login(mia)
    said = decide(client, document, "accepted", submission=1, replacing="")
    assert said == ["alice's work was already rejected by rita; reload to see the decision"]
    submitted.refresh_from_db()
    assert (submitted.review, submitted.status) == ("rejected", "in_progress")


def test_a_reviewer_changes_a_decision_they_saw(client, rita, mia, document, submitted):
    review_assignment(rita, submitted, "accepted")
    client.force_login(mia)
    # The page shows the decision; its form says which one the reviewer means to change.
    html = client.get(reverse("review-document", args=[document.pk])).content.decode()
    assert '<input type="hidden" name="replacing" value="accepted">' in html
    assert '<input type="hidden" name="submission" value="1">' in html
    said = decide(client, document, "rejected", submission=1, replacing="accepted")
    assert said == ["alice's work rejected."]
    decisions = Review.objects.order_by("id").values_list("decision", "submission", "sequence")
    assert list(decisions) == [("accepted", 1, 1), ("rejected", 1, 2)]


def test_a_decision_on_an_older_submission_is_refused(client, alice, rita, document, submitted):
    reopen(access_to(alice, document.project), document)
    submit(access_to(alice, document.project), document)  # submission 2, not yet read
    client.force_login(rita)
    said = decide(client, document, "accepted", submission=1, replacing="")
    assert said == ["alice has submitted this document again since; reload to review it"]
    assert not Review.objects.exists()


def test_each_new_submission_gets_its_own_decision(rita, alice, document, submitted):
    review_assignment(rita, submitted, "rejected")
    submit(access_to(alice, document.project), document)
    review_assignment(rita, submitted, "accepted")
    decisions = Review.objects.order_by("id").values_list("decision", "submission", "sequence")
    assert list(decisions) == [("rejected", 1, 1), ("accepted", 2, 1)]


def test_the_database_keeps_one_decision_per_submission_step(rita, mia, submitted):
    review_assignment(rita, submitted, "accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            reviewer=mia, assignment=submitted, decision="rejected", submission=1, sequence=1
        )


def test_the_database_keeps_one_gold_copy_per_claim(alice, rita, document):
    claim = add_claim(alice, document)
    gold = take_into_gold(access_to(rita, document.project), claim)
    assert take_into_gold(access_to(rita, document.project), claim) == gold
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            document=document,
            annotator=rita,
            is_gold=True,
            origin=claim,
            claim_start=claim.claim_start,
            claim_end=claim.claim_end,
        )


def test_a_claim_deleted_meanwhile_is_gone_not_an_error(alice, document):
    access = access_to(alice, document.project)
    claim = add_claim(alice, document)
    read_before = Claim.objects.get(pk=claim.pk)
    Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(Gone, match="this claim has been deleted meanwhile"):
        update_claim(access, read_before, {"note": "x"}, 1)
    with pytest.raises(Gone):
        delete_claim(access, read_before, 1)
