"""The annotate page: the article with its highlights, the claim form and the claim list.

Selecting, saving, deleting and moving between claims swap fragments with htmx; the page is
also usable without JavaScript links (every hx-get has an href).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from annotator.highlights import Mark
from annotator.highlights import render as render_article
from annotator.models import Assignment, Claim, Document, Review, Suggestion
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.offsets import ROLES, Utf16Index
from annotator.services import suggestions
from annotator.services.access import Access, claim_access, document_access, suggestion_access
from annotator.services.claims import create_claim, delete_claim, update_claim
from annotator.services.errors import DomainError, StaleVersion
from annotator.services.suggestions import pending
from annotator.views.drafts import ENTITY_ROLES, Draft, apply_action

PAGE = "annotator/annotate.html"
ROLE_KEYS = {"claim": "Enter", "speaker": "s", "cue": "c", "target": "t"}


def _gold_mode(request: HttpRequest, access: Access) -> bool:
    """Reviewers edit a document's gold set with the same page (``?gold=1``)."""
    asked = request.GET.get("gold") or request.POST.get("gold")
    if asked == "1":
        access.require_reviewer()
        return True
    return False


def _own_claims(access: Access, document: Document, gold: bool) -> list[Claim]:
    claims = Claim.objects.filter(document=document, is_gold=gold)
    if not gold:
        # The annotator sees each claim's latest review and its comment.
        latest = Review.objects.select_related("reviewer").order_by("-created_at", "-id")
        claims = claims.filter(annotator=access.user).prefetch_related(
            Prefetch("reviews", queryset=latest)
        )
    return list(
        claims.select_related("speaker_entity", "target_entity").order_by(
            "claim_start", "claim_end", "id"
        )
    )


def _marks(claims: list[Claim], suggestions: list[Suggestion]) -> list[Mark]:
    items = [("c", c) for c in claims] + [("s", s) for s in suggestions]
    return [
        Mark(f"{prefix}{item.pk}", role, span.start, span.end)
        for prefix, item in items
        for role, span in item.spans().items()
        if span is not None
    ]


def _claim_rows(claims: list[Claim] | list[Suggestion], text: str) -> list[dict[str, Any]]:
    rows = []
    for claim in claims:
        speaker = claim.speaker_entity.name if claim.speaker_entity else None
        if claim.speaker_start is not None:
            speaker = text[claim.speaker_start : claim.speaker_end]
        rows.append(
            {
                "claim": claim,
                "text": text[claim.claim_start : claim.claim_end],
                "length": claim.claim_end - claim.claim_start,
                "speaker": speaker,
                "review": _latest_review(claim),
            }
        )
    return rows


def _latest_review(claim: Claim | Suggestion) -> Review | None:
    cache = getattr(claim, "_prefetched_objects_cache", {})
    reviews = cache.get("reviews")
    return reviews[0] if reviews else None


def _context(
    access: Access,
    document: Document,
    draft: Draft,
    gold: bool,
    claims: list[Claim] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    claims = _own_claims(access, document, gold) if claims is None else claims
    suggestions = [] if gold else list(pending(access, document))
    scheme = access.project.parsed_scheme
    texts = draft.span_texts(document.text)
    return {
        "access": access,
        "project": access.project,
        "document": document,
        "draft": draft,
        "gold": gold,
        "role_rows": [
            {
                "name": role,
                "span": draft.spans[role],
                "text": texts[role],
                "entity_role": role in ENTITY_ROLES,
                "entity": draft.entities.get(role),
                "key": ROLE_KEYS[role],
            }
            for role in ROLES
        ],
        "labels": scheme.stance_labels,
        "attribute_rows": [
            (name, name.replace("_", " ").capitalize(), values, draft.attributes.get(name, ""))
            for name, values in scheme.attributes.items()
        ],
        "claim_rows": _claim_rows(claims, document.text),
        "suggestion_rows": _claim_rows(suggestions, document.text),
        "article_u16_length": Utf16Index(document.text).to_utf16(len(document.text)),
        "article_html": mark_safe(
            render_article(document.text, _marks(claims, suggestions))
        ),  # escaped in highlights
        **extra,
    }


@login_required
@require_GET
def annotate(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    claims = _own_claims(access, document, gold)
    draft = Draft()
    wanted = request.GET.get("claim")
    if wanted:
        current = next((c for c in claims if str(c.pk) == wanted), None)
        if current is not None:
            draft = Draft.from_claim(current)
    card = None
    wanted_suggestion = request.GET.get("suggestion", "")
    if wanted_suggestion.isdigit() and not gold:
        found = pending(access, document).filter(pk=int(wanted_suggestion)).first()
        if found is not None:
            found.document = document
            card = _suggestion_card(found)
    assignment = Assignment.objects.filter(document=document, annotator=request.user).first()
    others: list[Claim] = []
    if access.sees_all_claims and not access.can_review:
        others = list(
            access.claims(document)
            .exclude(annotator=request.user)
            .select_related("annotator", "speaker_entity", "target_entity")
        )
    context = _context(
        access,
        document,
        draft,
        gold,
        claims,
        assignment=None if gold else assignment,
        editable=gold or _editable(assignment, access),
        can_submit=assignment is not None and _editable(assignment, access),
        can_reopen=assignment is not None
        and assignment.status == AssignmentStatus.SUBMITTED
        and not assignment.review,
        other_rows=_claim_rows(others, document.text),
        reviews=assignment.reviews.select_related("reviewer")[:5] if assignment else [],
        card=card,
    )
    return render(request, PAGE, context)


def _editable(assignment: Assignment | None, access: Access) -> bool:
    if assignment is None:
        return access.can_review
    if assignment.status == AssignmentStatus.SUBMITTED:
        return assignment.review == Decision.REJECTED
    return True


def _form(
    request: HttpRequest, context: dict[str, Any], *, with_lists: bool = False
) -> HttpResponse:
    """The claim form fragment, with the claim list and article swapped out of band."""
    html = render_to_string(f"{PAGE}#claim-form", context, request)
    if with_lists:
        oob = {**context, "oob": True}
        html += render_to_string(f"{PAGE}#claim-list", oob, request)
        html += render_to_string(f"{PAGE}#suggestion-list", oob, request)
        html += render_to_string(f"{PAGE}#article", oob, request)
    return HttpResponse(html)


@login_required
@require_GET
def claim_form(request: HttpRequest, claim_id: int) -> HttpResponse:
    """An existing claim becomes the current one."""
    access, claim = claim_access(request.user, claim_id)
    gold = claim.is_gold
    if gold:
        access.require_reviewer()
    elif claim.annotator_id != request.user.pk:
        raise Http404("No such claim.")
    if not request.htmx:
        query = "?gold=1&" if gold else "?"
        return redirect(f"{_annotate_url(claim.document_id)}{query}claim={claim.pk}")
    return _form(request, _context(access, claim.document, Draft.from_claim(claim), gold))


@login_required
@require_GET
def new_claim_form(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    if not request.htmx:
        return redirect(_annotate_url(document.pk, gold))
    return _form(request, _context(access, document, Draft(), gold))


@login_required
@require_POST
def draft_action(request: HttpRequest, document_id: int) -> HttpResponse:
    """Apply one form action (selection → role, entity pick/create) to the unsaved draft."""
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    draft = Draft.from_post(request.POST, access, document)
    error = None
    try:
        apply_action(draft, request.POST, access, document)
    except DomainError as exc:
        error = exc.message
    return _form(request, _context(access, document, draft, gold, error=error))


@login_required
@require_POST
def save_claim(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    draft = Draft.from_post(request.POST, access, document)
    try:
        if draft.claim_id is None:
            claim = create_claim(access, document, draft.payload(), gold=gold)
        else:
            _, claim = claim_access(request.user, draft.claim_id)
            if claim.document_id != document.pk:
                raise Http404("No such claim.")
            claim = update_claim(access, claim, draft.payload(), draft.version)
    except StaleVersion as exc:
        fresh = Draft.from_claim(exc.current)
        context = _context(access, document, fresh, gold, error=exc.message)
        return _form(request, context, with_lists=True)
    except DomainError as exc:
        return _form(request, _context(access, document, draft, gold, error=exc.message))
    context = _context(access, document, Draft.from_claim(claim), gold, saved=True)
    return _form(request, context, with_lists=True)


@login_required
@require_POST
def delete_claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    access, claim = claim_access(request.user, claim_id)
    document, gold = claim.document, claim.is_gold
    version = request.POST.get("version", "")
    try:
        delete_claim(access, claim, int(version) if version.isdigit() else None)
    except StaleVersion as exc:
        context = _context(access, document, Draft.from_claim(exc.current), gold, error=exc.message)
        return _form(request, context, with_lists=True)
    except DomainError as exc:
        context = _context(access, document, Draft.from_claim(claim), gold, error=exc.message)
        return _form(request, context)
    if not request.htmx:
        return redirect(_annotate_url(document.pk, gold))
    context = _context(access, document, Draft(), gold, deleted=True)
    return _form(request, context, with_lists=True)


def _annotate_url(document_id: int, gold: bool = False) -> str:
    return reverse("annotate", args=[document_id]) + ("?gold=1" if gold else "")


def _suggestion_card(suggestion: Suggestion) -> dict[str, Any]:
    text = suggestion.document.text
    spans = {
        role: span.text_in(text) if span else None for role, span in suggestion.spans().items()
    }
    return {"suggestion": suggestion, **spans}


@login_required
@require_GET
def suggestion_card(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """A suggestion becomes the current item: accept it with a, dismiss it with x."""
    access, suggestion = suggestion_access(request.user, suggestion_id)
    if not request.htmx:
        return redirect(f"{_annotate_url(suggestion.document_id)}?suggestion={suggestion.pk}")
    context = _context(access, suggestion.document, Draft(), False)
    context["card"] = _suggestion_card(suggestion)
    return HttpResponse(render_to_string(f"{PAGE}#suggestion-card", context, request))


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    access, suggestion = suggestion_access(request.user, suggestion_id)
    document = suggestion.document
    try:
        claim = suggestions.accept(access, suggestion)
    except DomainError as exc:
        context = _context(access, document, Draft(), False, error=exc.message)
        return _form(request, context, with_lists=True)
    if not request.htmx:
        return redirect(f"{_annotate_url(document.pk)}?claim={claim.pk}")
    context = _context(access, document, Draft.from_claim(claim), False, accepted=True)
    return _form(request, context, with_lists=True)


@login_required
@require_POST
def dismiss_suggestion(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    access, suggestion = suggestion_access(request.user, suggestion_id)
    document = suggestion.document
    error = None
    try:
        suggestions.dismiss(access, suggestion)
    except DomainError as exc:
        error = exc.message
    if not request.htmx:
        return redirect(_annotate_url(document.pk))
    context = _context(access, document, Draft(), False, error=error, dismissed=error is None)
    return _form(request, context, with_lists=True)
