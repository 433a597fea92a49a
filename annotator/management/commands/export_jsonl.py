from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.models import Project
from annotator.services.errors import DomainError
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses


class Command(BaseCommand):
    # A data command: starting fast matters more than re-running the system checks.
    requires_system_checks: list[str] = []
    help = "Export a project as claims/1 JSON Lines, streamed (memory stays flat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
        parser.add_argument("--per", choices=PER_CHOICES, default="document")
        parser.add_argument(
            "--status",
            action="append",
            metavar="STATUS",
            help=f"only annotation sets with this status ({', '.join(STATUSES)}); "
            "repeat or separate with commas",
        )
        parser.add_argument("--gold", action="store_true", help="only the adjudicated gold claims")
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"unknown project {options['project']!r}")
        try:
            export = JsonlExport(
                project,
                per=options["per"],
                statuses=parse_statuses(options["status"]),
                gold=options["gold"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        output: Path | None = options["output"]
        if options["enqueue"]:
            if output is not None:
                raise CommandError(
                    "with --enqueue the file is kept with the job: "
                    "`manage.py jobs download ID -o FILE` fetches it"
                )
            params = {
                "per": export.per,
                "statuses": sorted(export.statuses or ()),
                "gold": export.gold,
            }
            enqueue(self, project, "export", params)
            return
        count = 0
        if output is None:
            # Bytes straight to the terminal or pipe; text when stdout is a StringIO (tests).
            binary = getattr(self.stdout, "buffer", None)
            for line in export.lines():
                if binary is not None:
                    binary.write(line)
                else:
                    self.stdout.write(line.decode(), ending="")
                count += 1
            self.stdout.flush()
        else:
            # Written beside the target and renamed, so a failed export leaves no half file.
            partial = output.with_name(output.name + ".partial")
            with partial.open("wb") as out:
                for line in export.lines():
                    out.write(line)
                    count += 1
            partial.replace(output)
            self.stderr.write(f"wrote {count} lines to {output}")
