"""Small services the REST API needed that the other modules did not have yet.

``entity_access`` belongs beside the other getters in access.py, ``update_project`` in
projects.py; they live here, apart, until they are moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models.fields.json import KeyTransform
from django.http import Http404

from annotator.models import Claim, Entity, Project
from annotator.scheme import Scheme, SchemeError, parse_scheme
from annotator.services.access import Access, User, access_to
from annotator.services.errors import DomainError

_TEXT_FIELDS = {"name": 200, "description": None, "guidelines": None}


def entity_access(user: User, entity_id: int) -> tuple[Access, Entity]:
    """An entity and the user's access to its project; 404 if not a member."""
    entity = Entity.objects.select_related("project").filter(pk=entity_id).first()
    if entity is None:
        raise Http404("No such entity.")
    return access_to(user, entity.project), entity


def _check_scheme_in_use(project: Project, new: Scheme) -> None:
    """Refuse a scheme that drops a stance label or attribute value that claims use."""
    claims = Claim.objects.filter(document__project=project)
    dropped = (
        claims.exclude(stance="")
        .exclude(stance__in=new.stance_labels)
        .values_list("stance", flat=True)
        .distinct()
    )
    labels = sorted(set(dropped[:20]))
    if labels:
        raise DomainError(
            f"claims use the stance label(s) {', '.join(labels)}; keep them in stance_labels",
            field="scheme",
            code="in_use",
        )
    old = project.parsed_scheme
    for name, values in old.attributes.items():
        gone = [v for v in values if v not in new.attributes.get(name, ())]
        if not gone:
            continue
        in_use = claims.annotate(value=KeyTransform(name, "attributes")).filter(value__in=gone)
        if in_use.exists():
            raise DomainError(
                f"claims use values of attribute {name!r} that the new scheme drops",
                field="scheme",
                code="in_use",
            )


def update_project(access: Access, data: Mapping[str, Any]) -> Project:
    """Change a project's name, description, guidelines or scheme (managers only)."""
    access.require_manager()
    project = access.project
    changed: list[str] = []
    for key, max_length in _TEXT_FIELDS.items():
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, str):
            raise DomainError(f"{key} must be text", field=key)
        if key == "name":
            value = value.strip()
            if not value:
                raise DomainError("a project needs a name", field=key)
        if max_length is not None and len(value) > max_length:
            raise DomainError(f"{key} has at most {max_length} characters", field=key)
        setattr(project, key, value)
        changed.append(key)
    with transaction.atomic():
        if "scheme" in data:
            if not isinstance(data["scheme"], Mapping):
                raise DomainError("scheme must be an object", field="scheme")
            try:
                scheme = parse_scheme(data["scheme"])
            except SchemeError as exc:
                raise DomainError(f"scheme: {exc}", field="scheme") from None
            _check_scheme_in_use(project, scheme)
            project.scheme = scheme.as_json()
            project.__dict__.pop("parsed_scheme", None)
            changed.append("scheme")
        if changed:
            project.save(update_fields=changed)
    return project
