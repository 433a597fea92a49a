"""Documents: their annotation sets and claims inline, gold status, export."""

from __future__ import annotations

from itertools import chain

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from annotator.admin.panel import shown
from annotator.admin.scoping import Scoped
from annotator.models import Assignment, Claim, Document, Project, Role
from annotator.services.access import access_to
from annotator.services.exporting import JsonlExport
from annotator.services.review import set_gold_status


class AssignmentInline(Scoped, admin.TabularInline):
    """Who annotates the document and how far they are; assigning is the members page's."""

    model = Assignment
    project_path, parent_path = "document__project", "project"
    extra = 0
    can_delete = False
    fields = ["annotator", "status", "review", "submitted_at", "submission"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).select_related("annotator")


class ClaimInline(Scoped, admin.TabularInline):
    """Claims of a document, read-only: offsets are edited on the claim's own page."""

    model = Claim
    project_path, parent_path = "document__project", "project"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["annotator", "is_gold", "claim_text", "speaker_text", "stance", "review"]
    readonly_fields = fields

    @admin.display(description="claim")
    def claim_text(self, claim: Claim) -> str:
        return shown(claim, "claim")

    @admin.display(description="speaker")
    def speaker_text(self, claim: Claim) -> str:
        return shown(claim, "speaker") or "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("annotator", "document")


@admin.action(description="Export selected documents as JSONL", permissions=["view"])
def export_documents(modeladmin, request: HttpRequest, queryset: QuerySet[Document]):
    by_project: dict[Project, list[int]] = {}
    for document in queryset.select_related("project"):
        by_project.setdefault(document.project, []).append(document.pk)
    exports = [JsonlExport(p, document_ids=ids) for p, ids in by_project.items()]
    response = StreamingHttpResponse(
        chain.from_iterable(e.lines() for e in exports), content_type=JsonlExport.content_type
    )
    response["Content-Disposition"] = 'attachment; filename="documents.jsonl"'
    return response


@admin.action(description="Mark selected documents gold-complete", permissions=["review"])
def mark_gold_complete(modeladmin, request: HttpRequest, queryset: QuerySet[Document]):
    accesses: dict[int, object] = {}
    count = 0
    for document in queryset.select_related("project"):
        access = accesses.setdefault(document.project_id, access_to(request.user, document.project))
        set_gold_status(access, document, complete=True)  # type: ignore[arg-type]
        count += 1
    modeladmin.message_user(request, f"{count} documents marked gold-complete.", messages.SUCCESS)


@admin.register(Document)
class DocumentAdmin(Scoped, admin.ModelAdmin):
    grants = {"view": Role.REVIEWER, "change": Role.MANAGER}
    list_display = ["external_id", "title", "project", "gold_status", "created_at"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter), "gold_status"]
    list_select_related = ["project"]
    search_fields = ["external_id", "title"]
    readonly_fields = ["created_at", "gold_by"]
    inlines = [AssignmentInline, ClaimInline]
    actions = [export_documents, mark_gold_complete]

    def get_readonly_fields(self, request: HttpRequest, obj: Document | None = None):
        # The text is immutable once annotated: claims and suggestions point into it.
        if obj is not None and obj.has_offsets():
            return [*self.readonly_fields, "text", "project"]
        return self.readonly_fields
