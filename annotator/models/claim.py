import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.models.content import ClaimContent, span_constraints
from annotator.models.document import Document, Entity


class Source(models.TextChoices):
    MANUAL = "manual", "Annotated by hand"
    SUGGESTION = "suggestion", "Accepted suggestion"
    IMPORT = "import", "Imported"
    GOLD = "gold", "Adjudicated"


def new_uid() -> str:
    return str(uuid.uuid4())


class Claim(ClaimContent):
    """One annotator's annotation of one claim; ``is_gold`` marks the adjudicated set."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="claims")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    is_gold = models.BooleanField(default=False)
    # The claim's id in exports: kept when a file is imported into another project, so that
    # re-imports match on it and export → import → export gives the same file.
    uid = models.CharField(max_length=100, default=new_uid)
    speaker_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    # The claim a gold claim was taken from, for the adjudication trail.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The latest review decision on this claim ("" until reviewed).
    review = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)
    # A copy of the claim span's text for the explorer's word search, which would otherwise
    # slice every claim's document. Derived, never read as the claim's text: offsets stay
    # the truth, and the copy is refreshed on every save (a document's text never changes
    # once claims point into it).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])

    class Meta:
        ordering = ["document_id", "claim_start", "claim_end", "id"]
        constraints = [
            *span_constraints("claim"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_pos"),
            models.UniqueConstraint(
                fields=["document", "uid"], name="unique_claim_uid_per_document"
            ),
            models.CheckConstraint(condition=~models.Q(uid=""), name="claim_uid_not_empty"),
            # Taking a claim into gold twice (two reviewers, a double click) keeps one copy.
            models.UniqueConstraint(
                fields=["origin"],
                condition=models.Q(is_gold=True),
                name="one_gold_copy_per_claim",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "annotator", "is_gold"]),
            # The explorer's counts and charts read only these columns: an index-only scan.
            models.Index(
                fields=["document", "stance", "speaker_entity", "target_entity", "annotator"],
                name="claim_explorer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} in {self.document_id}"

    def copy_search_text(self) -> None:
        """Refresh the search copy; save() does it, a bulk create must call it first."""
        self.search_text = self.document.text[self.claim_start : self.claim_end]

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or {"claim_start", "claim_end"} & set(fields):
            self.copy_search_text()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    def span_text(self, role: str) -> str | None:
        span = self.span(role)
        return None if span is None else span.text_in(self.document.text)
