"""Creating a project, and its settings: name, guidelines and annotation scheme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotator.scheme import Scheme
from annotator.services.access import project_access
from annotator.services.errors import DomainError
from annotator.services.projects import create_project, update_project


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]


def _scheme(data: QueryDict) -> dict[str, Any]:
    """The scheme from the form: labels and attributes as comma-separated words."""
    attributes = {}
    for line in data.get("attributes", "").splitlines():
        name, _, values = line.partition(":")
        if name.strip():
            attributes[name.strip()] = _words(values)
    overlap = data.get("overlap", "1")
    return {
        "stance_labels": _words(data.get("stance_labels", "")),
        "attributes": attributes,
        "overlap": int(overlap) if overlap.isdigit() else overlap,
        "blind": data.get("blind") == "on",
        "stance_saves": data.get("stance_saves") == "on",
    }


def _scheme_fields(scheme: Scheme) -> dict[str, Any]:
    return {
        "stance_labels": ", ".join(scheme.stance_labels),
        "attributes": "\n".join(f"{k}: {', '.join(v)}" for k, v in scheme.attributes.items()),
        "overlap": scheme.overlap,
        "blind": scheme.blind,
        "stance_saves": scheme.stance_saves,
    }


@login_required
@require_POST
def new_project(request: HttpRequest) -> HttpResponse:
    """Anyone may start a project (as in the API) and becomes its manager."""
    try:
        project = create_project(
            request.POST.get("slug", "").strip(),
            name=request.POST.get("name", "").strip(),
            manager=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("project-list")
    messages.success(request, f"Project {project.slug} created; set its scheme and guidelines.")
    return redirect("project-settings", project.slug)


@login_required
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_manager()
    project = access.project
    values = {
        "name": project.name,
        "description": project.description,
        "guidelines": project.guidelines,
        **_scheme_fields(project.parsed_scheme),
    }
    error = None
    if request.method == "POST":
        values = {
            **values,
            **request.POST.dict(),
            "blind": request.POST.get("blind") == "on",
            "stance_saves": request.POST.get("stance_saves") == "on",
        }
        try:
            update_project(
                access,
                {
                    "name": request.POST.get("name", ""),
                    "description": request.POST.get("description", ""),
                    "guidelines": request.POST.get("guidelines", ""),
                    "scheme": _scheme(request.POST),
                },
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "Settings saved.")
            return redirect("project-settings", project.slug)
    return render(
        request,
        "annotator/settings.html",
        {"project": project, "access": access, "values": values, "error": error},
        status=400 if error else 200,
    )
