from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.models.document import Document, Entity
from annotator.models.fields import JSONField
from annotator.offsets import ROLES, Span


def _span_constraints(role: str, required: bool) -> list[models.CheckConstraint]:
    start, end = f"{role}_start", f"{role}_end"
    valid = models.Q(**{f"{start}__gte": 0, f"{end}__gt": models.F(start)})
    if not required:
        valid |= models.Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
    return [models.CheckConstraint(condition=valid, name=f"claim_{role}_span_valid")]


class Source(models.TextChoices):
    MANUAL = "manual", "Annotated by hand"
    SUGGESTION = "suggestion", "Accepted suggestion"
    IMPORT = "import", "Imported"
    GOLD = "gold", "Adjudicated"


class Claim(models.Model):
    """One annotator's annotation of one claim; ``is_gold`` marks the adjudicated set.

    Spans are code-point offsets into the document's text (see annotator.offsets); their
    text is always derived from the document, never stored.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="claims")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    is_gold = models.BooleanField(default=False)
    claim_start = models.PositiveIntegerField()
    claim_end = models.PositiveIntegerField()
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    speaker_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    target_start = models.PositiveIntegerField(null=True, blank=True)
    target_end = models.PositiveIntegerField(null=True, blank=True)
    target_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stance = models.CharField(max_length=40, blank=True)
    attributes = JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    # The claim a gold claim was taken from, for the adjudication trail.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The latest review decision on this claim ("" until reviewed).
    review = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["document_id", "claim_start", "claim_end", "id"]
        constraints = [
            *_span_constraints("claim", required=True),
            *_span_constraints("speaker", required=False),
            *_span_constraints("cue", required=False),
            *_span_constraints("target", required=False),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_pos"),
        ]
        indexes = [models.Index(fields=["document", "annotator", "is_gold"])]

    def __str__(self) -> str:
        return f"claim {self.pk} in {self.document_id}"

    def span(self, role: str) -> Span | None:
        start = getattr(self, f"{role}_start")
        return None if start is None else Span(start, getattr(self, f"{role}_end"))

    def span_text(self, role: str) -> str | None:
        span = self.span(role)
        return None if span is None else span.text_in(self.document.text)

    def spans(self) -> dict[str, Span | None]:
        return {role: self.span(role) for role in ROLES}
