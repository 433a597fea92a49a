"""What the annotate page shows: the claim and suggestion lists, the highlighted article and
the claim form's fields.

Lists are read as plain values, not model instances, and each row is prepared once here, so
a long article with hundreds of claims renders in a constant number of queries and without
per-row work in the template.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import mark_safe

from annotator.highlights import Mark, shown_text, span_marks
from annotator.highlights import render as render_article
from annotator.models import Claim, Document, Review, Suggestion
from annotator.offsets import ROLES, Utf16Index
from annotator.services.access import Access
from annotator.services.suggestions import pending
from annotator.views import article_cache, keymap
from annotator.views.drafts import ENTITY_ROLES, Draft

SHOWN = 120  # characters of a claim shown in a list

_COLUMNS = (
    "id",
    "claim_start",
    "claim_end",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "target_start",
    "target_end",
    "stance",
    "speaker_entity__name",
    "fragments",
)


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _prefix(name: str) -> str:
    """The URL of an object's page without its id: one reverse() for a whole list."""
    return reverse(name, args=[0])[:-2]


def _rows(values: list[tuple], text: str, kind: str, url_name: str) -> list[dict[str, Any]]:
    prefix = _prefix(url_name)
    rows = []
    for pk, cs, ce, ss, se, _qs, _qe, _ts, _te, stance, entity, fragments, *more in values:
        # Numbers as text: Django localises every number a template prints, which costs
        # more than the rest of a row.
        rows.append(
            {
                "pk": pk,
                "id": str(pk),
                "owner": f"{kind}{pk}",
                "url": f"{prefix}{pk}/",
                "text": _short(shown_text(text, cs, ce, (fragments or {}).get("claim"))),
                "start": str(cs),
                "length": str(ce - cs),
                "speaker": text[ss:se] if ss is not None else entity,
                "stance": stance,
                "extra": more,
            }
        )
    return rows


def _marks(values: list[tuple], kind: str) -> list[Mark]:
    """What the article highlights for these rows: each span's fragments, or the span."""
    marks = []
    for pk, cs, ce, ss, se, qs, qe, ts, te, _stance, _entity, fragments, *_ in values:
        fragments = fragments or {}
        for role, start, end in (
            ("claim", cs, ce),
            ("speaker", ss, se),
            ("cue", qs, qe),
            ("target", ts, te),
        ):
            if start is not None:
                marks += span_marks(f"{kind}{pk}", role, start, end, fragments.get(role))
    return marks


def _claim_values(claims: QuerySet[Claim], *extra: str) -> list[tuple]:
    return list(claims.order_by("claim_start", "claim_end", "id").values_list(*_COLUMNS, *extra))


def claim_rows(claims: QuerySet[Claim], text: str, *extra: str) -> list[dict[str, Any]]:
    """One row per claim in text order; ``extra`` columns land in ``row["extra"]``."""
    return _rows(_claim_values(claims, *extra), text, "c", "claim-form")


def own_claims(access: Access, document: Document, gold: bool) -> QuerySet[Claim]:
    """The claims the page edits: the user's own, or (gold mode) the gold set."""
    claims = Claim.objects.filter(document=document, is_gold=gold)
    return claims if gold else claims.filter(annotator=access.user)


def _latest_reviews(access: Access, document: Document) -> dict[int, dict[str, str]]:
    """Each of the user's claims' latest review, so they see what the reviewer said."""
    latest: dict[int, dict[str, str]] = {}
    reviews = (
        Review.objects.filter(claim__document=document, claim__annotator=access.user)
        .order_by("-created_at", "-id")
        .values_list("claim_id", "decision", "reviewer__username", "comment")
    )
    for claim_id, decision, reviewer, comment in reviews:
        latest.setdefault(
            claim_id, {"decision": decision, "reviewer": reviewer, "comment": comment}
        )
    return latest


def _suggestion_values(access: Access, document: Document) -> list[tuple]:
    return list(
        pending(access, document).order_by("claim_start", "claim_end", "id").values_list(*_COLUMNS)
    )


def claim_items(rows: list[dict[str, Any]], gold: bool) -> str:
    """The claim list's items as HTML, every value escaped.

    Built here rather than in the template: a list of hundreds of claims costs the template
    engine more than all the rest of the page (measured: 12 ms against 1 ms for 200 rows).
    """
    query = "&amp;gold=1" if gold else ""
    items = []
    for row in rows:
        current = " current" if row["current"] else ""
        review = row["review"]
        verdict = ""
        if review:
            comment = f": “{escape(review['comment'])}”" if review["comment"] else ""
            verdict = (
                f'<span class="claim-review review-{review["decision"]}">{review["decision"]} by '
                f"{escape(review['reviewer'])}{comment}</span>"
            )
        items.append(
            f'<li><a class="claim-link{current}" href="?claim={row["id"]}{query}" '
            f'data-claim-id="{row["id"]}" data-start="{row["start"]}" '
            f'data-length="{row["length"]}" data-url="{row["url"]}">'
            f'<span class="claim-text">{escape(row["text"])}</span>'
            f'<span class="claim-meta">{escape(row["speaker"] or "no speaker")} · '
            f"{escape(row['stance'] or 'no stance')}</span>{verdict}</a></li>"
        )
    return "\n".join(items)


def context(
    access: Access,
    document: Document,
    draft: Draft,
    gold: bool,
    **extra: Any,
) -> dict[str, Any]:
    """Everything the page and its fragments need; the lists are always fresh, and read only
    by the responses that show them."""
    text = document.text
    lists = Lists(access, document, draft, gold)
    scheme = access.project.parsed_scheme
    texts = draft.span_texts(text)
    caps = keymap.keycaps()
    return {
        "access": access,
        "project": access.project,
        "document": document,
        "draft": draft,
        "draft_url": reverse("claim-draft", args=[document.pk]),
        "gold": gold,
        "role_rows": [
            {
                "name": role,
                "span": draft.spans[role],
                "text": texts[role],
                "fragments": ",".join(f"{f.start}-{f.end}" for f in draft.fragments[role]),
                "entity_role": role in ENTITY_ROLES,
                "entity": draft.entities.get(role),
                "auto": role in draft.auto,
                "auto_entity": f"{role}_entity" in draft.auto,
                "key": caps[role],
            }
            for role in ROLES
        ],
        "labels": scheme.stance_labels,
        "stance_saves": scheme.stance_saves,
        "keymap": keymap.KEYS,
        "keycaps": caps,
        "attribute_rows": [
            (name, name.replace("_", " ").capitalize(), values, draft.attributes.get(name, ""))
            for name, values in scheme.attributes.items()
        ],
        # Callables: the template calls them only where a fragment shows them.
        "lists": lists,
        "claim_rows": lambda: lists.rows,
        "claim_items": lists.items,
        "suggestion_rows": lambda: lists.suggestions,
        "article_u16_length": lambda: Utf16Index(text).to_utf16(len(text)),
        "article_html": lists.article,
        **extra,
    }


class Lists:
    """The page's claim and suggestion lists and its highlighted article."""

    def __init__(self, access: Access, document: Document, draft: Draft, gold: bool) -> None:
        self.access, self.document, self.draft, self.gold = access, document, draft, gold

    @cached_property
    def _claim_values(self) -> list[tuple]:
        return _claim_values(own_claims(self.access, self.document, self.gold))

    @cached_property
    def _suggestion_values(self) -> list[tuple]:
        return [] if self.gold else _suggestion_values(self.access, self.document)

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        rows = _rows(self._claim_values, self.document.text, "c", "claim-form")
        reviews = {} if self.gold else _latest_reviews(self.access, self.document)
        for row in rows:
            row["review"] = reviews.get(row["pk"])
            row["current"] = row["pk"] == self.draft.claim_id
        return rows

    @cached_property
    def suggestions(self) -> list[dict[str, Any]]:
        return _rows(self._suggestion_values, self.document.text, "s", "suggestion")

    def items(self) -> str:
        return mark_safe(claim_items(self.rows, self.gold))  # escaped in claim_items

    def article(self, only: Collection[int] | None = None, attrs: str = "") -> str:
        """The article's blocks (``only`` those, for a partial update) with highlights."""
        text = self.document.text
        claims, suggestions = self._claim_values, self._suggestion_values

        def marks() -> list[Mark]:
            return [*_marks(claims, "c"), *_marks(suggestions, "s")]

        # highlights.render escapes every piece of the text itself.
        if only is None and not attrs:
            return mark_safe(article_cache.rendered(text, (claims, suggestions), marks))
        return mark_safe(render_article(text, marks(), only=only, attrs=attrs))


def suggestion_card(suggestion: Suggestion) -> dict[str, Any]:
    text = suggestion.document.text
    spans = {
        role: span.text_in(text) if span else None for role, span in suggestion.spans().items()
    }
    if pieces := suggestion.fragments_of("claim"):  # a split quote: its pieces, not the cue
        spans["claim"] = " … ".join(text[p.start : p.end] for p in pieces)
    return {"suggestion": suggestion, **spans}
