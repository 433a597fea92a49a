"""Review: the queue of submitted work, one document side by side, gold, agreement."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotator import charts
from annotator.alignment import overlapping_groups
from annotator.highlights import shown_text
from annotator.models import Assignment, Claim, Document, Job, JobState
from annotator.models.workflow import AssignmentStatus
from annotator.services import review as review_service
from annotator.services.access import claim_access, document_access, project_access
from annotator.services.agreement import gold_scores, project_agreement
from annotator.services.claims import delete_claim
from annotator.services.errors import DomainError
from annotator.services.history import claim_history

COMPARED = ("claim", "speaker", "cue", "stance", "target")


@login_required
@require_GET
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_reviewer()
    state = request.GET.get("state", "pending")
    annotator = request.GET.get("annotator", "")
    # Submitted sets, and rejected ones (which went back to their annotators).
    assignments = (
        Assignment.objects.filter(document__project=access.project)
        .filter(Q(status=AssignmentStatus.SUBMITTED) | ~Q(review=""))
        .select_related("document", "annotator")
        .order_by("submitted_at", "id")
    )
    if state == "pending":
        assignments = assignments.filter(status=AssignmentStatus.SUBMITTED, review="")
    elif state in ("accepted", "rejected"):
        assignments = assignments.filter(review=state)
    if annotator:
        assignments = assignments.filter(annotator__username=annotator)
    annotators = (
        Assignment.objects.filter(document__project=access.project)
        .values_list("annotator__username", flat=True)
        .distinct()
        .order_by("annotator__username")
    )
    return render(
        request,
        "annotator/review_queue.html",
        {
            "project": access.project,
            "access": access,
            "page": Paginator(assignments, 50).get_page(request.GET.get("page")),
            "state": state,
            "annotator": annotator,
            "annotators": list(annotators),
        },
    )


def _describe(claim: Claim, text: str) -> dict[str, Any]:
    def span(role: str) -> str | None:
        s = claim.span(role)
        return shown_text(text, s.start, s.end, claim.fragments.get(role)) if s else None

    speaker_entity = claim.speaker_entity.name if claim.speaker_entity else None
    target_entity = claim.target_entity.name if claim.target_entity else None
    return {
        "claim": claim,
        "claim_text": span("claim"),
        "speaker": span("speaker"),
        "speaker_entity": speaker_entity,
        "cue": span("cue"),
        "target": span("target"),
        "target_entity": target_entity,
        "stance": claim.stance,
        # What is compared across annotators: spans by offsets, entities by identity.
        "keys": {
            "claim": (claim.claim_start, claim.claim_end, claim.fragments_of("claim")),
            "speaker": speaker_entity or claim.span("speaker"),
            "cue": claim.span("cue"),
            "stance": claim.stance,
            "target": target_entity or claim.span("target"),
        },
    }


def _rows(claims: list[Claim], annotators: list[str], text: str) -> list[dict[str, Any]]:
    """Claims grouped by overlap, one column per annotator, differences flagged."""
    by_id = {c.pk: c for c in claims}
    rows = []
    for group in overlapping_groups((c.pk, c.claim_start, c.claim_end) for c in claims):
        cells: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for pk in group:
            claim = by_id[pk]
            cells[claim.annotator.username].append(_describe(claim, text))
        firsts = [cells[name][0]["keys"] for name in annotators if cells.get(name)]
        everyone = len(firsts) == len(annotators)
        differs = {
            field: not everyone or len({repr(k[field]) for k in firsts}) > 1 for field in COMPARED
        }
        rows.append(
            {
                "cells": [(name, cells.get(name, [])) for name in annotators],
                "differs": differs,
                "agree": not any(differs.values()),
            }
        )
    return rows


@login_required
def review_document(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    access.require_reviewer()
    assignments = list(
        Assignment.objects.filter(document=document)
        .select_related("annotator")
        .prefetch_related("reviews__reviewer")
        .order_by("annotator__username")
    )
    claims = list(
        Claim.objects.filter(document=document)
        .select_related("annotator", "speaker_entity", "target_entity")
        .order_by("claim_start", "claim_end", "id")
    )
    annotators = [a.annotator.username for a in assignments]
    for name in sorted({c.annotator.username for c in claims if not c.is_gold} - set(annotators)):
        annotators.append(name)
    work = [c for c in claims if not c.is_gold]
    gold = [_describe(c, document.text) for c in claims if c.is_gold]
    taken = {g["claim"].origin_id for g in gold}
    return render(
        request,
        "annotator/review.html",
        {
            "project": access.project,
            "access": access,
            "document": document,
            "assignments": assignments,
            "annotators": annotators,
            "rows": _rows(work, annotators, document.text),
            "gold": gold,
            "taken": taken,
            "history": claim_history(document, limit=50),
        },
    )


def _back(request: HttpRequest, document_id: int) -> HttpResponse:
    return redirect("review-document", document_id)


@login_required
@require_POST
def review_claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    access, claim = claim_access(request.user, claim_id)
    access.require_reviewer()
    try:
        review_service.review_claims(
            request.user, [claim], request.POST.get("decision", ""), request.POST.get("comment", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, claim.document_id)


@login_required
@require_POST
def review_assignment(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    access.require_reviewer()
    assignment = Assignment.objects.filter(
        document=document, annotator__username=request.POST.get("annotator", "")
    ).first()
    if assignment is None:
        messages.error(request, "No such annotation set.")
        return _back(request, document.pk)
    try:
        submission = request.POST.get("submission", "")
        review_service.review_assignment(
            request.user,
            assignment,
            request.POST.get("decision", ""),
            request.POST.get("comment", ""),
            # What the reviewer saw: the decision they change, the submission they read.
            replacing=request.POST.get("replacing", ""),
            submission=int(submission) if submission.isdigit() else None,
        )
        messages.success(request, f"{assignment.annotator.username}'s work {assignment.review}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, document.pk)


@login_required
@require_POST
def take_gold(request: HttpRequest, claim_id: int) -> HttpResponse:
    access, claim = claim_access(request.user, claim_id)
    try:
        review_service.take_into_gold(access, claim)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, claim.document_id)


@login_required
@require_POST
def drop_gold(request: HttpRequest, claim_id: int) -> HttpResponse:
    access, claim = claim_access(request.user, claim_id)
    access.require_reviewer()
    version = request.POST.get("version", "")
    try:
        if not claim.is_gold:
            raise DomainError("only gold claims are removed here")
        delete_claim(access, claim, int(version) if version.isdigit() else None)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, claim.document_id)


@login_required
@require_POST
def gold_status(request: HttpRequest, document_id: int) -> HttpResponse:
    access, document = document_access(request.user, document_id)
    complete = request.POST.get("complete") == "1"
    review_service.set_gold_status(access, document, complete)
    messages.success(request, "Gold marked complete." if complete else "Gold reopened as a draft.")
    return _back(request, document.pk)


@login_required
@require_GET
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_reviewer()
    finished = Job.objects.filter(project=access.project, kind="agreement", state=JobState.DONE)
    job = None
    if request.GET.get("job", "").isdigit():
        job = get_object_or_404(finished, pk=int(request.GET["job"]))
    elif Document.objects.filter(project=access.project).count() > settings.JOBS_INLINE_AGREEMENT:
        # Too large to compute within a request: the figures a worker computed last.
        job = finished.order_by("-finished_at").first()
        if job is None:
            context = {"project": access.project, "access": access, "result": None}
            return render(request, "annotator/agreement.html", context)
    result = job.result["agreement"] if job else project_agreement(access.project)
    # Against gold: computed here for projects small enough to compute agreement here.
    gold = gold_scores(access.project) if job is None else {}
    confusion = result["stance"]["confusion"]
    rows = list(confusion)  # the labels in project order, then "none"
    return render(
        request,
        "annotator/agreement.html",
        {
            "project": access.project,
            "access": access,
            "result": result,
            "confusion_rows": [(a, [confusion[a].get(b, 0) for b in rows]) for a in rows],
            "confusion_chart": _heat_map(confusion, rows),
            "gold": sorted(gold.items()),
            "gold_chart": charts.stacked_bars(
                [(name, {"F1": f["overlap"]["f1"] or 0}) for name, f in sorted(gold.items())],
                ["F1"],
                top=1,
            ),
            "confusion_cols": rows,
            "per_annotator": sorted(result["per_annotator"].items()),
            "job": job,
        },
    )


def _heat_map(confusion: dict[str, dict[str, int]], labels: list[str]) -> dict[str, Any]:
    """The stance confusion matrix as a heat map: darker cells, more matched pairs."""
    top = max((n for row in confusion.values() for n in row.values()), default=0)
    cells = {
        (i, j): {
            "n": confusion[a].get(b, 0),
            "cls": charts.heat_class(confusion[a].get(b, 0), top),
            "title": f"{a} × {b}: {confusion[a].get(b, 0)}",
            "show_n": True,
        }
        for i, a in enumerate(labels)
        for j, b in enumerate(labels)
    }
    return charts.grid(labels, labels, cells, cell=52, label_width=90, head=70)
