"""Creating projects and managing who is in them."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.models import Membership, Project, Role
from annotator.scheme import SchemeError, parse_scheme
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
