"""Django admin for staff: every model, with the filters and actions a data manager needs."""

from __future__ import annotations

from itertools import chain

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from simple_history.admin import SimpleHistoryAdmin

from annotator.models import Assignment, Claim, Document, Entity, Membership, Project, Review
from annotator.models.document import GoldStatus
from annotator.models.workflow import Decision
from annotator.offsets import ROLES
from annotator.services.claims import EntityResolver, claim_fields
from annotator.services.errors import DomainError
from annotator.services.exporting import JsonlExport
from annotator.services.review import review_claims


class StaleAdminEdit(Exception):
    """The claim changed between opening and saving its admin form."""


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "created_at"]
    search_fields = ["slug", "name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["project", "role"]
    search_fields = ["user__username", "project__slug"]
    autocomplete_fields = ["user"]


def _span_text(role: str):
    def text(claim: Claim) -> str:
        return claim.span_text(role) or "—"

    text.short_description = f"{role} text"  # type: ignore[attr-defined]
    return text


class ClaimInline(admin.TabularInline):
    """Claims of a document, read-only: offsets are edited on the claim's own page."""

    model = Claim
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["annotator", "is_gold", "claim_text", "speaker_text", "stance", "review"]
    readonly_fields = fields

    claim_text = staticmethod(_span_text("claim"))
    speaker_text = staticmethod(_span_text("speaker"))

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("annotator", "document")


@admin.action(description="Export selected documents as JSONL")
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


@admin.action(description="Mark selected documents gold-complete")
def mark_gold_complete(modeladmin, request: HttpRequest, queryset: QuerySet[Document]):
    count = queryset.update(gold_status=GoldStatus.COMPLETE, gold_by=request.user)
    modeladmin.message_user(request, f"{count} documents marked gold-complete.")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["external_id", "title", "project", "gold_status", "created_at"]
    list_filter = ["project", "gold_status"]
    search_fields = ["external_id", "title"]
    readonly_fields = ["created_at"]
    inlines = [ClaimInline]
    actions = [export_documents, mark_gold_complete]

    def get_readonly_fields(self, request: HttpRequest, obj: Document | None = None):
        # The text is immutable once annotated: claims and suggestions point into it.
        if obj is not None and obj.has_offsets():
            return [*self.readonly_fields, "text", "project"]
        return self.readonly_fields


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "aliases"]
    list_filter = ["project"]
    search_fields = ["name", "search"]


class ClaimForm(forms.ModelForm):
    """Checks offsets against the text and values against the scheme, as every face does,
    and refuses to overwrite a claim changed since the form was opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = "__all__"  # noqa: DJ007 (the admin shows every field)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        document = cleaned.get("document") or getattr(self.instance, "document", None)
        if document is None or self.errors:
            return cleaned
        payload: dict = {"stance": cleaned.get("stance"), "attributes": cleaned.get("attributes")}
        payload["note"] = cleaned.get("note")
        fragments = cleaned.get("fragments") or {}
        if not isinstance(fragments, dict):
            raise forms.ValidationError("fragments must be an object: role -> [[start, end], …]")
        for role in ROLES:
            start, end = cleaned.get(f"{role}_start"), cleaned.get(f"{role}_end")
            entity = cleaned.get(f"{role}_entity")
            if start is not None or end is not None or entity is not None:
                payload[role] = {"start": start, "end": end, "entity": entity and entity.pk}
                if fragments.get(role):
                    payload[role]["fragments"] = [
                        {"start": p[0], "end": p[1]} if isinstance(p, list) and len(p) == 2 else p
                        for p in fragments[role]
                    ]
        try:
            fields = claim_fields(
                document.project, document.text, payload, EntityResolver(document.project)
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        cleaned["fragments"] = fields.get("fragments", {})
        return cleaned


def _review_action(decision: str):
    @admin.action(description=f"Mark selected claims {decision}")
    def action(modeladmin, request: HttpRequest, queryset: QuerySet[Claim]):
        count = review_claims(request.user, queryset, decision)
        modeladmin.message_user(request, f"{count} claims {decision}.", messages.SUCCESS)

    action.__name__ = f"mark_{decision}"
    return action


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimForm
    list_display = ["id", "document", "annotator", "claim_text", "stance", "review", "is_gold"]
    list_filter = ["document__project", "annotator", "stance", "review", "is_gold", "source"]
    search_fields = ["document__title", "document__external_id", "note", "annotator__username"]
    list_select_related = ["document", "annotator"]
    raw_id_fields = ["document", "origin"]
    autocomplete_fields = ["speaker_entity", "target_entity"]
    readonly_fields = [
        "uid",
        "claim_text",
        "speaker_text",
        "cue_text",
        "target_text",
        "version",
        "created_at",
        "updated_at",
    ]
    actions = [_review_action(Decision.ACCEPTED), _review_action(Decision.REJECTED)]

    claim_text = staticmethod(_span_text("claim"))
    speaker_text = staticmethod(_span_text("speaker"))
    cue_text = staticmethod(_span_text("cue"))
    target_text = staticmethod(_span_text("target"))

    def save_model(self, request: HttpRequest, obj: Claim, form, change: bool) -> None:
        with transaction.atomic():
            if change:
                current = Claim.objects.select_for_update(of=("self",)).get(pk=obj.pk).version
                if form.cleaned_data.get("seen_version") != current:
                    raise StaleAdminEdit
                obj.version = current + 1
            super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleAdminEdit:
            self.message_user(
                request,
                "Someone changed this claim since you opened it; nothing was saved. "
                "Here is the current version.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["document", "annotator", "status", "review", "submitted_at"]
    list_filter = ["document__project", "annotator", "status", "review"]
    search_fields = ["document__title", "document__external_id", "annotator__username"]
    list_select_related = ["document", "annotator"]
    raw_id_fields = ["document"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reviewer", "decision", "assignment", "claim"]
    list_filter = ["decision", "reviewer"]
    search_fields = ["comment", "reviewer__username"]
    raw_id_fields = ["assignment", "claim"]
