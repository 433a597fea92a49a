"""What a claim says — its spans, stance and attributes — shared by claims and suggestions."""

from django.db import models

from annotator.models.fields import JSONField
from annotator.offsets import ROLES, Span, pieces

# The fields that make two claims (or a claim and its suggestion) say the same thing.
CONTENT_FIELDS = (
    "claim_start",
    "claim_end",
    "speaker_start",
    "speaker_end",
    "speaker_entity_id",
    "cue_start",
    "cue_end",
    "target_start",
    "target_end",
    "target_entity_id",
    "stance",
    "fragments",
)


def span_constraints(model: str) -> list[models.CheckConstraint]:
    """Each span is absent (only the claim span is required) or ``0 <= start < end``."""
    constraints = []
    for role in ROLES:
        start, end = f"{role}_start", f"{role}_end"
        valid = models.Q(**{f"{start}__gte": 0, f"{end}__gt": models.F(start)})
        if role != "claim":
            valid |= models.Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
        constraints.append(
            models.CheckConstraint(condition=valid, name=f"{model}_{role}_span_valid")
        )
    return constraints


class ClaimContent(models.Model):
    """Spans are code-point offsets into the document's text (see annotator.offsets); their
    text is always sliced from the document (a claim keeps a copy only to search it).
    Subclasses add the speaker and
    target entities, whose deletion rules differ."""

    claim_start = models.PositiveIntegerField()
    claim_end = models.PositiveIntegerField()
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    target_start = models.PositiveIntegerField(null=True, blank=True)
    target_end = models.PositiveIntegerField(null=True, blank=True)
    stance = models.CharField(max_length=40, blank=True)
    attributes = JSONField(default=dict, blank=True)
    # The pieces of discontinuous spans, by role: {"claim": [[start, end], ...]}; a role
    # spanning one piece is absent. Kept in the claim's own row: lists, highlights and
    # exports read thousands of claims, and one more join per claim would cost them all;
    # the order and no-overlap rules span several pieces, which no row constraint could
    # check anyway (annotator.offsets.check_fragments holds them on every write).
    fragments = JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def span(self, role: str) -> Span | None:
        start = getattr(self, f"{role}_start")
        return None if start is None else Span(start, getattr(self, f"{role}_end"))

    def spans(self) -> dict[str, Span | None]:
        return {role: self.span(role) for role in ROLES}

    def fragments_of(self, role: str) -> tuple[Span, ...]:
        """The role's fragments; () for a span of one piece."""
        return tuple(Span(start, end) for start, end in (self.fragments or {}).get(role, ()))

    def pieces(self, role: str) -> tuple[Span, ...]:
        """What the role's span covers: its fragments, or the span itself (() if unset)."""
        span = self.span(role)
        return () if span is None else pieces(span, self.fragments_of(role))
