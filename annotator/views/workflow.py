"""Moving through the assigned documents: next, previous, submit, skip, reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.services import workflow
from annotator.services.access import document_access, project_access
from annotator.services.errors import DomainError


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _doc(document_id: int) -> str:
    return reverse("annotate", args=[document_id])


def _dashboard(slug: str) -> str:
    return reverse("dashboard", args=[slug])


@login_required
@require_GET
def next_in_project(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    document = workflow.neighbour(access, None)
    if document is None:
        messages.info(request, "You have no open documents in this project. Well done!")
        return redirect("dashboard", slug)
    return redirect("annotate", document.pk)


@login_required
@require_GET
def neighbour(request: HttpRequest, document_id: int, step: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    target = workflow.neighbour(access, document, step)
    if target is None:
        messages.info(request, "No other open document is assigned to you.")
        return _go(request, _doc(document.pk))
    return _go(request, _doc(target.pk))


@login_required
@require_POST
def submit(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    try:
        workflow.submit(access, document)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _go(request, _doc(document.pk))
    messages.success(request, f"Submitted “{document.title or document.external_id}”.")
    following = workflow.neighbour(access, document)
    if following is None:
        return _go(request, _dashboard(access.project.slug))
    return _go(request, _doc(following.pk))


@login_required
@require_POST
def skip(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    try:
        workflow.skip(access, document, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _go(request, _doc(document.pk))
    messages.info(request, "Skipped. A manager will see your reason.")
    following = workflow.neighbour(access, document)
    return _go(request, _doc(following.pk) if following else _dashboard(access.project.slug))


@login_required
@require_POST
def reopen(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    try:
        workflow.reopen(access, document)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _go(request, _doc(document.pk))
