"""Query filters for the document and claim lists (django-filter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from annotator.models import Assignment, Claim, Document
from annotator.models.document import EntityType
from annotator.models.workflow import AssignmentStatus
from annotator.services.explorer import (
    NO_STANCE,
    SORTS,
    STATUSES,
    Filters,
    filter_claims,
    parse_filters,
)

MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class FilterBackend(filters.DjangoFilterBackend):
    """Hands the view's Access to the filter set, for filters whose meaning depends on role."""

    def get_filterset_kwargs(self, request: Any, queryset: QuerySet, view: Any) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["access"] = getattr(view, "access", None)
        return kwargs


class DocumentFilter(filters.FilterSet):
    q = filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Words in the title."
    )
    external_id = filters.CharFilter(help_text="The id the document was imported with.")
    status = filters.ChoiceFilter(
        choices=AssignmentStatus.choices,
        method="by_assignment",
        help_text="Documents with an assignment in this status: yours if you annotate, "
        "anyone's (or the annotator's given) if you review or manage.",
    )
    annotator = filters.CharFilter(
        method="by_assignment", help_text="Documents assigned to this username."
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def __init__(self, *args: Any, access: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access

    def by_assignment(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # both are applied together in filter_queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        status = self.form.cleaned_data.get("status")
        username = self.form.cleaned_data.get("annotator")
        if not status and not username:
            return queryset
        assignments = Assignment.objects.filter(document=OuterRef("pk"))
        if username:
            assignments = assignments.filter(annotator__username=username)
        if self.access is not None and not self.access.can_review:
            assignments = assignments.filter(annotator=self.access.user)
        if status:
            assignments = assignments.filter(status=status)
        return queryset.filter(Exists(assignments))


class ClaimFilter(filters.FilterSet):
    stance = filters.CharFilter(help_text="Claims with this stance label.")
    annotator = filters.CharFilter(field_name="annotator__username", help_text="A username.")
    speaker_entity = IdFilter(field_name="speaker_entity_id", help_text="An entity id.")
    target_entity = IdFilter(field_name="target_entity_id", help_text="An entity id.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def __init__(self, *args: Any, access: Any = None, **kwargs: Any) -> None:
        # The backend passes access to every filterset; claims arrive already limited to
        # what the user may see (Access.claims), so this one needs nothing from it.
        super().__init__(*args, **kwargs)


class ExplorerFilter(filters.FilterSet):
    """The explorer's filters (annotator.services.explorer), the same as on its page."""

    speaker = IdFilter(method="explorer", help_text="Speaker entity id.")
    target = IdFilter(method="explorer", help_text="Target entity id.")
    entity = IdFilter(method="explorer", help_text="An entity id, as speaker or as target.")
    speaker_type = filters.ChoiceFilter(
        choices=EntityType.choices, method="explorer", help_text="The speaker entity's type."
    )
    target_type = filters.ChoiceFilter(
        choices=EntityType.choices, method="explorer", help_text="The target entity's type."
    )
    stance = filters.CharFilter(
        method="explorer", help_text=f"A stance label of the project, or {NO_STANCE!r} (unset)."
    )
    annotator = filters.CharFilter(method="explorer", help_text="A username.")
    status = filters.ChoiceFilter(
        choices=list(STATUSES.items()), method="explorer", help_text="Default: any."
    )
    date_from = filters.DateFilter(method="explorer", help_text="Published on or after.")
    date_to = filters.DateFilter(method="explorer", help_text="Published on or before.")
    publisher = filters.CharFilter(method="explorer", help_text="The documents' meta publisher.")
    meta = filters.CharFilter(
        method="explorer", help_text="Document meta as key=value, comma-separated."
    )
    q = filters.CharFilter(method="explorer", help_text="Words in the claim's text.")
    sort = filters.ChoiceFilter(
        choices=[(s, s) for s in SORTS], method="explorer", help_text="Default: -published."
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def __init__(self, *args: Any, access: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access

    def explorer(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # all are applied together in filter_queryset

    def explorer_filters(self) -> Filters:
        """The validated parameters as the service's Filters (stance checked against the
        project's labels there)."""
        data = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        data = {k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in data.items()}
        return parse_filters(data, self.access.project.parsed_scheme.stance_labels)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        f = self.explorer_filters()
        return filter_claims(queryset, f).order_by(*SORTS[f.sort])
