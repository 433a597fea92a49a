import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._progress import reading
from annotator.management.commands._project import named_project
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.importing import import_documents
from annotator.services.records import FORMATS, guess_format, open_records


class Command(BaseCommand):
    # A data command: starting fast matters more than re-running the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Import documents from JSONL, CSV or .txt (a file or a folder). All or nothing: a bad "
        "line refuses the whole file and names the line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="default: from the file name")
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        path: Path = options["file"]
        if options["enqueue"]:
            fmt = options["format"] or guess_format(str(path))
            enqueue(self, project, "import_documents", {"format": fmt}, path)
            return
        started = time.perf_counter()
        try:
            with (
                open_records(path, options["format"]) as (records, stream),
                reading(path.name, stream) as progress,
            ):
                result = import_documents(project, records, source=path.name, progress=progress)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name} {error}")
            more = f" (and {len(exc.errors) - 1} more above)" if len(exc.errors) > 1 else ""
            raise CommandError(f"{path.name} {exc.errors[0]}{more}; nothing was imported") from None
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{path.name}: {result} in {elapsed:.2f} s")
        if result.empty:
            # Not an error: a scheduled import of an empty batch has nothing to do.
            self.stderr.write(
                f"warning: {path.name} held no documents; nothing was imported",
                self.style.WARNING,
            )
