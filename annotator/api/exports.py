"""The project's JSONL export, streamed, and its agreement figures (reviewers and managers)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors
from annotator.api.renderers import JsonlRenderer, OrjsonRenderer
from annotator.api.serializers import AgreementSerializer
from annotator.services.access import project_access
from annotator.services.agreement import project_agreement
from annotator.services.errors import DomainError
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


def _flag(value: str, field: str) -> bool:
    value = value.strip().lower()
    if value not in _TRUE | _FALSE:
        raise DomainError("use true or false", field=field)
    return value in _TRUE


class ProjectExport(ApiView):
    renderer_classes = [OrjsonRenderer, JsonlRenderer]

    @extend_schema(
        operation_id="projects_export",
        summary="The project as claims/1 JSON Lines, streamed (as export_jsonl)",
        parameters=[
            OpenApiParameter("per", OpenApiTypes.STR, enum=list(PER_CHOICES)),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                description=f"Only annotation sets with these statuses ({', '.join(STATUSES)})"
                ", comma-separated or repeated.",
            ),
            OpenApiParameter("gold", OpenApiTypes.BOOL, description="Only the gold claims."),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR, description="One JSON object per line."
            ),
            **errors(400, 403, 404),
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        access = project_access(request.user, slug)
        access.require_reviewer()
        params = request.query_params
        export = JsonlExport(
            access.project,
            per=params.get("per", "document"),
            statuses=parse_statuses(params.getlist("status")),
            gold=_flag(params.get("gold", ""), "gold"),
        )
        response = StreamingHttpResponse(export.lines(), content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


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
