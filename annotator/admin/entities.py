"""Entities: how often each names a speaker or a target, and merging duplicates."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from annotator.admin.scoping import Scoped
from annotator.models import Claim, Entity, Role
from annotator.services.access import access_to
from annotator.services.entities import merge_entities
from annotator.services.errors import DomainError


def _uses(role: str) -> Coalesce:
    """How many annotators' claims name the entity in this role."""
    claims = (
        Claim.objects.filter(**{f"{role}_entity": OuterRef("pk")}, is_gold=False)
        .order_by()
        .values(f"{role}_entity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(claims, output_field=IntegerField()), 0)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        label="Keep",
        help_text="The others' names become its aliases and their claims name it.",
    )

    def __init__(self, entities: QuerySet[Entity], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = entities


@admin.action(description="Merge selected entities into one…", permissions=["review"])
def merge_selected(modeladmin, request: HttpRequest, queryset: QuerySet[Entity]):
    entities = queryset.select_related("project").order_by("-as_speaker", "-as_target", "name")
    form = MergeForm(entities, request.POST if "apply" in request.POST else None)
    if len({e.project_id for e in entities}) > 1:
        modeladmin.message_user(
            request, "Entities of different projects cannot be merged.", messages.ERROR
        )
        return None
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            merge_entities(access_to(request.user, into.project), into, list(entities))
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return None
        modeladmin.message_user(
            request, f"Merged {len(entities) - 1} entities into “{into.name}”.", messages.SUCCESS
        )
        return None
    if not form.is_bound:
        form = MergeForm(entities, initial={"into": entities[0] if entities else None})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge {len(entities)} entities",
        "opts": modeladmin.model._meta,
        "entities": entities,
        "form": form,
        "action": request.POST.get("action", ""),
    }
    return TemplateResponse(request, "admin/annotator/entity/merge.html", context)


@admin.register(Entity)
class EntityAdmin(Scoped, SimpleHistoryAdmin):
    grants = {"view": Role.REVIEWER, "change": Role.REVIEWER}
    list_display = ["name", "project", "alias_list", "as_speaker", "as_target"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["project"]
    search_fields = ["name", "search"]
    actions = [merge_selected]

    def get_readonly_fields(self, request: HttpRequest, obj: Entity | None = None):
        # Claims of the project name it: it cannot move to another project (merge instead).
        return ["project"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entity]:
        return (
            super()
            .get_queryset(request)
            .annotate(as_speaker=_uses("speaker"), as_target=_uses("target"))
        )

    @admin.display(description="aliases")
    def alias_list(self, entity: Entity) -> str:
        return ", ".join(entity.aliases) or "—"

    @admin.display(description="as speaker", ordering="as_speaker")
    def as_speaker(self, entity: Entity) -> int:
        return entity.as_speaker

    @admin.display(description="as target", ordering="as_target")
    def as_target(self, entity: Entity) -> int:
        return entity.as_target
