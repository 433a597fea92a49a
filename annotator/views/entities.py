"""Entity autocomplete for the claim form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from annotator.services.access import project_access
from annotator.services.entities import search_entities
from annotator.views.drafts import ENTITY_ROLES


@login_required
@require_GET
def entity_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Options for the entity box of one role: matches by name or alias, then "create"."""
    access = project_access(request.user, slug)
    role = request.GET.get("role", "speaker")
    if role not in ENTITY_ROLES:
        role = "speaker"
    query = request.GET.get(f"{role}_entity_q", "").strip()
    entities = list(search_entities(access.project, query))
    exact = any(e.name.lower() == query.lower() for e in entities)
    return render(
        request,
        "annotator/entity_options.html",
        {
            "entities": entities,
            "role": role,
            "query": query,
            "offer_create": bool(query) and not exact,
            "draft_url": _draft_url(request.GET.get("document", "")),
        },
    )


def _draft_url(document_id: str) -> str:
    return reverse("claim-draft", args=[int(document_id)]) if document_id.isdigit() else ""
