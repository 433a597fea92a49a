from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.models import Project
from annotator.services.annotations_import import import_annotations
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.records import open_records


class Command(BaseCommand):
    # A data command: starting fast matters more than re-running the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Import annotations in our own claims/1 JSONL format (an export, or pre-annotations), "
        "adding documents the project lacks. All or nothing per file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--create-users",
            action="store_true",
            help="create unknown annotators as inactive accounts instead of refusing the file",
        )
        parser.add_argument(
            "--as-suggestions",
            action="store_true",
            help="store the claims as suggestions for annotators to accept or dismiss",
        )

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"unknown project {options['project']!r}")
        path: Path = options["file"]
        try:
            with open_records(path, "jsonl") as (records, _):
                result = import_annotations(
                    project,
                    records,
                    source=path.name,
                    create_users=options["create_users"],
                    as_suggestions=options["as_suggestions"],
                )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name} {error}")
            more = f" (and {len(exc.errors) - 1} more above)" if len(exc.errors) > 1 else ""
            raise CommandError(f"{path.name} {exc.errors[0]}{more}; nothing was imported") from None
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{path.name}: {result}")
        if result.empty:
            # Not an error: a scheduled import of an empty batch has nothing to do.
            self.stderr.write(
                f"warning: {path.name} held no documents; nothing was imported",
                self.style.WARNING,
            )
