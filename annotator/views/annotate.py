"""The annotate page: the article with its highlights, the claim form and the claim list.

Selecting, saving, deleting and moving between claims swap fragments with htmx; the page is
also usable without JavaScript links (every hx-get has an href).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotator.highlights import blocks_of, shown_text
from annotator.models import Assignment, Document
from annotator.models.content import ClaimContent
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services import suggestions
from annotator.services.access import (
    Access,
    claim_access,
    document_access,
    forget_assignment,
    own_assignment,
    suggestion_access,
)
from annotator.services.claims import create_claim, delete_claim, update_claim
from annotator.services.errors import DomainError, StaleVersion
from annotator.services.suggestions import pending
from annotator.views import workspace
from annotator.views.drafts import Draft, apply_action
from annotator.views.workspace import claim_rows, context, own_claims

PAGE = "annotator/annotate.html"


def _gold_mode(request: HttpRequest, access: Access) -> bool:
    """Reviewers edit a document's gold set with the same page (``?gold=1``)."""
    asked = request.GET.get("gold") or request.POST.get("gold")
    if asked == "1":
        access.require_reviewer()
        return True
    return False


@login_required
@require_GET
def annotate(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    draft = Draft()
    viewed = None
    wanted = request.GET.get("claim", "")
    if wanted.isdigit():
        current = (
            own_claims(access, document, gold)
            .select_related("speaker_entity", "target_entity")
            .filter(pk=int(wanted))
            .first()
        )
        if current is not None:
            draft = Draft.from_claim(current)
        else:
            viewed = _viewed(access, document, int(wanted))
    card = None
    wanted = request.GET.get("suggestion", "")
    if wanted.isdigit() and not gold:
        found = pending(access, document).filter(pk=int(wanted)).first()
        if found is not None:
            found.document = document
            card = workspace.suggestion_card(found)
    assignment = own_assignment(request.user, document)
    others = []
    if access.sees_all_claims and not access.can_review:
        theirs = access.claims(document).exclude(annotator=request.user)
        others = claim_rows(theirs, document.text, "annotator__username")
    page = context(
        access,
        document,
        draft,
        gold,
        assignment=None if gold else assignment,
        editable=gold or _editable(assignment, access),
        can_submit=assignment is not None and _editable(assignment, access),
        can_reopen=assignment is not None
        and assignment.status == AssignmentStatus.SUBMITTED
        and not assignment.review,
        other_rows=others,
        reviews=assignment.reviews.select_related("reviewer")[:5] if assignment else [],
        card=card,
        viewed=viewed,
    )
    return render(request, PAGE, page)


def _viewed(access: Access, document: Document, claim_id: int) -> dict[str, Any] | None:
    """Someone else's claim this user may see (from the explorer): shown read-only."""
    claim = (
        access.claims(document)
        .select_related("annotator", "speaker_entity", "target_entity")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        return None
    text = document.text
    shown = {
        role: shown_text(text, span.start, span.end, claim.fragments.get(role)) if span else ""
        for role, span in claim.spans().items()
    }
    return {**shown, "claim_text": shown["claim"], "claim": claim}


def _editable(assignment: Assignment | None, access: Access) -> bool:
    if assignment is None:
        return access.can_review
    if assignment.status == AssignmentStatus.SUBMITTED:
        return assignment.review == Decision.REJECTED
    return True


def _extent(*items: ClaimContent | None) -> list[tuple[int, int]]:
    """Where the claims' or suggestions' spans lie: the article blocks a change touches."""
    return [
        (span.start, span.end)
        for item in items
        if item is not None
        for span in item.spans().values()
        if span is not None
    ]


def _form(
    request: HttpRequest,
    page: dict[str, Any],
    *,
    with_lists: bool = False,
    changed: list[tuple[int, int]] | None = None,
) -> HttpResponse:
    """The claim form fragment; after a change, the lists, the document's status badge and
    the article's blocks the change touched (``changed``; all of it if None), out of band,
    so they never disagree."""
    html = render_to_string(f"{PAGE}#claim-form", page, request)
    if with_lists:
        document = page["document"]
        forget_assignment(document)  # a first claim moves it from "to do" to "in progress"
        assignment = None if page["gold"] else own_assignment(request.user, document)
        oob = {**page, "oob": True, "assignment": assignment}
        html += render_to_string(f"{PAGE}#claim-list", oob, request)
        html += render_to_string(f"{PAGE}#suggestion-list", oob, request)
        html += render_to_string(f"{PAGE}#doc-status", oob, request)
        if changed is None:
            html += render_to_string(f"{PAGE}#article", oob, request)
        elif changed:
            blocks = blocks_of(document.text, changed)
            html += page["lists"].article(only=blocks, attrs=' hx-swap-oob="true"')
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
    return _form(request, context(access, claim.document, Draft.from_claim(claim), gold))


@login_required
@require_GET
def new_claim_form(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    if not request.htmx:
        return redirect(_annotate_url(document.pk, gold))
    return _form(request, context(access, document, Draft(), gold))


@login_required
@require_POST
def draft_action(request: HttpRequest, document_id: int) -> HttpResponse:
    """Apply one form action (selection → role, entity pick/create) to the unsaved draft."""
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    draft = Draft.from_post(request.POST, access, document)
    error = "; ".join(draft.problems) or None
    try:
        apply_action(draft, request.POST, access, document)
    except DomainError as exc:
        error = exc.message
    return _form(request, context(access, document, draft, gold, error=error, dirty=True))


@login_required
@require_POST
def save_claim(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    gold = _gold_mode(request, access)
    draft = Draft.from_post(request.POST, access, document)
    claim = None
    if draft.claim_id is not None:
        _, claim = claim_access(request.user, draft.claim_id)
        if claim.document_id != document.pk:
            raise Http404("No such claim.")
    before = _extent(claim)
    try:
        if draft.problems:
            raise DomainError("; ".join(draft.problems))
        if claim is None:
            claim = create_claim(access, document, draft.payload(), gold=gold)
        else:
            claim = update_claim(access, claim, draft.payload(), draft.version)
    except StaleVersion as exc:
        fresh = Draft.from_claim(exc.current)
        page = context(access, document, fresh, gold, error=exc.message)
        return _form(request, page, with_lists=True)
    except DomainError as exc:
        page = context(access, document, draft, gold, error=exc.message, dirty=True)
        return _form(request, page)
    if not request.htmx:  # a plain form post (no JavaScript): back to the page
        messages.success(request, "Saved.")
        query = "?gold=1&" if gold else "?"
        return redirect(f"{_annotate_url(document.pk)}{query}claim={claim.pk}")
    # After a save no claim is current: the next selection starts a new claim, and editing
    # a saved one is an explicit pick (list, highlight, j/k).
    page = context(access, document, Draft(), gold, saved=claim)
    return _form(request, page, with_lists=True, changed=before + _extent(claim))


@login_required
@require_POST
def delete_claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    access, claim = claim_access(request.user, claim_id)
    document, gold = claim.document, claim.is_gold
    version = request.POST.get("version", "")
    try:
        delete_claim(access, claim, int(version) if version.isdigit() else None)
    except StaleVersion as exc:
        page = context(access, document, Draft.from_claim(exc.current), gold, error=exc.message)
        return _form(request, page, with_lists=True)
    except DomainError as exc:
        page = context(access, document, Draft.from_claim(claim), gold, error=exc.message)
        return _form(request, page)
    if not request.htmx:
        return redirect(_annotate_url(document.pk, gold))
    page = context(access, document, Draft(), gold, deleted=True)
    return _form(request, page, with_lists=True, changed=_extent(claim))


def _annotate_url(document_id: int, gold: bool = False) -> str:
    return reverse("annotate", args=[document_id]) + ("?gold=1" if gold else "")


@login_required
@require_GET
def suggestion_card(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """A suggestion becomes the current item: accept it with a, dismiss it with x."""
    access, suggestion = suggestion_access(request.user, suggestion_id)
    if not request.htmx:
        return redirect(f"{_annotate_url(suggestion.document_id)}?suggestion={suggestion.pk}")
    page = context(access, suggestion.document, Draft(), False)
    page["card"] = workspace.suggestion_card(suggestion)
    return HttpResponse(render_to_string(f"{PAGE}#suggestion-card", page, request))


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    access, suggestion = suggestion_access(request.user, suggestion_id)
    document = suggestion.document
    try:
        # The card's stance: the suggested one unless the annotator chose another.
        claim = suggestions.accept(access, suggestion, request.POST.get("stance"))
    except DomainError as exc:
        page = context(access, document, Draft(), False, error=exc.message)
        return _form(request, page, with_lists=True)
    if not request.htmx:
        return redirect(f"{_annotate_url(document.pk)}?claim={claim.pk}")
    # Accepting saves a claim: as after any save, none is current (j reaches the next).
    page = context(access, document, Draft(), False, accepted=claim)
    return _form(request, page, with_lists=True, changed=_extent(suggestion, claim))


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
    page = context(access, document, Draft(), False, error=error, dismissed=error is None)
    return _form(request, page, with_lists=True, changed=_extent(suggestion))
