"""Project list, dashboard and guidelines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotator import charts
from annotator.models import Assignment, Claim
from annotator.models.job import ACTIVE_STATES
from annotator.models.workflow import AssignmentStatus
from annotator.services.access import project_access, projects_for
from annotator.services.jobs import visible_jobs
from annotator.services.suggestions import usefulness
from annotator.services.training import suggester_table
from annotator.services.workflow import progress
from annotator.views.jobs import panel


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = projects_for(request.user).annotate(
        documents_count=Count("documents", distinct=True)
    )
    return render(request, "annotator/project_list.html", {"projects": projects})


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    documents = access.documents().order_by("id")
    status = request.GET.get("status", "")
    if status:
        # Annotators filter on their own assignment only; reviewers on anybody's.
        matching = Assignment.objects.filter(document=OuterRef("pk"), status=status)
        if not access.can_review:
            matching = matching.filter(annotator=request.user)
        documents = documents.filter(Exists(matching))
    assignments = Assignment.objects.select_related("annotator").order_by("annotator__username")
    if not access.can_review:
        assignments = assignments.filter(annotator=request.user)
    page = Paginator(
        documents.prefetch_related(Prefetch("assignments", queryset=assignments)), 50
    ).get_page(request.GET.get("page"))
    claims = Claim.objects.filter(document__project=access.project, is_gold=False)
    if not access.sees_all_claims:
        claims = claims.filter(annotator=request.user)
    stance_counts = dict(claims.values_list("stance").annotate(n=Count("id")).order_by())
    labels = access.project.parsed_scheme.stance_labels
    table = progress(access)
    if not access.can_review:
        table = {k: v for k, v in table.items() if k == request.user.get_username()}
    stance_rows = [(label, stance_counts.get(label, 0)) for label in labels]
    statuses = ["todo", "in_progress", "submitted", "accepted", "rejected", "skipped"]
    useful = usefulness(access.project) if access.can_review else None
    return render(
        request,
        "annotator/dashboard.html",
        {
            "access": access,
            "project": access.project,
            "page": page,
            "status": status,
            "status_choices": AssignmentStatus.choices,
            "progress": sorted(table.items()),
            "stance_counts": stance_rows,
            "unlabelled": stance_counts.get("", 0),
            "claims_total": sum(stance_counts.values()),
            "suggestions": useful,
            # The same numbers as pictures (the tables stay beside them).
            "progress_chart": charts.stacked_bars(
                [
                    (name, {s: counts.get(s, 0) for s in statuses})
                    for name, counts in sorted(table.items())
                ],
                statuses,
            ),
            "stance_chart": charts.stacked_bars(
                [
                    (label, {label: n})
                    for label, n in [*stance_rows, ("none", stance_counts.get("", 0))]
                ],
                [*labels, "none"],
            ),
            "suggestion_chart": charts.stacked_bars(
                [
                    (k.replace("open", "not answered"), {k: useful[k]})
                    for k in ("accepted", "edited", "dismissed", "open")
                ],
                ["accepted", "edited", "dismissed", "open"],
            )
            if useful
            else None,
            "suggesters": suggester_table(access.project) if access.can_review else None,
            **panel(
                request,
                visible_jobs(request.user, access.project).filter(state__in=ACTIVE_STATES),
                reverse("project-jobs", args=[access.project.slug]) + "?active=1",
            ),
            "empty": "No job is running.",
            # Only people with documents to annotate are offered the next one.
            "has_assignments": Assignment.objects.filter(
                document__project=access.project, annotator=request.user
            ).exists(),
        },
    )


@login_required
def guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    template = "annotator/guidelines.html"
    if request.htmx:
        template += "#guidelines"
    return render(request, template, {"project": access.project, "access": access})
