from django.conf import settings
from django.db import models

from annotator.models.project import Project


class TrainedSuggester(models.Model):
    """A claim suggester trained on a project's own accepted and gold claims.

    ``model`` is the serialised CRF (annotator.suggest.learned.model). The figures are the
    stored model's on its held-out documents (a document-level split), beside the rules' on
    the same documents; the project's suggestions use the active one, which beat the rules.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="trained_suggesters"
    )
    model = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    documents = models.PositiveIntegerField(help_text="Training documents.")
    claims = models.PositiveIntegerField(help_text="Training claims.")
    held_out_documents = models.PositiveIntegerField()
    held_out_claims = models.PositiveIntegerField()
    seconds = models.FloatField(help_text="Training time.")
    precision = models.FloatField()
    recall = models.FloatField()
    f1 = models.FloatField()
    speaker = models.FloatField(null=True, help_text="Speaker accuracy on matched claims.")
    rules_precision = models.FloatField()
    rules_recall = models.FloatField()
    rules_f1 = models.FloatField()
    rules_speaker = models.FloatField(null=True)
    # 95 % bootstrap intervals over the held-out documents: {"f1": [low, high], "speaker":
    # ..., "rules_f1": ..., "rules_speaker": ...}; empty for a model trained before them.
    intervals = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(active=True),
                name="one_active_trained_suggester",
            )
        ]

    def __str__(self) -> str:
        return f"trained suggester {self.pk} of {self.project_id}"

    @property
    def beats_rules(self) -> bool:
        return self.f1 > self.rules_f1
