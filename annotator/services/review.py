"""Reviewing: accept or reject a submitted annotation set or a single claim."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from annotator.models import Assignment, Claim, Document, Review
from annotator.models.claim import Source
from annotator.models.content import CONTENT_FIELDS
from annotator.models.document import GoldStatus
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.access import Access
from annotator.services.errors import DomainError


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
    reviewer: Any, assignment: Assignment, decision: str, comment: str = ""
) -> Review:
    """Accept or reject a submitted set; a rejected set goes back to its annotator."""
    _check_decision(decision)
    if assignment.status != AssignmentStatus.SUBMITTED:
        raise DomainError("only submitted work can be reviewed", field="assignment")
    review = Review.objects.create(
        reviewer=reviewer, assignment=assignment, decision=decision, comment=comment
    )
    assignment.review = decision
    if decision == Decision.REJECTED:
        # Back to its annotator: open again, and among their next documents.
        assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save(update_fields=["review", "status", "updated_at"])
    return review


_COPIED = (*CONTENT_FIELDS, "attributes", "note")


@transaction.atomic
def take_into_gold(access: Access, claim: Claim) -> Claim:
    """Copy an annotator's claim into the document's gold set (once)."""
    access.require_reviewer()
    if claim.is_gold:
        raise DomainError("this claim is already gold")
    existing = Claim.objects.filter(document=claim.document, is_gold=True, origin=claim).first()
    if existing is not None:
        return existing
    gold = Claim(
        document=claim.document,
        annotator=access.user,
        is_gold=True,
        source=Source.GOLD,
        origin=claim,
        **{name: getattr(claim, name) for name in _COPIED},
    )
    gold.save()
    _gold_started(claim.document, access)
    return gold


def _gold_started(document: Document, access: Access) -> None:
    if document.gold_status == GoldStatus.NONE:
        document.gold_status = GoldStatus.DRAFT
    document.gold_by = access.user
    document.save(update_fields=["gold_status", "gold_by"])


@transaction.atomic
def set_gold_status(access: Access, document: Document, complete: bool) -> Document:
    """Mark the document's gold set complete (exported with --gold) or back to draft."""
    access.require_reviewer()
    document.gold_status = GoldStatus.COMPLETE if complete else GoldStatus.DRAFT
    document.gold_by = access.user
    document.save(update_fields=["gold_status", "gold_by"])
    return document
