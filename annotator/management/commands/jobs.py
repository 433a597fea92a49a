import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.jobs import files
from annotator.jobs.registry import KINDS
from annotator.models import Job, JobState
from annotator.services import jobs
from annotator.services.errors import DomainError


def describe(job: Job) -> str:
    kind = KINDS[job.kind].label if job.kind in KINDS else job.kind
    of = f" of {job.input_name}" if job.input_name else ""
    total = f"/{job.total}" if job.total is not None else ""
    line = (
        f"job {job.pk}: {kind}{of} in {job.project.slug}, {job.state}, {job.done}{total} {job.unit}"
    )
    if job.result:
        counts = ", ".join(f"{k} {v}" for k, v in job.result.items() if not isinstance(v, dict))
        line += f" ({counts})" if counts else ""
    return line + (f"\n  {job.message}" if job.message else "")


class Command(BaseCommand):
    help = "Background jobs: list, show, wait for, cancel, retry, download a job's file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="recent jobs (top-level), newest first")
        listing.add_argument("project", nargs="?", help="only this project's jobs")
        listing.add_argument("--active", action="store_true", help="only queued and running")
        for name, text in [
            ("show", "one job, with its errors"),
            ("wait", "follow a job until it ends (exit status 1 unless it is done)"),
            ("cancel", "cancel a queued or running job"),
            ("retry", "run a failed or cancelled job again"),
        ]:
            sub.add_parser(name, help=text).add_argument("id", type=int)
        prune = sub.add_parser("prune", help="delete ended jobs (and their files) older than")
        prune.add_argument("--days", type=int, default=30)
        download = sub.add_parser("download", help="write a job's file (an export)")
        download.add_argument("id", type=int)
        download.add_argument("-o", "--output", type=Path, help="default: the file's own name")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "list":
            found = Job.objects.filter(parent__isnull=True).select_related("project")
            if options["project"]:
                found = found.filter(project__slug=options["project"])
            if options["active"]:
                found = found.filter(state__in=[JobState.QUEUED, JobState.RUNNING])
            for job in found[:50]:
                self.stdout.write(describe(job))
            return
        if action == "prune":
            self.stdout.write(f"deleted {jobs.prune(options['days'])} ended jobs")
            return
        job = Job.objects.select_related("project").filter(pk=options["id"]).first()
        if job is None:
            raise CommandError(f"no job {options['id']}")
        try:
            getattr(self, f"_{action}")(job, options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _show(self, job: Job, options: dict) -> None:
        self.stdout.write(describe(job))
        for error in job.errors:
            where = f"line {error['line']}: " if error.get("line") else ""
            self.stdout.write(f"  {where}{error['message']}")

    def _wait(self, job: Job, options: dict) -> None:
        tty = sys.stderr.isatty()
        while job.is_active:
            if tty:
                sys.stderr.write(f"\r{job.state} {job.done}/{job.total or '?'} {job.unit}   ")
            time.sleep(0.5)
            job.refresh_from_db()
        if tty:
            sys.stderr.write("\n")
        self._show(job, options)
        if job.state != JobState.DONE:
            raise CommandError(f"job {job.pk} {job.state}")

    def _cancel(self, job: Job, options: dict) -> None:
        self.stdout.write(describe(jobs.cancel(job)))

    def _retry(self, job: Job, options: dict) -> None:
        self.stdout.write(describe(jobs.retry(job)))

    def _download(self, job: Job, options: dict) -> None:
        if job.state != JobState.DONE or not job.output_name:
            raise CommandError(f"job {job.pk} has no file to download")
        output = options["output"] or Path(job.output_name)
        with output.open("wb") as out:
            for chunk in files.chunks(job, files.Stream.OUTPUT):
                out.write(chunk)
        self.stdout.write(f"wrote {job.output_size} bytes to {output}")
