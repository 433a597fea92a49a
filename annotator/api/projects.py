"""Projects: list the user's, create one (its creator manages it), read and configure."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, json_object, text_value
from annotator.api.examples import PROJECT
from annotator.api.pagination import Pagination
from annotator.api.serializers import (
    NewProjectSerializer,
    ProjectChangeSerializer,
    ProjectSerializer,
)
from annotator.api.shapes import project_json
from annotator.models import Membership, Project, Role
from annotator.services.access import access_to, project_access, projects_for
from annotator.services.projects import create_project, update_project


class ProjectList(ApiView):
    queryset = Project.objects.none()
    pagination_class = Pagination

    @extend_schema(
        operation_id="projects_list",
        summary="The projects you are a member of",
        responses={200: ProjectSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request) -> Response:
        role = Membership.objects.filter(project=OuterRef("pk"), user=request.user.pk)
        projects = projects_for(request.user).annotate(
            member_role=Subquery(role.values("role")[:1])
        )
        page = self.paginate_queryset(projects.order_by("slug"))
        # Superusers see every project and act in each as a manager.
        return self.get_paginated_response(
            [project_json(p, p.member_role or Role.MANAGER) for p in page]
        )

    @extend_schema(
        operation_id="projects_create",
        summary="Create a project; you become its manager",
        request=NewProjectSerializer,
        examples=[PROJECT],
        responses={201: ProjectSerializer, **errors(400)},
    )
    def post(self, request: Request) -> Response:
        data = json_object(request.data)
        slug = text_value(data, "slug", required=True)
        name = text_value(data, "name", max_length=200)
        guidelines = text_value(data, "guidelines")
        description = text_value(data, "description")
        with transaction.atomic():
            project = create_project(
                slug,
                name=name.strip(),
                scheme=data.get("scheme"),
                guidelines=guidelines,
                manager=request.user,
            )
            if description:
                update_project(access_to(request.user, project), {"description": description})
        return Response(project_json(project, Role.MANAGER), status=status.HTTP_201_CREATED)


class ProjectDetail(ApiView):
    @extend_schema(
        operation_id="projects_retrieve",
        summary="A project with its scheme and guidelines",
        responses={200: ProjectSerializer, **errors(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        return Response(project_json(access.project, access.role))

    @extend_schema(
        operation_id="projects_partial_update",
        summary="Change name, description, guidelines or scheme (managers)",
        description="A new scheme may not drop stance labels or attribute values that "
        "claims already use.",
        request=ProjectChangeSerializer,
        responses={200: ProjectSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        access.require_manager()
        project = update_project(access, json_object(request.data))
        return Response(project_json(project, access.role))
