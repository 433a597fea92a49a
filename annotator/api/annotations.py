"""Annotations in any format into a project (managers), as import_annotations does.

The body is the file itself: claims/1 JSON Lines, a zip of brat ``.txt`` + ``.ann``, a Label
Studio JSON export or doccano JSONL; ``?format=`` names it, else it is recognised. A body
larger than JOBS_INLINE_IMPORT_BYTES (or any with ``?background=true``) goes to a worker:
202 and the job. All or nothing either way.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from annotator import formats
from annotator.api.base import ApiView, errors, flag, in_background
from annotator.api.exports import _FormatIsTheFileFormat
from annotator.api.jobs import accepted
from annotator.api.serializers import JobSerializer
from annotator.formats.bundles import open_upload
from annotator.jobs.importing import annotation_params
from annotator.services import jobs
from annotator.services.access import project_access
from annotator.services.errors import DomainError
from annotator.services.transfer import choose_format, import_file

SPOOL_IN_MEMORY = 8 * 1024 * 1024
CHUNK = 1024 * 1024
SHOWN_NOTICES = 50


class AnyBody(BaseParser):
    """The body is a file in some format, read as it is (never parsed by DRF)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None):
        return stream


class AnnotationImportSerializer(serializers.Serializer):
    documents = serializers.IntegerField(help_text="Documents the project did not have.")
    claims = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Claims already present.")
    users_created = serializers.IntegerField()
    reviews = serializers.IntegerField()
    left_out = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the file holds that is no claim, with its file and line.",
    )


def _spooled(request: Request) -> IO[bytes]:
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    stream = request.stream
    while stream is not None and (piece := stream.read(CHUNK)):
        body.write(piece)
    body.seek(0)
    return body


def _name(body: IO[bytes]) -> str:
    """A file name the readers recognise, from the body's first bytes."""
    head = body.read(64).lstrip()
    body.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "annotations.zip"
    return "annotations.json" if head.startswith(b"[") else "annotations.jsonl"


class ProjectAnnotations(ApiView):
    parser_classes = [AnyBody]
    content_negotiation_class = _FormatIsTheFileFormat

    @extend_schema(
        operation_id="projects_annotations_create",
        summary="Import annotations in any format (managers; as import_annotations)",
        description="The body is the file: claims/1 JSON Lines, a zip of brat .txt + .ann "
        "files, a Label Studio JSON export or doccano JSONL. Documents the project lacks are "
        "added; all or nothing, errors name the file and line. A body larger than "
        "JOBS_INLINE_IMPORT_BYTES (4 MB by default), or any body with ?background=true, is "
        "imported by a worker: 202 with the job (GET its url for progress and counts).",
        request={
            "application/x-ndjson": OpenApiTypes.BINARY,
            "application/zip": OpenApiTypes.BINARY,
            "application/json": OpenApiTypes.BINARY,
        },
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(formats.READABLE),
                description="The body's format; recognised from it when left out.",
            ),
            OpenApiParameter(
                "annotator",
                OpenApiTypes.STR,
                description="Whose work it is (brat, doccano: default from the file names).",
            ),
            OpenApiParameter(
                "create_users",
                OpenApiTypes.BOOL,
                description="Create unknown annotators as inactive accounts.",
            ),
            OpenApiParameter(
                "as_suggestions",
                OpenApiTypes.BOOL,
                description="Store the claims as suggestions for annotators.",
            ),
            OpenApiParameter(
                "gold_by", OpenApiTypes.STR, description="brat: the adjudicator of gold/ files."
            ),
            OpenApiParameter("background", OpenApiTypes.BOOL),
        ],
        responses={
            201: AnnotationImportSerializer,
            202: JobSerializer,
            **errors(400, 403, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_manager()
        query = request.query_params
        chosen = query.get("format") or None
        if chosen is not None:
            choose_format(None, chosen)  # refused now, not on the worker
        annotator = query.get("annotator", "").strip()
        params = annotation_params(
            chosen,
            create_users=flag(query.get("create_users", ""), "create_users"),
            as_suggestions=flag(query.get("as_suggestions", ""), "as_suggestions"),
            gold_by=query.get("gold_by") or None,
            options={"annotator": annotator} if annotator else {},
        )
        with _spooled(request) as body:
            name = _name(body)
            if in_background(request):
                job = jobs.enqueue(
                    access.project,
                    "import_annotations",
                    owner=request.user,
                    params=params,
                    input=body,
                    input_name=name,
                )
                return accepted(job, request)
            try:
                bundle = open_upload(name, body)
            except formats.FormatError as exc:
                raise DomainError(str(exc), field="body") from None
            fmt = choose_format(bundle, chosen)
            imported = import_file(
                access.project,
                bundle,
                fmt,
                source=name,
                create_users=params["create_users"],
                as_suggestions=params["as_suggestions"],
                gold_by=params["gold_by"],
                options=params["options"],
            )
        result = imported.result
        return Response(
            {
                "documents": result.documents,
                "claims": result.claims,
                "skipped": result.skipped,
                "users_created": result.users_created,
                "reviews": result.reviews,
                "left_out": [str(n) for n in imported.notices[:SHOWN_NOTICES]],
            },
            status=status.HTTP_201_CREATED,
        )
