"""Documents: list and bulk import into a project, read one with its claims, submit one."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, in_background, items
from annotator.api.examples import DOCUMENTS
from annotator.api.filters import DocumentFilter, FilterBackend
from annotator.api.jobs import accepted
from annotator.api.pagination import Pagination
from annotator.api.renderers import JsonImportParser, JsonLinesParser
from annotator.api.serializers import (
    AssignmentSerializer,
    DocumentRecordSerializer,
    DocumentSerializer,
    DocumentSummarySerializer,
    ImportResultSerializer,
    JobSerializer,
)
from annotator.api.shapes import assignment_json, document_json, document_summary
from annotator.models import Document
from annotator.services import jobs
from annotator.services.access import Access, document_access, project_access
from annotator.services.errors import DomainError
from annotator.services.importing import import_documents
from annotator.services.workflow import submit

SOURCE = "request body"


def _records(body: list[Any]) -> Iterator[tuple[int, Any]]:
    """``(line, record)`` pairs as import_documents reads them; items count from 1."""
    for line, item in enumerate(body, 1):
        if isinstance(item, dict):
            yield line, item
        else:
            yield line, DomainError("each item must be a JSON object", line=line)


class DocumentList(ApiView):
    parser_classes = [JsonImportParser, JsonLinesParser]
    queryset = Document.objects.none()
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = DocumentFilter
    access: Access

    def get_queryset(self) -> QuerySet[Document]:
        return self.access.documents().defer("text").order_by("id")

    @extend_schema(
        operation_id="projects_documents_list",
        summary="The project's documents you may open (without their text)",
        responses={200: DocumentSummarySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        self.access = project_access(request.user, slug)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([document_summary(d) for d in page])

    @extend_schema(
        operation_id="projects_documents_create",
        summary="Import one document or a list of them (managers)",
        description="The same rules as the import_documents command: all or nothing; a "
        "document already present with the same text is skipped, with a different text is "
        "an error. Errors name the item (index from 0, line from 1). A body of type "
        "application/x-ndjson (JSON Lines, as the command reads) or a JSON list is read as the "
        "import goes, however large. "
        "A body larger than JOBS_INLINE_IMPORT_BYTES (4 MB by default), or any body with "
        "?background=true, is imported by a worker: the answer is 202 with the job "
        "(GET its url for progress, counts and errors).",
        request=PolymorphicProxySerializer(
            component_name="DocumentImport",
            serializers=[DocumentRecordSerializer, DocumentRecordSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        examples=[DOCUMENTS],
        parameters=[OpenApiParameter("background", OpenApiTypes.BOOL)],
        responses={
            201: ImportResultSerializer,
            202: JobSerializer,
            **errors(400, 403, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_manager()
        lines = request.content_type.startswith(JsonLinesParser.media_type)
        if in_background(request):
            job = jobs.enqueue(
                access.project,
                "import_documents",
                owner=request.user,
                params={"format": "jsonl" if lines else "json"},
                input=request.stream or io.BytesIO(),
                input_name=SOURCE,
            )
            return accepted(job, request)
        data = request.data
        if isinstance(data, Iterator):
            records = data  # a list or JSON Lines: (line, record) pairs, read as the import goes
        else:
            body, _ = items(data)
            records = _records(body)
        result = import_documents(access.project, records, source=SOURCE)
        return Response(
            {"created": result.created, "skipped": result.skipped},
            status=status.HTTP_201_CREATED,
        )


class DocumentDetail(ApiView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="A document with its text and the claims you may see",
        responses={200: DocumentSerializer, **errors(403, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        access, document = document_access(request.user, id)
        return Response(document_json(document, access.project, access.claims(document)))


class DocumentSubmit(ApiView):
    @extend_schema(
        operation_id="documents_submit",
        summary="Submit your annotation set of this document for review",
        request=None,
        responses={200: AssignmentSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, id: int) -> Response:
        access, document = document_access(request.user, id)
        assignment = submit(access, document)
        return Response(assignment_json(assignment, request.user.username))
