"""Reviewing: accept or reject a submitted annotation set or a single claim."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from simple_history.utils import bulk_update_with_history

from annotator.models import Assignment, Claim, Document, Review
from annotator.models.claim import Source
from annotator.models.content import CONTENT_FIELDS
from annotator.models.document import GoldStatus
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.access import Access
from annotator.services.errors import Conflict, DomainError, Gone


def _check_decision(decision: str) -> None:
    if decision not in Decision.values:
        raise DomainError(f"a review is accepted or rejected, not {decision!r}", field="decision")


@transaction.atomic
def review_claims(reviewer: Any, claims: Iterable[Claim], decision: str, comment: str = "") -> int:
    """Record the decision on each claim; returns how many were reviewed."""
    _check_decision(decision)
    claims = [c for c in claims if not c.is_gold]
    Review.objects.bulk_create(
        [Review(reviewer=reviewer, claim=c, decision=decision, comment=comment) for c in claims]
    )
    for claim in claims:
        claim.review = decision
    # Through the history, so that who decided what, and when, is kept with the claim.
    bulk_update_with_history(claims, Claim, ["review"], default_user=reviewer)
    return len(claims)


@transaction.atomic
def review_assignment(
    reviewer: Any,
    assignment: Assignment,
    decision: str,
    comment: str = "",
    *,
    replacing: str = "",
    submission: int | None = None,
) -> Review:
    """Accept or reject a submitted set; a rejected set goes back to its annotator.

    One decision per submission: ``replacing`` is the decision the reviewer saw and means to
    change ("" for none), ``submission`` the submission they saw (None: whichever is there).
    A decision made meanwhile by someone else, or a new submission, is a Conflict."""
    _check_decision(decision)
    # Locked: reviewers deciding at once queue here, and each sees the decision before.
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    who = assignment.annotator.username
    if submission is not None and current.submission != submission:
        raise Conflict(f"{who} has submitted this document again since; reload to review it")
    if current.review != replacing:
        latest = current.reviews.select_related("reviewer").first()
        by = f" by {latest.reviewer.username}" if latest else ""
        raise Conflict(
            f"{who}'s work was already {current.review}{by}; reload to see the decision",
            code="already_decided",
        )
    if current.status != AssignmentStatus.SUBMITTED:
        raise DomainError("only submitted work can be reviewed", field="assignment")
    if decision == current.review:
        raise Conflict(f"{who}'s work is already {decision}", code="already_decided")
    decided = Review.objects.filter(assignment=current, submission=current.submission).count()
    review = Review.objects.create(
        reviewer=reviewer,
        assignment=current,
        decision=decision,
        comment=comment,
        submission=current.submission,
        sequence=decided + 1,
    )
    current.review = decision
    if decision == Decision.REJECTED:
        # Back to its annotator: open again, and among their next documents.
        current.status = AssignmentStatus.IN_PROGRESS
    current.save(update_fields=["review", "status", "updated_at"])
    assignment.review, assignment.status = current.review, current.status
    return review


_COPIED = (*CONTENT_FIELDS, "attributes", "note")


@transaction.atomic
def take_into_gold(access: Access, claim: Claim) -> Claim:
    """Copy an annotator's claim into the document's gold set (once)."""
    access.require_reviewer()
    if claim.is_gold:
        raise DomainError("this claim is already gold")
    # Locked: reviewers taking the claim at once (or a double click) queue here, and the
    # second finds the first one's copy (one_gold_copy_per_claim holds it in the database).
    source = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if source is None:
        raise Gone("this claim has been deleted meanwhile")
    existing = Claim.objects.filter(is_gold=True, origin=source).first()
    if existing is not None:
        return existing
    gold = Claim(
        document=claim.document,
        annotator=access.user,
        is_gold=True,
        source=Source.GOLD,
        origin=source,
        **{name: getattr(source, name) for name in _COPIED},
    )
    gold.save()
    _gold_started(claim.document, access)
    return gold


def _gold_started(document: Document, access: Access) -> None:
    # One conditional update: a gold set marked complete meanwhile stays complete.
    started = Case(
        When(gold_status=GoldStatus.NONE, then=Value(GoldStatus.DRAFT)), default=F("gold_status")
    )
    Document.objects.filter(pk=document.pk).update(gold_status=started, gold_by=access.user)
    if document.gold_status == GoldStatus.NONE:
        document.gold_status = GoldStatus.DRAFT
    document.gold_by = access.user


@transaction.atomic
def set_gold_status(access: Access, document: Document, complete: bool) -> Document:
    """Mark the document's gold set complete (exported with --gold) or back to draft."""
    access.require_reviewer()
    document.gold_status = GoldStatus.COMPLETE if complete else GoldStatus.DRAFT
    document.gold_by = access.user
    document.save(update_fields=["gold_status", "gold_by"])
    return document
