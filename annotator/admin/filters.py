"""List filters for the claim list: an entity picked with the admin's own autocomplete (a
project may have thousands), and the review state."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect

from annotator.models.workflow import Decision


class EntityAutocompleteFilter(admin.FieldListFilter):
    """``?speaker_entity__id__exact=7``, chosen in a select2 box that asks the entity admin's
    autocomplete (scoped like every list); admin.js reloads the list when it changes."""

    template = "admin/annotator/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__id__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        value = (self.used_parameters.get(self.lookup_kwarg) or [None])[-1]
        entity_admin = model_admin.admin_site._registry[field.related_model]
        choice = forms.ModelChoiceField(
            # Only the chosen entity is read, and only if the user may see it.
            queryset=entity_admin.get_queryset(request),
            widget=AutocompleteSelect(field, model_admin.admin_site),
            required=False,
        )
        self.widget_html = choice.widget.render(
            self.lookup_kwarg,
            value if str(value or "").isdigit() else None,
            attrs={
                "id": f"filter-{field_path}",
                "class": "autocomplete-filter",
                "aria-label": f"Filter by {self.title}",
                "data-placeholder": f"any {self.title}",
            },
        )

    def expected_parameters(self) -> list[str]:
        return [self.lookup_kwarg]

    def choices(self, changelist):
        return []


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review state"
    parameter_name = "review_state"

    def lookups(self, request, model_admin):
        return [("none", "Not reviewed"), *Decision.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(review="")
        if value in Decision.values:
            return queryset.filter(review=value)
        return queryset
