"""Creating projects and managing who is in them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.fields.json import KeyTransform

from annotator.models import Claim, Membership, Project, Role
from annotator.scheme import Scheme, SchemeError, parse_scheme
from annotator.services.access import Access
from annotator.services.errors import DomainError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def create_project(
    slug: str,
    *,
    name: str = "",
    scheme: object = None,
    guidelines: str = "",
    manager: Any = None,
) -> Project:
    """A new project with a validated scheme; refuses a slug that is taken."""
    if not _SLUG.match(slug):
        raise DomainError(
            f"slug {slug!r} must be lower-case letters, digits and '-' (at most 60)", field="slug"
        )
    try:
        parsed = parse_scheme(scheme)
    except SchemeError as exc:
        raise DomainError(f"scheme: {exc}", field="scheme") from None
    with transaction.atomic():
        if Project.objects.filter(slug=slug).exists():
            raise DomainError(f"a project {slug!r} already exists", field="slug", code="exists")
        project = Project.objects.create(
            slug=slug, name=name or slug, scheme=parsed.as_json(), guidelines=guidelines
        )
        if manager is not None:
            Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return project


def set_member(project: Project, username: str, role: str) -> Membership:
    """Add a user to the project with a role, or change their role."""
    if role not in Role.values:
        raise DomainError(f"unknown role {role!r}", field="role")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"no user {username!r}", field="username")
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    return membership


def remove_member(project: Project, username: str) -> None:
    deleted, _ = Membership.objects.filter(project=project, user__username=username).delete()
    if not deleted:
        raise DomainError(f"{username!r} is not a member", field="username")


_TEXT_FIELDS = {"name": 200, "description": None, "guidelines": None}


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
