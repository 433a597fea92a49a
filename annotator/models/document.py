from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from annotator.models.fields import JSONField, TextJSONField
from annotator.models.project import Project


class GoldStatus(models.TextChoices):
    NONE = "", "Not started"
    DRAFT = "draft", "In adjudication"
    COMPLETE = "complete", "Gold complete"


class Document(models.Model):
    """An article, its text stored exactly as imported so that offsets stay valid."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    external_id = models.CharField(max_length=200)
    title = models.TextField(blank=True)
    text = models.TextField()
    url = models.TextField(blank=True)
    published = models.CharField(max_length=40, blank=True, help_text="ISO 8601, kept verbatim.")
    meta = TextJSONField(default=dict, blank=True)
    gold_status = models.CharField(
        max_length=10, choices=GoldStatus.choices, default=GoldStatus.NONE, blank=True
    )
    # The reviewer who last adjudicated the document's gold set.
    gold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        # The explorer sorts and filters a project's documents by publication date.
        indexes = [models.Index(fields=["project", "published"], name="document_published_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"], name="unique_external_id_per_project"
            ),
            models.CheckConstraint(
                condition=~models.Q(external_id=""), name="document_external_id_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if self.pk and (fields is None or "text" in fields) and self.has_offsets():
            stored = type(self).objects.filter(pk=self.pk).values_list("text", flat=True).first()
            if stored is not None and stored != self.text:
                raise ValidationError(
                    "the text of an annotated document cannot change", code="text_immutable"
                )
        super().save(*args, **kwargs)

    def has_offsets(self) -> bool:
        """Whether claims or suggestions point into the text (which then cannot change)."""
        return self.claims.exists() or self.suggestions.exists()


WIKIDATA_ID = r"^Q[1-9][0-9]*$"


class EntityType(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    COUNTRY = "country", "Country"
    OTHER = "other", "Other"


class Entity(models.Model):
    """A canonical speaker or target ("Bashar al-Assad") with the aliases it appears under."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(max_length=200)
    aliases = JSONField(default=list, blank=True)
    # For joining a corpus with other datasets; checked for its form only, never looked up.
    wikidata = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(WIKIDATA_ID, "a Wikidata id looks like Q42")],
        help_text="Wikidata item id, e.g. Q30 for the United States.",
    )
    type = models.CharField(max_length=12, choices=EntityType.choices, blank=True)
    # Lower-cased name and aliases, one per line: what the autocomplete searches.
    search = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Renames, new aliases and merges (the merged entities' last records say into which).
    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "project", name="unique_entity_name_per_project"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="entity_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(type__in=["", *EntityType.values]), name="entity_type_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search = "\n".join([self.name, *self.aliases]).lower()
        super().save(*args, **kwargs)
