"""Reviewing: accept or reject a submitted annotation set or a single claim."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from annotator.models import Assignment, Claim, Review
from annotator.models.workflow import AssignmentStatus, Decision
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
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(review=decision)
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
    assignment.save(update_fields=["review", "updated_at"])
    return review
