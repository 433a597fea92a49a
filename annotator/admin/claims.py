"""The claim list and page as a reviewer's tool: what each claim says at a glance, the claim
in its paragraph, decisions with a comment, gold and export of the selected claims."""

from __future__ import annotations

from itertools import chain

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from annotator.admin.filters import EntityAutocompleteFilter, ReviewStateFilter
from annotator.admin.panel import review_panel, shown
from annotator.admin.scoping import Scoped
from annotator.models import Claim, Project, Role
from annotator.models.workflow import Decision
from annotator.offsets import ROLES
from annotator.services.access import access_to
from annotator.services.claims import EntityResolver, claim_fields
from annotator.services.errors import DomainError
from annotator.services.exporting import JsonlExport
from annotator.services.review import review_claims, take_into_gold

SHORT = 70  # characters of a claim in the list; the whole claim is its tooltip


def _claims(count: int) -> str:
    return f"{count} claim" if count == 1 else f"{count} claims"


class StaleAdminEdit(Exception):
    """The claim changed between opening and saving its admin form."""


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


class DecisionForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text="The annotator sees it beside the claim on their annotate page.",
    )

    def __init__(self, decision: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A rejection says why: the annotator has to know what to fix.
        self.fields["comment"].required = decision == Decision.REJECTED


def _span_text(role: str):
    @admin.display(description=role)
    def text(self, claim: Claim) -> str:
        value = shown(claim, role)
        if role in ("speaker", "target"):
            entity = getattr(claim, f"{role}_entity")
            if entity is not None:
                return format_html("<strong>{}</strong> {}", entity.name, value and f"({value})")
        return value or "—"

    return text


def _decide_action(decision: str):
    label = Decision(decision).label.lower()

    @admin.action(description=f"{label.capitalize()} selected claims (with a comment)…")
    def action(modeladmin: ClaimAdmin, request: HttpRequest, queryset: QuerySet[Claim]):
        return modeladmin.decide(request, queryset, decision)

    action.__name__ = f"{label[:-2]}_selected"  # accept_selected, reject_selected
    action.allowed_permissions = ("review",)  # type: ignore[attr-defined]
    return action


@admin.action(description="Take selected claims into gold", permissions=["review"])
def take_gold(modeladmin: ClaimAdmin, request: HttpRequest, queryset: QuerySet[Claim]):
    accesses: dict[int, object] = {}
    taken = 0
    for claim in queryset.select_related("document__project").filter(is_gold=False):
        project = claim.document.project
        access = accesses.setdefault(project.pk, access_to(request.user, project))
        take_into_gold(access, claim)  # type: ignore[arg-type]
        taken += 1
    modeladmin.message_user(request, f"{_claims(taken)} taken into gold.", messages.SUCCESS)


@admin.action(description="Export selected claims (flat JSONL)", permissions=["view"])
def export_selected(modeladmin: ClaimAdmin, request: HttpRequest, queryset: QuerySet[Claim]):
    by_project: dict[int, list[int]] = {}
    for pk, project_id in queryset.values_list("pk", "document__project"):
        by_project.setdefault(project_id, []).append(pk)
    projects = Project.objects.in_bulk(by_project)
    exports = [
        JsonlExport(projects[p], per="claim", claim_ids=ids) for p, ids in by_project.items()
    ]
    response = StreamingHttpResponse(
        chain.from_iterable(e.lines() for e in exports), content_type=JsonlExport.content_type
    )
    response["Content-Disposition"] = 'attachment; filename="claims.jsonl"'
    return response


@admin.register(Claim)
class ClaimAdmin(Scoped, SimpleHistoryAdmin):
    form = ClaimForm
    project_path = "document__project"
    grants = {"view": Role.REVIEWER, "change": Role.REVIEWER}

    list_display = [
        "claim_column",
        "speaker_column",
        "cue_column",
        "stance",
        "target_column",
        "annotator",
        "document_column",
        "review",
        "updated_at",
    ]
    list_display_links = ["claim_column"]
    list_select_related = ["document", "annotator", "speaker_entity", "target_entity"]
    list_per_page = 50
    list_filter = [
        ("document__project", admin.RelatedOnlyFieldListFilter),
        ("annotator", admin.RelatedOnlyFieldListFilter),
        "stance",
        ReviewStateFilter,
        "is_gold",
        "source",
        ("speaker_entity", EntityAutocompleteFilter),
        ("target_entity", EntityAutocompleteFilter),
    ]
    date_hierarchy = "updated_at"
    search_fields = [
        "note",
        "speaker_entity__search",
        "target_entity__search",
        "document__title",
        "document__external_id",
        "annotator__username",
    ]
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
    fieldsets = [
        (None, {"fields": ["document", "annotator", "stance", "attributes", "note"]}),
        ("Entities", {"fields": ["speaker_entity", "target_entity"]}),
        ("Review", {"fields": ["review", "is_gold", "source", "origin"]}),
        (
            # Editable for corrections; checked against the text like every other write.
            "Offsets (code points)",
            {
                "fields": [
                    ("claim_start", "claim_end", "claim_text"),
                    ("speaker_start", "speaker_end", "speaker_text"),
                    ("cue_start", "cue_end", "cue_text"),
                    ("target_start", "target_end", "target_text"),
                    "fragments",
                ]
            },
        ),
        ("Record", {"fields": ["uid", "version", "created_at", "updated_at", "seen_version"]}),
    ]
    actions = [
        _decide_action(Decision.ACCEPTED),
        _decide_action(Decision.REJECTED),
        take_gold,
        export_selected,
    ]

    claim_text = _span_text("claim")
    speaker_text = _span_text("speaker")
    cue_text = _span_text("cue")
    target_text = _span_text("target")
    speaker_column = _span_text("speaker")
    cue_column = _span_text("cue")
    target_column = _span_text("target")

    @admin.display(description="claim", ordering="claim_start")
    def claim_column(self, claim: Claim) -> str:
        text = shown(claim, "claim")
        cut = text if len(text) <= SHORT else text[: SHORT - 1] + "…"
        return format_html('<span title="{}">{}</span>', text, cut)

    @admin.display(description="document", ordering="document__title")
    def document_column(self, claim: Claim) -> str:
        title = str(claim.document)
        cut = title if len(title) <= 30 else title[:29] + "…"
        return format_html('<span title="{}">{}</span>', title, cut)

    @property
    def media(self) -> forms.Media:
        entity = Claim._meta.get_field("speaker_entity")
        return (
            super().media
            + AutocompleteSelect(entity, self.admin_site).media
            # Named with the scripts it needs, so that the merged media keep it after them.
            + forms.Media(
                js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", "annotator/admin.js"],
                css={"all": ["annotator/admin.css"]},
            )
        )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Also the text of each span, sliced from the document in the database."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return found, duplicates
        texts = {
            f"_{role}_text": Substr(
                "document__text", F(f"{role}_start") + 1, F(f"{role}_end") - F(f"{role}_start")
            )
            for role in ROLES
        }
        matching = Q()
        for name in texts:
            matching |= Q(**{f"{name}__icontains": term})
        by_text = Claim.objects.annotate(**texts).filter(matching).values("pk")
        return found | queryset.filter(pk__in=by_text), duplicates

    # The page of one claim ------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        if claim is not None:
            extra_context = {
                **(extra_context or {}),
                "review_panel": review_panel(
                    claim, request.user, can_decide=self.has_review_permission(request)
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        # The list, the page and the span texts read each claim's document with it.
        related = ("document", "annotator", "speaker_entity", "target_entity")
        return super().get_queryset(request).select_related(*related)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:claim_id>/decide/<str:decision>/", decide, name="annotator_claim_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, claim_id: int, decision: str):
        """Accept or reject one claim from its page: the same form as the list's actions."""
        if decision not in Decision.values or not self.has_review_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        claim = get_object_or_404(self.get_queryset(request), pk=claim_id)
        done = self.decide(request, Claim.objects.filter(pk=claim.pk), decision, single=True)
        if done is None:
            return HttpResponseRedirect(reverse("admin:annotator_claim_change", args=[claim.pk]))
        return done

    def decide(
        self, request: HttpRequest, queryset: QuerySet[Claim], decision: str, single: bool = False
    ):
        """The comment page; once sent, the same Review records and history as the review
        page writes (the review service), which the annotator's page shows."""
        claims = list(queryset.select_related("document", "annotator"))
        form = DecisionForm(decision, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = review_claims(request.user, claims, decision, form.cleaned_data["comment"])
            skipped = len(claims) - count
            note = f" ({skipped} gold claims left as they are)" if skipped else ""
            self.message_user(request, f"{_claims(count)} {decision}{note}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{Decision(decision).label[:-2]} {_claims(len(claims))}",
            "opts": self.model._meta,
            "claims": [(c, shown(c, "claim")) for c in claims],
            "decision": decision,
            "form": form,
            "single": single,
            "action": request.POST.get("action", ""),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/annotator/claim/decide.html", context)

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
