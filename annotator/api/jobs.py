"""Jobs: list yours (managers: their projects'), follow one, cancel, retry, download its
file, and start a suggestion run, an export or an agreement computation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, json_object
from annotator.api.pagination import Pagination
from annotator.api.serializers import JobSerializer, JobStartSerializer
from annotator.jobs import files
from annotator.jobs.exporting import export_params
from annotator.jobs.registry import KINDS
from annotator.models import Job, JobState
from annotator.services import jobs
from annotator.services.access import project_access
from annotator.services.errors import DomainError
from annotator.services.exporting import parse_statuses


def job_json(job: Job, request: Request) -> dict[str, Any]:
    has_file = job.state == JobState.DONE and bool(job.output_name)
    return {
        "id": job.pk,
        "url": request.build_absolute_uri(reverse("api-job", args=[job.pk])),
        "project": job.project.slug,
        "owner": job.owner.get_username() if job.owner else None,
        "kind": job.kind,
        "label": KINDS[job.kind].label if job.kind in KINDS else job.kind,
        "state": job.state,
        "cancel_requested": job.cancel_requested,
        "progress": {"done": job.done, "total": job.total, "unit": job.unit},
        "result": job.result,
        "message": job.message,
        "errors": job.errors,
        "input_name": job.input_name,
        "download": request.build_absolute_uri(reverse("api-job-download", args=[job.pk]))
        if has_file
        else None,
        "attempts": job.attempts,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def accepted(job: Job, request: Request) -> Response:
    """202: the job is queued; poll its URL (also in Location)."""
    body = job_json(job, request)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class JobList(ApiView):
    queryset = Job.objects.none()
    pagination_class = Pagination

    @extend_schema(
        operation_id="jobs_list",
        summary="Your jobs, and every job of the projects you manage, newest first",
        parameters=[
            OpenApiParameter("project", OpenApiTypes.STR, description="A project's slug."),
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(JobState.values)),
        ],
        responses={200: JobSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        found = jobs.visible_jobs(request.user)
        if slug := request.query_params.get("project"):
            found = found.filter(project__slug=slug)
        if state := request.query_params.get("state"):
            if state not in JobState.values:
                raise DomainError(
                    f"state must be one of {', '.join(JobState.values)}", field="state"
                )
            found = found.filter(state=state)
        page = self.paginate_queryset(found)
        return self.get_paginated_response([job_json(j, request) for j in page])


def _managed(request: Request, id: int) -> Job:
    job = jobs.job_for(request.user, id)
    if not jobs.can_manage(request.user, job):
        raise PermissionDenied("only its owner or a manager can change this job")
    return job


class JobDetail(ApiView):
    @extend_schema(
        operation_id="jobs_retrieve",
        summary="A job: state, progress, result or errors (with their lines)",
        responses={200: JobSerializer, **errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        return Response(job_json(jobs.job_for(request.user, id), request))

    @extend_schema(
        operation_id="jobs_cancel",
        summary="Cancel a queued or running job (its owner or a manager)",
        description="A queued job is cancelled at once; a running one stops at its next "
        "progress report and writes nothing (cancel_requested is true meanwhile). "
        "400 if the job has already ended.",
        responses={202: JobSerializer, **errors(400, 403, 404)},
    )
    def delete(self, request: Request, id: int) -> Response:
        return accepted(jobs.cancel(_managed(request, id)), request)


class JobRetry(ApiView):
    @extend_schema(
        operation_id="jobs_retry",
        summary="Run a failed or cancelled job again (its owner or a manager)",
        request=None,
        responses={202: JobSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, id: int) -> Response:
        return accepted(jobs.retry(_managed(request, id)), request)


class JobDownload(ApiView):
    @extend_schema(
        operation_id="jobs_download",
        summary="The file a job wrote (an export), once it is done",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404),
        },
    )
    def get(self, request: Request, id: int) -> StreamingHttpResponse:
        job = jobs.job_for(request.user, id)
        if job.state != JobState.DONE or not job.output_name:
            raise Http404("This job has no file.")
        response = StreamingHttpResponse(
            files.chunks(job, files.Stream.OUTPUT), content_type=job.output_type
        )
        response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
        response["Content-Length"] = str(job.output_size)
        return response


def _export_params(params: dict[str, Any], project) -> dict[str, Any]:
    status_param = params.get("status") or []
    fmt = params.get("format")
    if fmt is not None and not isinstance(fmt, str):
        raise DomainError("format must be a string", field="params")
    return export_params(
        project,
        fmt,
        per=str(params.get("per", "document")),
        statuses=parse_statuses(status_param if isinstance(status_param, list) else [status_param]),
        gold=params.get("gold") is True,
    )


class ProjectJobs(ApiView):
    @extend_schema(
        operation_id="projects_jobs_create",
        summary="Start a suggestion run or a suggester training (managers), an export or an "
        "agreement computation (reviewers and managers)",
        request=JobStartSerializer,
        responses={202: JobSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        body = json_object(request.data)
        kind = body.get("kind")
        if kind not in ("suggest", "export", "agreement", "train_suggester"):
            raise DomainError(
                "kind must be suggest, export, agreement or train_suggester", field="kind"
            )
        jobs.require_role(access, kind)
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise DomainError("params must be an object", field="params")
        if kind == "export":
            params = _export_params(params, access.project)
        elif kind == "suggest":
            documents = params.get("documents")
            if documents is not None and not (
                isinstance(documents, list) and all(isinstance(d, str) for d in documents)
            ):
                raise DomainError("documents must be a list of document ids", field="params")
            params = {"documents": documents}
        elif kind == "train_suggester":
            params = {"include_submitted": params.get("include_submitted") is True}
        else:
            params = {}
        job = jobs.enqueue(access.project, kind, owner=request.user, params=params)
        return accepted(job, request)
