"""The project's entities: canonical speakers and targets with their aliases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotator.models import Claim, Entity
from annotator.services.access import project_access
from annotator.services.entities import create_entity, merge_entities, update_entity
from annotator.services.errors import DomainError


def _aliases(text: str) -> list[str]:
    return [a.strip() for a in text.replace("\n", ",").split(",") if a.strip()]


@login_required
def entities(request: HttpRequest, slug: str) -> HttpResponse:
    """Every member sees the list; reviewers and managers add and edit entities here."""
    access = project_access(request.user, slug)
    if request.method == "POST":
        access.require_reviewer()
        try:
            data = {
                "name": request.POST.get("name", ""),
                "aliases": _aliases(request.POST.get("aliases", "")),
            }
            if request.POST.get("entity"):
                entity = Entity.objects.get(project=access.project, pk=int(request.POST["entity"]))
                update_entity(access, entity, data)
                messages.success(request, f"Saved “{entity.name}”.")
            else:
                entity = create_entity(access, data)
                messages.success(request, f"Added “{entity.name}”.")
        except (DomainError, Entity.DoesNotExist, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "No such entity."))
        return redirect("entities", access.project.slug)
    in_project = Q(document__project=access.project, is_gold=False)
    if not access.sees_all_claims:  # blind: only the user's own claims are counted
        in_project &= Q(annotator=request.user)
    rows = Entity.objects.filter(project=access.project).order_by("name")
    # How often each entity is used, for the manager deciding what to merge or rename.
    speakers = dict(
        Claim.objects.filter(in_project, speaker_entity__isnull=False)
        .values_list("speaker_entity")
        .annotate(n=Count("id"))
        .order_by()
    )
    targets = dict(
        Claim.objects.filter(in_project, target_entity__isnull=False)
        .values_list("target_entity")
        .annotate(n=Count("id"))
        .order_by()
    )
    return render(
        request,
        "annotator/entities.html",
        {
            "project": access.project,
            "access": access,
            "entities": [
                (e, ", ".join(e.aliases), speakers.get(e.pk, 0), targets.get(e.pk, 0)) for e in rows
            ],
        },
    )


@login_required
@require_POST
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    """Merge the ticked entities into the one chosen to keep (reviewers and managers)."""
    access = project_access(request.user, slug)
    access.require_reviewer()
    ids = [int(v) for v in request.POST.getlist("merge") if v.isdigit()]
    keep = request.POST.get("into", "")
    entities = {e.pk: e for e in Entity.objects.filter(project=access.project, pk__in=ids)}
    into = entities.get(int(keep)) if keep.isdigit() else None
    try:
        if into is None:
            raise DomainError("choose the entity to keep among the ticked ones", field="into")
        merge_entities(access, into, list(entities.values()))
        messages.success(request, f"Merged {len(entities) - 1} entities into “{into.name}”.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("entities", access.project.slug)
