from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator import formats
from annotator.jobs.exporting import export_params
from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._progress import counting
from annotator.management.commands._project import named_project
from annotator.services.errors import DomainError
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses
from annotator.services.transfer import export_records, write_export


class Command(BaseCommand):
    # A data command: starting fast matters more than re-running the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Export a project, streamed (memory stays flat): claims/1 JSON Lines (default), brat "
        "standoff (a zip, or a folder when -o names one) or Label Studio tasks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument(
            "-o", "--output", type=Path, help="file (or, for brat, folder) to write; default stdout"
        )
        parser.add_argument("--per", choices=PER_CHOICES, default="document")
        parser.add_argument(
            "--status",
            action="append",
            metavar="STATUS",
            help=f"only annotation sets with this status ({', '.join(STATUSES)}); "
            "repeat or separate with commas",
        )
        parser.add_argument("--gold", action="store_true", help="only the adjudicated gold claims")
        parser.add_argument("--format", choices=formats.WRITABLE, default="claims")
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        fmt = formats.get(options["format"], writing=True)
        if options["per"] == "claim" and fmt.identifier != "claims":
            raise CommandError("--per claim is a claims/1 layout; leave it out for other formats")
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
            params = export_params(
                project,
                fmt.identifier,
                per=export.per,
                statuses=export.statuses,
                gold=export.gold,
            )
            enqueue(self, project, "export", params)
            return
        if output is None:
            if fmt.identifier == "brat":
                raise CommandError("brat files go to a zip or a folder: give -o")
            self._to_stdout(export, fmt)
        elif fmt.identifier == "brat" and output.suffix.lower() != ".zip":
            self._to_folder(export, fmt, output)
        else:
            # Written beside the target and renamed, so a failed export leaves no half file.
            partial = output.with_name(output.name + ".partial")
            unit = "lines" if fmt.identifier == "claims" else "documents"
            with partial.open("wb") as out, counting(output.name, unit) as progress:
                count = write_export(export, fmt, out, progress=progress)
            partial.replace(output)
            self.stderr.write(f"wrote {count} {unit} to {output}")

    def _to_stdout(self, export: JsonlExport, fmt: formats.Format) -> None:
        # Bytes straight to the terminal or pipe; text when stdout is a StringIO (tests).
        binary = getattr(self.stdout, "buffer", None)
        if binary is not None:
            write_export(export, fmt, binary)
            binary.flush()
            return

        class Text:
            def write(inner, data: bytes) -> None:
                self.stdout.write(data.decode(), ending="")

        write_export(export, fmt, Text())  # type: ignore[arg-type]

    def _to_folder(self, export: JsonlExport, fmt: formats.Format, folder: Path) -> None:
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: give a new folder, or a .zip")
        scheme = export.project.parsed_scheme
        count = 0
        files = fmt.files(  # type: ignore[attr-defined]
            export_records(export), stances=scheme.stance_labels, attributes=scheme.attributes
        )
        with counting(folder.name, unit="files") as progress:
            for name, data in files:
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                count += 1
                progress(count, None)
        self.stderr.write(f"wrote {count} files to {folder}")
