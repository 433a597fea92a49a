"""Who sees what in the admin: staff users who are not superusers work only on the projects
where they are a reviewer or a manager, in every list, form, autocomplete and action.

Their permissions come from those roles, not from Django's model permissions: each admin
says which role may view and which may change (``grants``); adding and deleting stay with
superusers, who see and do everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from annotator.models import Assignment, Claim, Document, Entity, Membership, Project, Role

RANK = {Role.REVIEWER: 1, Role.MANAGER: 2}


def admin_roles(request: HttpRequest) -> dict[int, str]:
    """{project id: role} for the projects the user reviews or manages (once per request)."""
    roles = getattr(request, "_admin_roles", None)
    if roles is None:
        roles = dict(
            Membership.objects.filter(user=request.user, role__in=list(RANK)).values_list(
                "project_id", "role"
            )
        )
        request._admin_roles = roles  # type: ignore[attr-defined]
    return roles


def projects_where(request: HttpRequest, role: str) -> list[int]:
    """The ids of the projects where the user has at least this role."""
    return [p for p, r in admin_roles(request).items() if RANK[r] >= RANK[role]]


# How each model that points at a project reaches it: the choices a form offers and the
# objects an admin lists are filtered along these paths.
PROJECT_PATHS: dict[type[Model], str] = {
    Project: "pk",
    Document: "project",
    Entity: "project",
    Membership: "project",
    Claim: "document__project",
    Assignment: "document__project",
}


class Scoped:
    """Mixin for a ModelAdmin or an inline whose objects each belong to one project."""

    project_path: str = "project"
    # For an inline: the path from the parent object, whose project decides the permissions.
    parent_path: str | None = None
    # The least role that may view / change; None: superusers only.
    grants: dict[str, str | None] = {"view": Role.REVIEWER, "change": None}

    def project_of(self, obj: Any) -> int:
        """The id of the object's project (for an inline: of the parent object's)."""
        *through, last = (self.parent_path or self.project_path).split("__")
        if last == "pk":
            return obj.pk
        for step in through:
            obj = getattr(obj, step)
        return getattr(obj, f"{last}_id")

    def scope(self, projects: list[int]) -> Q:
        """The objects of these projects."""
        return Q(**{f"{self.project_path}__in": projects})

    def _allows(self, request: HttpRequest, what: str, obj: Any = None) -> bool:
        user = request.user
        if _is_superuser(request):
            return True
        least = self.grants.get(what)
        if least is None or not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return bool(projects_where(request, least))
        return self.project_of(obj) in projects_where(request, least)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allows(request, "view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allows(request, "view", obj) or self._allows(request, "change", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allows(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)

    def has_review_permission(self, request: HttpRequest) -> bool:
        """For actions that decide (accept, reject, gold, merge): reviewers and managers, on
        the objects of their projects (the services check each project again)."""
        return _is_superuser(request) or (
            request.user.is_staff and bool(projects_where(request, Role.REVIEWER))
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if _is_superuser(request):
            return queryset
        return queryset.filter(self.scope(projects_where(request, Role.REVIEWER)))

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # The autocomplete endpoints call this with the admin's own (scoped) queryset; the
        # scope is applied again so that no search path can widen it.
        found, duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        if _is_superuser(request):
            return found, duplicates
        return found.filter(self.scope(projects_where(request, Role.REVIEWER))), duplicates

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        related = db_field.related_model
        if related is get_user_model():
            kwargs.setdefault("queryset", _members(request))
        elif related in PROJECT_PATHS:
            # Where the user may change objects: a manager's document moves only between
            # the projects they manage.
            least = self.grants.get("change") or Role.REVIEWER
            kwargs.setdefault("queryset", _choices(request, related, least))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


def _is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def _choices(request: HttpRequest, model: type[Model], least: str) -> QuerySet:
    """A form's choices of projects, documents, claims...: those of the user's projects."""
    choices = model._default_manager.all()
    if _is_superuser(request):
        return choices
    projects = projects_where(request, least)
    return choices.filter(**{f"{PROJECT_PATHS[model]}__in": projects})


def _members(request: HttpRequest) -> QuerySet:
    """A form's choices of users: the members of the user's projects."""
    users = get_user_model()._default_manager.order_by("username")
    if _is_superuser(request):
        return users
    projects = projects_where(request, Role.REVIEWER)
    return users.filter(memberships__project__in=projects).distinct()
