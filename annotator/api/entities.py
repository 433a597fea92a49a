"""Entities: a project's canonical speakers and targets, with their aliases."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.base import ApiView, errors, items, json_object
from annotator.api.errors import ItemsFailed
from annotator.api.examples import ENTITIES
from annotator.api.pagination import Pagination
from annotator.api.serializers import EntityInputSerializer, EntitySerializer
from annotator.api.shapes import entity_json
from annotator.models import Entity
from annotator.services.access import Access, entity_access, project_access
from annotator.services.entities import create_entity, update_entity
from annotator.services.errors import DomainError


class EntityFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", help_text="Part of a name or an alias.")

    class Meta:
        model = Entity
        fields: list[str] = []

    def search(self, queryset: QuerySet[Entity], name: str, value: str) -> QuerySet[Entity]:
        return queryset.filter(search__contains=value.strip().lower())


class EntityList(ApiView):
    queryset = Entity.objects.none()
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = EntityFilter
    access: Access

    def get_queryset(self) -> QuerySet[Entity]:
        return Entity.objects.filter(project=self.access.project).order_by("name", "id")

    @extend_schema(
        operation_id="projects_entities_list",
        summary="The project's entities",
        responses={200: EntitySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        self.access = project_access(request.user, slug)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([entity_json(e) for e in page])

    @extend_schema(
        operation_id="projects_entities_create",
        summary="Create one entity or a list of them (all or nothing)",
        request=PolymorphicProxySerializer(
            component_name="EntityImport",
            serializers=[EntityInputSerializer, EntityInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        examples=[ENTITIES],
        responses={
            201: PolymorphicProxySerializer(
                component_name="EntityCreated",
                serializers=[EntitySerializer, EntitySerializer(many=True)],
                resource_type_field_name=None,
                many=False,
            ),
            **errors(400, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        access = project_access(request.user, slug)
        body, is_list = items(request.data)
        created, failed = [], []
        with transaction.atomic():
            for line, item in enumerate(body, 1):
                try:
                    created.append(create_entity(access, json_object(item)))
                except DomainError as exc:
                    exc.line = line
                    failed.append(exc)
            if failed:
                transaction.set_rollback(True)
        if failed:
            if not is_list:
                raise failed[0]
            raise ItemsFailed(failed)
        shapes = [entity_json(e) for e in created]
        return Response(shapes if is_list else shapes[0], status=status.HTTP_201_CREATED)


class EntityDetail(ApiView):
    @extend_schema(
        operation_id="entities_retrieve",
        summary="An entity",
        responses={200: EntitySerializer, **errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        _, entity = entity_access(request.user, id)
        return Response(entity_json(entity))

    @extend_schema(
        operation_id="entities_partial_update",
        summary="Rename an entity or change its aliases (reviewers and managers)",
        request=EntityInputSerializer,
        responses={200: EntitySerializer, **errors(400, 403, 404)},
    )
    def patch(self, request: Request, id: int) -> Response:
        access, entity = entity_access(request.user, id)
        access.require_reviewer()
        entity = update_entity(access, entity, json_object(request.data))
        return Response(entity_json(entity))
