"""The top of the admin's claim page: the claim in its paragraph, highlighted as on the
annotate page (the same renderer, which escapes the text), each role's text beside its
offsets, and the decisions taken on it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.safestring import mark_safe

from annotator.context import paragraph_around, sentence_around
from annotator.highlights import render_excerpt, shown_text, span_marks
from annotator.models import Claim
from annotator.offsets import ROLES, Span

LONGEST = 3000  # characters: a "paragraph" longer than this (no line breaks) is cut to sentences


def shown(claim: Claim, role: str) -> str:
    """The role's text as a reader sees it (fragments joined by " … "); "" if unset."""
    span = claim.span(role)
    if span is None:
        return ""
    fragments = (claim.fragments or {}).get(role)
    return shown_text(claim.document.text, span.start, span.end, fragments)


def review_panel(claim: Claim, user: Any, *, can_decide: bool) -> dict[str, Any]:
    text = claim.document.text
    owner = f"c{claim.pk}"
    spans = {role: claim.span(role) for role in ROLES}
    set_spans = [s for s in spans.values() if s is not None]
    marks = [
        mark
        for role, span in spans.items()
        if span is not None
        for mark in span_marks(owner, role, span.start, span.end, claim.fragments.get(role))
    ]
    lo, hi = min(s.start for s in set_spans), max(s.end for s in set_spans)
    passage = paragraph_around(text, lo, hi)
    if passage.end - passage.start > LONGEST:
        passage = sentence_around(text, Span(lo, hi))
    roles = []
    for role, span in spans.items():
        entity = getattr(claim, f"{role}_entity", None)
        roles.append(
            {
                "role": role,
                "text": shown(claim, role),
                "offsets": "" if span is None else f"{span.start}–{span.end}",
                "fragments": [f"{a}–{b}" for a, b in claim.fragments.get(role, ())],
                "entity": entity,
            }
        )
    annotate = reverse("annotate", args=[claim.document_id])
    if claim.is_gold:
        page, page_name = f"{annotate}?gold=1&claim={claim.pk}", "annotate page (gold)"
    elif claim.annotator_id == user.pk:
        page, page_name = f"{annotate}?claim={claim.pk}", "annotate page"
    else:
        # A reviewer sees an annotator's claims on the review page, beside the others'.
        page, page_name = reverse("review-document", args=[claim.document_id]), "review page"
    return {
        "excerpt": mark_safe(render_excerpt(text, marks, passage.start, passage.end)),
        "roles": roles,
        "reviews": list(claim.reviews.select_related("reviewer")),
        "page_url": page,
        "page_name": page_name,
        "can_decide": can_decide and not claim.is_gold,
    }
