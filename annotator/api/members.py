"""Members and assignment: who is in a project with which role, and who annotates what."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, json_object, text_value
from annotator.api.pagination import Pagination
from annotator.api.serializers import (
    AssignInputSerializer,
    AssignResultSerializer,
    MemberSerializer,
)
from annotator.models import Membership
from annotator.services import workflow
from annotator.services.access import project_access
from annotator.services.errors import DomainError
from annotator.services.projects import set_member


class ProjectMembers(ApiView):
    queryset = Membership.objects.none()
    pagination_class = Pagination

    @extend_schema(
        operation_id="members_list",
        summary="The project's members and their roles (managers and reviewers)",
        responses={200: MemberSerializer(many=True), **errors(403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_reviewer()
        members = (
            Membership.objects.filter(project=access.project)
            .order_by("user__username")
            .values("user__username", "role")
        )
        page = self.paginate_queryset(members)
        return self.get_paginated_response(
            [{"username": m["user__username"], "role": m["role"]} for m in page]
        )

    @extend_schema(
        operation_id="members_set",
        summary="Add a user with a role, or change a member's role (managers)",
        request=MemberSerializer,
        responses={200: MemberSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_manager()
        data = json_object(request.data)
        username = text_value(data, "username", required=True)
        role = text_value(data, "role", required=True)
        member = set_member(access.project, username.strip(), role)
        return Response({"username": member.user.username, "role": member.role})


class ProjectAssign(ApiView):
    @extend_schema(
        operation_id="assign",
        summary="Give every document its annotators, round robin, least loaded first (managers)",
        request=AssignInputSerializer,
        responses={200: AssignResultSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_manager()
        data = json_object(request.data)
        overlap, annotators = data.get("overlap"), data.get("annotators")
        if overlap is not None and (type(overlap) is not int or overlap < 1):
            raise DomainError("overlap must be a whole number of at least 1", field="overlap")
        if annotators is not None and (
            not isinstance(annotators, list) or not all(isinstance(a, str) for a in annotators)
        ):
            raise DomainError("annotators must be a list of usernames", field="annotators")
        made = workflow.assign_round_robin(access, overlap, annotators)
        return Response({"assigned": made})
