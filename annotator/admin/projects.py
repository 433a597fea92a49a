"""Projects, members, annotation sets, reviews and jobs: for reviewers and managers to look
at (they change them through the app's pages); superusers administer them here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from annotator.admin.scoping import Scoped
from annotator.models import Assignment, Job, Membership, Project, Review


class MembershipInline(Scoped, admin.TabularInline):
    model = Membership
    project_path, parent_path = "project", "pk"
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(Scoped, admin.ModelAdmin):
    project_path = "pk"
    list_display = ["slug", "name", "created_at"]
    search_fields = ["slug", "name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(Scoped, admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter), "role"]
    list_select_related = ["user", "project"]
    search_fields = ["user__username", "project__slug"]
    autocomplete_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(Scoped, admin.ModelAdmin):
    project_path = "document__project"
    list_display = ["document", "annotator", "status", "review", "submitted_at"]
    list_filter = [
        ("document__project", admin.RelatedOnlyFieldListFilter),
        ("annotator", admin.RelatedOnlyFieldListFilter),
        "status",
        "review",
    ]
    search_fields = ["document__title", "document__external_id", "annotator__username"]
    list_select_related = ["document", "annotator"]
    raw_id_fields = ["document"]


@admin.register(Review)
class ReviewAdmin(Scoped, admin.ModelAdmin):
    """A decision is on a whole annotation set or on one claim: either way, in a project."""

    list_display = ["created_at", "reviewer", "decision", "assignment", "claim", "comment"]
    list_filter = ["decision", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["reviewer", "assignment__document", "assignment__annotator"]
    search_fields = ["comment", "reviewer__username"]
    raw_id_fields = ["assignment", "claim"]

    def scope(self, projects: list[int]) -> Q:
        return Q(claim__document__project__in=projects) | Q(
            assignment__document__project__in=projects
        )

    def project_of(self, review: Review) -> int:
        owner = review.claim or review.assignment
        return owner.document.project_id  # type: ignore[union-attr]


@admin.register(Job)
class JobAdmin(Scoped, admin.ModelAdmin):
    """Jobs are changed through their pages (cancel, retry); here staff look."""

    list_display = ["id", "kind", "project", "owner", "state", "done", "total", "created_at"]
    list_filter = ["state", "kind", ("project", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["project", "owner"]
    search_fields = ["input_name", "message", "owner__username"]
    exclude = ["params"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name != "params"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Job]:
        return super().get_queryset(request).filter(parent=None)
