from django.conf import settings
from django.db import models

from annotator.models.claim import Claim
from annotator.models.content import ClaimContent, span_constraints
from annotator.models.document import Document, Entity


class Origin(models.TextChoices):
    DETECTOR = "detector", "Built-in detector"
    IMPORT = "import", "Imported pre-annotation"
    TRAINED = "trained", "Trained suggester"


class Suggestion(ClaimContent):
    """A machine-proposed claim that annotators accept, edit or dismiss, each for themselves."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.DETECTOR)
    speaker_entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Detector stances are guesses from the cue ("denied" → oppose); imported ones are not.
    stance_is_guess = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "claim_start", "claim_end", "id"]
        constraints = [
            *span_constraints("suggestion"),
            models.UniqueConstraint(
                fields=["document", "origin", "claim_start", "claim_end"],
                name="one_suggestion_per_span_and_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"suggestion {self.pk} in {self.document_id}"


class SuggestionDecision(models.Model):
    """One annotator's answer to one suggestion; dismissing never touches their claims."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="decisions")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    claim = models.ForeignKey(Claim, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "annotator"], name="one_decision_per_suggestion_annotator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annotator} {self.action} suggestion {self.suggestion_id}"
