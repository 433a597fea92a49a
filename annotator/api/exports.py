"""The project's JSONL export, streamed, and its agreement figures (reviewers and managers)."""

from __future__ import annotations

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import APISettings

from annotator import formats
from annotator.api.base import ApiView, errors, flag
from annotator.api.renderers import JsonlRenderer, OrjsonRenderer
from annotator.api.serializers import AgreementSerializer, SuggesterStatusSerializer
from annotator.downloads import download
from annotator.models import TrainedSuggester
from annotator.services.access import project_access
from annotator.services.agreement import project_agreement
from annotator.services.errors import DomainError
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses
from annotator.services.training import active_suggester, summary
from annotator.services.transfer import choose_format


class _FormatIsTheFileFormat(DefaultContentNegotiation):
    """Here ``?format=`` names the export's file format (brat, label-studio), not one of
    DRF's response renderers."""

    settings = APISettings(user_settings={"URL_FORMAT_OVERRIDE": None})


class ProjectExport(ApiView):
    renderer_classes = [OrjsonRenderer, JsonlRenderer]
    content_negotiation_class = _FormatIsTheFileFormat

    @extend_schema(
        operation_id="projects_export",
        summary="The project as claims/1 JSON Lines, streamed, or brat or Label Studio files "
        "(as export_jsonl)",
        parameters=[
            OpenApiParameter("per", OpenApiTypes.STR, enum=list(PER_CHOICES)),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                description=f"Only annotation sets with these statuses ({', '.join(STATUSES)})"
                ", comma-separated or repeated.",
            ),
            OpenApiParameter("gold", OpenApiTypes.BOOL, description="Only the gold claims."),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(formats.WRITABLE),
                description="claims (claims/1 JSON Lines, the default), brat (a zip of .txt "
                "+ .ann) or label-studio (a JSON list of tasks with predictions).",
            ),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR, description="One JSON object per line."
            ),
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="format=brat: a zip brat opens."
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.STR, description="format=label-studio: tasks with predictions."
            ),
            **errors(400, 403, 404),
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse | FileResponse:
        access = project_access(request.user, slug)
        access.require_reviewer()
        params = request.query_params
        fmt = choose_format(None, params.get("format") or "claims", writing=True)
        export = JsonlExport(
            access.project,
            per=params.get("per", "document"),
            statuses=parse_statuses(params.getlist("status")),
            gold=flag(params.get("gold", ""), "gold"),
        )
        if fmt.identifier != "claims" and export.per != "document":
            raise DomainError("per=claim is a claims/1 layout", field="per")
        return download(export, fmt)


class ProjectAgreement(ApiView):
    @extend_schema(
        operation_id="projects_agreement",
        summary="Inter-annotator agreement over submitted sets (as the agreement command)",
        responses={200: AgreementSerializer, **errors(403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_reviewer()
        return Response(project_agreement(access.project))


class ProjectSuggester(ApiView):
    @extend_schema(
        operation_id="projects_suggester",
        summary="Which suggester makes the project's suggestions, with its held-out figures",
        responses={200: SuggesterStatusSerializer, **errors(403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_reviewer()
        shown = active_suggester(access.project) or (
            TrainedSuggester.objects.filter(project=access.project).first()
        )
        return Response(
            {
                "in_use": "trained" if shown and shown.active else "rules",
                "trained": summary(shown) if shown else None,
            }
        )
