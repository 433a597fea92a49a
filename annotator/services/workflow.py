"""An annotator's way through the work: assignment, submit, skip, reopen, next document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotator.models import Assignment, Document, Membership, Role
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.access import Access
from annotator.services.errors import DomainError

OPEN = (AssignmentStatus.TODO, AssignmentStatus.IN_PROGRESS)


def assign_round_robin(
    access: Access, per_document: int | None = None, usernames: Sequence[str] | None = None
) -> int:
    """Give every document up to k annotators, spreading the load evenly; returns how many
    assignments were made. Existing assignments are kept."""
    access.require_manager()
    k = per_document or access.project.parsed_scheme.overlap
    annotators = list(
        Membership.objects.filter(project=access.project, role=Role.ANNOTATOR)
        .select_related("user")
        .order_by("user__username")
    )
    if usernames:
        unknown = sorted(set(usernames) - {m.user.username for m in annotators})
        if unknown:
            raise DomainError(
                f"not annotators of this project: {', '.join(unknown)}", field="annotators"
            )
        annotators = [m for m in annotators if m.user.username in set(usernames)]
    if not annotators:
        raise DomainError("the project has no annotators to assign", field="annotators")
    if k > len(annotators):
        raise DomainError(
            f"{k} annotators per document, but only {len(annotators)} annotators", field="k"
        )
    users = [m.user for m in annotators]
    load = Counter(
        dict(
            Assignment.objects.filter(document__project=access.project, annotator__in=users)
            .values("annotator")
            .annotate(n=Count("id"))
            .values_list("annotator", "n")
        )
    )
    have: dict[int, set[int]] = {}
    for doc_id, user_id in Assignment.objects.filter(document__project=access.project).values_list(
        "document_id", "annotator_id"
    ):
        have.setdefault(doc_id, set()).add(user_id)
    new = []
    for doc_id in Document.objects.filter(project=access.project).values_list("id", flat=True):
        assigned = have.get(doc_id, set())
        free = sorted(
            (u for u in users if u.pk not in assigned), key=lambda u: (load[u.pk], u.username)
        )
        for user in free[: max(0, k - len(assigned))]:
            new.append(Assignment(document_id=doc_id, annotator=user))
            load[user.pk] += 1
    Assignment.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _own(access: Access, document: Document) -> Assignment:
    # Read whole and locked: the workflows below save it (access.own_assignment is a
    # partial copy for reading).
    assignment = (
        Assignment.objects.select_for_update()
        .filter(document=document, annotator=access.user)
        .first()
    )
    if assignment is None:
        raise DomainError("this document is not assigned to you", code="not_assigned")
    return assignment


@transaction.atomic
def submit(access: Access, document: Document) -> Assignment:
    """Mark the user's work on the document done; it goes to review."""
    assignment = _own(access, document)
    if assignment.status == AssignmentStatus.SUBMITTED and assignment.review != Decision.REJECTED:
        return assignment
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.review = ""
    assignment.submission += 1
    assignment.submitted_at = timezone.now()
    assignment.skip_reason = ""
    assignment.save()
    return assignment


@transaction.atomic
def skip(access: Access, document: Document, reason: str) -> Assignment:
    assignment = _own(access, document)
    if not reason.strip():
        raise DomainError("say why you skip this document", field="reason")
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise DomainError("this document is already submitted", field="reason")
    assignment.status = AssignmentStatus.SKIPPED
    assignment.skip_reason = reason.strip()[:2000]
    assignment.save()
    return assignment


@transaction.atomic
def reopen(access: Access, document: Document) -> Assignment:
    """Take back a submission that no reviewer has accepted yet."""
    assignment = _own(access, document)
    if assignment.review == Decision.ACCEPTED:
        raise DomainError("a reviewer has accepted this document; it can no longer change")
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save()
    return assignment


def neighbour(access: Access, document: Document | None, step: int = 1) -> Document | None:
    """The user's next (step=1) or previous (step=-1) open assigned document, wrapping round."""
    open_ids = list(
        Assignment.objects.filter(
            annotator=access.user, document__project=access.project, status__in=OPEN
        )
        .order_by("document_id")
        .values_list("document_id", flat=True)
    )
    if document is not None and document.pk in open_ids and len(open_ids) == 1:
        return None
    if not open_ids:
        return None
    current = document.pk if document is not None else 0
    if step > 0:
        target = next((i for i in open_ids if i > current), open_ids[0])
    else:
        target = next((i for i in reversed(open_ids) if i < current), open_ids[-1])
    return Document.objects.get(pk=target)


def progress(access: Access) -> dict[str, Any]:
    """Per annotator: assignments by status, for the dashboard."""
    rows = (
        Assignment.objects.filter(document__project=access.project)
        .values("annotator__username", "status", "review")
        .annotate(n=Count("id"))
        .order_by("annotator__username")
    )
    table: dict[str, Counter] = {}
    for row in rows:
        counter = table.setdefault(row["annotator__username"], Counter())
        counter[row["review"] or row["status"]] += row["n"]
        counter["total"] += row["n"]
    return table
