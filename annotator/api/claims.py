"""Claims: list and add on a document, read, change and delete one with its version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, json_object
from annotator.api.claim_post import with_hot_path
from annotator.api.examples import CLAIM_CHANGE, US_CLAIM
from annotator.api.filters import ClaimFilter, FilterBackend
from annotator.api.pagination import Pagination
from annotator.api.serializers import (
    ClaimChangeSerializer,
    ClaimSerializer,
    NewClaimSerializer,
    StaleClaimSerializer,
)
from annotator.api.shapes import CLAIM_VALUES, claim_json, shape
from annotator.models import Claim, Document
from annotator.services.access import Access, claim_access, document_access
from annotator.services.claims import ENTITY_ROLES, create_claim, delete_claim, update_claim
from annotator.services.errors import DomainError

STALE = OpenApiResponse(
    StaleClaimSerializer, description="Stale version: nothing changed; the current claim."
)


def _claim_body(data: Any) -> Mapping[str, Any]:
    """The body as a claim payload. An entity is named by an id or a name, nothing else."""
    data = json_object(data)
    for role in ENTITY_ROLES:
        span = data.get(role)
        ref = span.get("entity") if isinstance(span, Mapping) else None
        if ref is not None and not isinstance(ref, str | int):
            raise DomainError("an entity is named by its id or its name", field=role)
    return data


def _version(request: Request) -> object:
    """DELETE's version: ``?version=N`` or ``{"version": N}`` in the body."""
    raw = request.query_params.get("version")
    if raw is None:
        body = request.data
        return body.get("version") if isinstance(body, Mapping) else None
    try:
        return int(raw)
    except ValueError:
        raise DomainError("version must be a whole number", field="version") from None


class DocumentClaims(ApiView):
    queryset = Claim.objects.none()
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = ClaimFilter
    access: Access
    document: Document

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return with_hot_path(super().as_view(**initkwargs))

    def get_queryset(self) -> QuerySet[Claim]:
        return self.access.claims(self.document)

    @extend_schema(
        operation_id="documents_claims_list",
        summary="The claims on a document that you may see",
        description="Annotators in blind projects see only their own claims.",
        responses={200: ClaimSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        self.access, self.document = document_access(request.user, id)
        claims = self.filter_queryset(self.get_queryset()).values(*CLAIM_VALUES)
        page = self.paginate_queryset(claims)
        return self.get_paginated_response([shape(v, self.document.text) for v in page])

    @extend_schema(
        operation_id="documents_claims_create",
        summary="Add a claim to your annotation set of the document",
        description="Spans are {start, end} code-point offsets; the server fills in text "
        "(a text you send must match). Entities by id or name.",
        request=NewClaimSerializer,
        examples=[US_CLAIM],
        responses={201: ClaimSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, id: int) -> Response:
        access, document = document_access(request.user, id)
        claim = create_claim(access, document, _claim_body(request.data))
        return Response(
            claim_json(claim, document.text, request.user.username),
            status=status.HTTP_201_CREATED,
        )


class ClaimDetail(ApiView):
    @extend_schema(
        operation_id="claims_retrieve",
        summary="A claim",
        responses={200: ClaimSerializer, **errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        _, claim = claim_access(request.user, id)
        return Response(claim_json(claim))

    @extend_schema(
        operation_id="claims_partial_update",
        summary="Change a claim, sending the version you read",
        description="Only the fields you send change. A stale version gets 409 with the "
        "current claim, and nothing changes.",
        request=ClaimChangeSerializer,
        examples=[CLAIM_CHANGE],
        responses={200: ClaimSerializer, **errors(400, 403, 404), 409: STALE},
    )
    def patch(self, request: Request, id: int) -> Response:
        access, claim = claim_access(request.user, id)
        data = _claim_body(request.data)
        claim = update_claim(access, claim, data, data.get("version"))
        return Response(claim_json(claim))

    @extend_schema(
        operation_id="claims_destroy",
        summary="Delete a claim, sending the version you read",
        description='The version goes in ?version=N (or a JSON body {"version": N}).',
        parameters=[
            OpenApiParameter(
                "version", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Your version."
            )
        ],
        responses={204: None, **errors(400, 403, 404), 409: STALE},
    )
    def delete(self, request: Request, id: int) -> Response:
        access, claim = claim_access(request.user, id)
        delete_claim(access, claim, _version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
