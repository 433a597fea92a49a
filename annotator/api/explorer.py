"""The claim explorer in the API: a project's claims across documents with the explorer's
filters, and the counts behind its charts. Visibility as everywhere (Access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors
from annotator.api.filters import ExplorerFilter, FilterBackend
from annotator.api.pagination import Pagination
from annotator.api.serializers import ClaimSerializer
from annotator.api.shapes import CLAIM_VALUES, shape
from annotator.models import Claim
from annotator.services import explorer
from annotator.services.access import Access, project_access

_DOCUMENT_VALUES = ("document__external_id", "document__title", "document__published")


class ExplorerClaimSerializer(ClaimSerializer):
    document_id = serializers.CharField(help_text="The document's external id.")
    title = serializers.CharField(help_text="The document's title.")
    published = serializers.CharField(allow_null=True, help_text="As imported (ISO 8601).")


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Period start, entity id, stance, or speaker-target.")
    label = serializers.CharField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Claims per stance ('none': unset)."
    )
    total = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=explorer.GROUPS)
    series = serializers.ListField(child=serializers.CharField(), help_text="Stances in order.")
    rows = StatsRowSerializer(many=True)
    total = serializers.IntegerField(
        help_text="The claims counted: in rows (top entities only), plus undated ones."
    )
    undated = serializers.IntegerField(
        required=False, help_text="month/week: claims in documents without a usable date."
    )


class ProjectClaims(ApiView):
    queryset = Claim.objects.none()
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = ExplorerFilter
    access: Access

    def get_queryset(self) -> QuerySet[Claim]:
        return self.access.project_claims()

    @extend_schema(
        operation_id="projects_claims_list",
        summary="The project's claims that you may see, filtered as in the explorer",
        description="Blind annotators see only their own claims; annotators never see gold. "
        "Each claim as in /api/documents/{id}/claims/, with its document's id, title and date.",
        responses={200: ExplorerClaimSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        self.access = project_access(request.user, slug)
        ids = self.filter_queryset(self.get_queryset()).values_list("id", flat=True)
        page = list(self.paginate_queryset(ids))
        rows = Claim.objects.filter(pk__in=page).values(
            *CLAIM_VALUES, *_DOCUMENT_VALUES, "document__text"
        )
        found = {row["id"]: row for row in rows}
        return self.get_paginated_response([_claim(found[i]) for i in page if i in found])


def _claim(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **shape(row, row["document__text"]),
        "document_id": row["document__external_id"],
        "title": row["document__title"],
        "published": row["document__published"] or None,
    }


class ProjectClaimStats(ApiView):
    queryset = Claim.objects.none()
    filter_backends = [FilterBackend]
    filterset_class = ExplorerFilter
    access: Access

    @extend_schema(
        operation_id="projects_claims_stats",
        summary="The filtered claims counted by stance per month, week, speaker, target, "
        "speaker-target pair or stance: the numbers behind the explorer's charts",
        parameters=[
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(explorer.GROUPS), required=True)
        ],
        responses={200: StatsSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        self.access = project_access(request.user, slug)
        filterset = ExplorerFilter(request.query_params, access=self.access)
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        group = request.query_params.get("group", "")
        return Response(explorer.stats(self.access, filterset.explorer_filters(), group))
