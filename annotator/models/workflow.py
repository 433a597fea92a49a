from django.conf import settings
from django.db import models
from django.utils import timezone

from annotator.models.claim import Claim
from annotator.models.document import Document
from annotator.models.fields import JSONField


class AssignmentStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Assignment(models.Model):
    """One annotator's work on one document: their annotation set and its progress."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.TODO
    )
    skip_reason = models.TextField(blank=True)
    # The latest review decision on the whole set ("" until reviewed).
    review = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # How many times the set has been submitted: a review decides one submission.
    submission = models.PositiveIntegerField(default=0)
    # What an imported file said beyond the claims, by format ({"brat": {...}}: marks, events
    # that are no claim, events' exact shapes), so exporting to that format gives it back.
    extras = JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document_id", "annotator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"], name="one_assignment_per_document_annotator"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AssignmentStatus.values),
                name="assignment_status_known",
            ),
        ]
        indexes = [models.Index(fields=["annotator", "status"])]

    def __str__(self) -> str:
        return f"{self.document} → {self.annotator}"

    @property
    def export_status(self) -> str:
        """The status a dataset user sees: the review decision once there is one."""
        return self.review or self.status


class Review(models.Model):
    """A reviewer's decision on a whole assignment or on a single claim."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    # For a set: the submission decided (Assignment.submission), and the decision's place
    # among those on it: 1, or 2 for a reviewer's change of the first, and so on. Reviews
    # made before these were kept have neither.
    submission = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    # Not auto_now_add: an imported review keeps the time it was made.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two reviewers deciding the same submission at once: one decision is kept.
            models.UniqueConstraint(
                fields=["assignment", "submission", "sequence"],
                condition=models.Q(assignment__isnull=False),
                name="one_decision_per_submission_step",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(assignment__isnull=False, claim__isnull=True)
                    | models.Q(assignment__isnull=True, claim__isnull=False)
                ),
                name="review_of_assignment_or_claim",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="review_decision_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer}"
