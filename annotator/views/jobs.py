"""Jobs pages: the jobs panel with progress bars (htmx polls it while a job is active),
one job with its result or errors, cancel, retry, download, and starting a job."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.jobs import files
from annotator.jobs.exporting import export_params
from annotator.jobs.registry import KINDS
from annotator.models import Job, JobState
from annotator.models.job import ACTIVE_STATES
from annotator.services import jobs
from annotator.services.access import project_access
from annotator.services.errors import DomainError
from annotator.services.exporting import parse_statuses


def decorate(items: Iterable[Job], user) -> list[Job]:
    """What the templates show besides the job's own fields."""
    shown = list(items)
    for job in shown:
        job.label = KINDS[job.kind].label if job.kind in KINDS else job.kind
        job.can_manage = jobs.can_manage(user, job)
        job.counts = [
            (key.replace("_", " "), value)
            for key, value in job.result.items()
            if not isinstance(value, dict | list)
        ]
    return shown


def panel(request: HttpRequest, queryset, poll_url: str) -> dict:
    """The jobs panel's context: up to 50 jobs, polled while any of them is active."""
    shown = decorate(queryset[:50], request.user)
    return {"jobs": shown, "polling": any(j.is_active for j in shown), "poll_url": poll_url}


def _panel(request: HttpRequest, queryset, context: dict) -> HttpResponse:
    if request.GET.get("active"):
        queryset = queryset.filter(state__in=ACTIVE_STATES)
        context["empty"] = "No job is running."
    context = {**context, **panel(request, queryset, request.get_full_path())}
    template = "annotator/jobs.html#jobs-panel" if request.htmx else "annotator/jobs.html"
    return render(request, template, context)


@login_required
def my_jobs(request: HttpRequest) -> HttpResponse:
    return _panel(request, jobs.visible_jobs(request.user), {"project": None})


@login_required
def project_jobs(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    queryset = jobs.visible_jobs(request.user, access.project)
    return _panel(request, queryset, {"project": access.project, "access": access})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = decorate([jobs.job_for(request.user, job_id)], request.user)[0]
    template = "annotator/job.html#job-card" if request.htmx else "annotator/job.html"
    return render(request, template, {"job": job, "project": job.project})


def _managed_job(request: HttpRequest, job_id: int) -> Job:
    job = jobs.job_for(request.user, job_id)
    if not jobs.can_manage(request.user, job):
        raise PermissionDenied("only its owner or a manager can change this job")
    return job


def _back(request: HttpRequest, job: Job) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(request.headers.get("HX-Current-URL") or job_url(job))
    return redirect(job_url(job))


def job_url(job: Job) -> str:
    return reverse("job", args=[job.pk])


@login_required
@require_POST
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _managed_job(request, job_id)
    try:
        jobs.cancel(job)
        messages.success(request, f"Job {job.pk} cancelled; nothing of it is kept.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, job)


@login_required
@require_POST
def retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _managed_job(request, job_id)
    try:
        jobs.retry(job)
        messages.success(request, f"Job {job.pk} queued again.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, job)


@login_required
def download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_for(request.user, job_id)
    if job.state != JobState.DONE or not job.output_name:
        return HttpResponse("This job has no file.", status=404, content_type="text/plain")
    response = StreamingHttpResponse(
        files.chunks(job, files.Stream.OUTPUT), content_type=job.output_type
    )
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    response["Content-Length"] = str(job.output_size)
    return response


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a suggestion run, a file export, an agreement computation or a training."""
    access = project_access(request.user, slug)
    kind = request.POST.get("kind", "")
    if kind not in ("suggest", "export", "agreement", "train_suggester"):
        return HttpResponse("Unknown job kind.", status=400, content_type="text/plain")
    jobs.require_role(access, kind)
    params: dict = {}
    try:
        if kind == "export":
            params = export_params(
                access.project,
                request.POST.get("format"),
                per=request.POST.get("per", "document"),
                statuses=parse_statuses(request.POST.getlist("status")),
                gold=request.POST.get("gold") == "1",
            )
        if kind == "train_suggester":
            params = {"include_submitted": request.POST.get("include_submitted") == "1"}
        job = jobs.enqueue(access.project, kind, owner=request.user, params=params)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard", access.project.slug)
    return redirect("job", job.pk)
