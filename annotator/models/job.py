from django.conf import settings
from django.db import models

from annotator.models.fields import JSONField
from annotator.models.project import Project


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """Long work a worker runs for a user: an import, a suggestion run, an export, ...

    A large job may be split into parts (``parent``), each run and leased on its own, so
    several workers share it; people see the parent. A running job's worker renews
    ``heartbeat_at``; one whose lease runs out is queued again or failed, never left running.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        help_text="Who started it (empty for the command line).",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts"
    )
    kind = models.CharField(max_length=40)
    params = JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    cancel_requested = models.BooleanField(default=False)

    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)

    result = JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    errors = JSONField(default=list, blank=True, help_text="[{line, field, message}, ...]")

    input_name = models.CharField(max_length=255, blank=True)
    output_name = models.CharField(max_length=255, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    output_size = models.PositiveBigIntegerField(null=True, blank=True)

    attempts = models.PositiveIntegerField(default=1)
    max_attempts = models.PositiveIntegerField(default=3)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid that ran it last")
    task_id = models.CharField(max_length=64, blank=True, help_text="its django-tasks result")

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="job_lease_idx"),
            models.Index(fields=["project", "-created_at"], name="job_project_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="job_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class JobChunk(models.Model):
    """A piece of a job's input or output file, kept in the database so that any worker on
    any host can read what any app host received, and any app host can serve the result."""

    class Stream(models.TextChoices):
        INPUT = "input"
        OUTPUT = "output"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    stream = models.CharField(max_length=6, choices=Stream.choices)
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "stream", "seq"], name="one_chunk_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.stream} chunk {self.seq} of job {self.job_id}"
