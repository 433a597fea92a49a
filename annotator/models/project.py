from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from annotator.models.fields import JSONField
from annotator.scheme import DEFAULT_SCHEME, Scheme, SchemeError, parse_scheme


def _validate_scheme(value: object) -> None:
    try:
        parse_scheme(value)
    except SchemeError as exc:
        raise ValidationError(str(exc), code="invalid_scheme") from exc


def _default_scheme() -> dict:
    return parse_scheme(DEFAULT_SCHEME).as_json()


class Project(models.Model):
    """A corpus with its annotation scheme and guidelines."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Shown to annotators (plain text).")
    scheme = JSONField(default=_default_scheme, validators=[_validate_scheme])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug

    @cached_property
    def parsed_scheme(self) -> Scheme:
        return parse_scheme(self.scheme)


class Role(models.TextChoices):
    MANAGER = "manager", "Manager"
    REVIEWER = "reviewer", "Reviewer"
    ANNOTATOR = "annotator", "Annotator"


class Membership(models.Model):
    """A user's role in one project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"
