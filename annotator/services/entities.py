"""Entities: the canonical speakers and targets of a project, with their aliases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from annotator.models import Entity, Project
from annotator.services.access import Access
from annotator.services.errors import DomainError

MAX_ALIASES = 100


def _aliases(value: object, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise DomainError("aliases must be a list of names", field="aliases")
    aliases: list[str] = []
    for alias in (a.strip() for a in value):
        if alias and alias.lower() != name.lower() and alias not in aliases:
            aliases.append(alias[:200])
    if len(aliases) > MAX_ALIASES:
        raise DomainError(f"at most {MAX_ALIASES} aliases", field="aliases")
    return aliases


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError("an entity needs a name", field="name")
    if len(value.strip()) > 200:
        raise DomainError("a name has at most 200 characters", field="name")
    return value.strip()


def create_entity(access: Access, data: Mapping[str, Any]) -> Entity:
    """Any member may create an entity while annotating; names are unique per project."""
    name = _name(data.get("name"))
    entity = Entity(project=access.project, name=name, aliases=_aliases(data.get("aliases"), name))
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise DomainError(
            f"an entity named {name!r} already exists", field="name", code="exists"
        ) from None
    return entity


def update_entity(access: Access, entity: Entity, data: Mapping[str, Any]) -> Entity:
    """Rename an entity or change its aliases (managers and reviewers)."""
    access.require_reviewer()
    if "name" in data:
        entity.name = _name(data["name"])
    if "aliases" in data:
        entity.aliases = _aliases(data["aliases"], entity.name)
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise DomainError(
            f"an entity named {entity.name!r} already exists", field="name", code="exists"
        ) from None
    return entity


def search_entities(project: Project, query: str, limit: int = 10) -> QuerySet[Entity]:
    """Entities whose name or an alias contains the query, names starting with it first."""
    query = query.strip().lower()
    entities = Entity.objects.filter(project=project)
    if query:
        entities = entities.filter(search__contains=query)
    return entities.order_by("name")[:limit]
