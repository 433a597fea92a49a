import time
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator import formats
from annotator.formats.brat_format import read_metadata
from annotator.formats.bundles import open_path
from annotator.jobs.importing import annotation_params
from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._progress import counting
from annotator.management.commands._project import named_project
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.transfer import choose_format, import_file

SHOWN_NOTICES = 20


class Command(BaseCommand):
    # A data command: starting fast matters more than re-running the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Import annotations — our claims/1 JSONL (default), brat standoff (a folder or zip of "
        ".txt + .ann), a Label Studio JSON export or doccano JSONL — adding documents the "
        "project lacks. All or nothing per file; errors name the file and line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("file", type=Path, help="a file, a folder or a zip")
        parser.add_argument("--format", choices=formats.READABLE, default="claims")
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
        parser.add_argument(
            "--annotator",
            help="whose work the files are (brat: default from the file or folder name; "
            "Label Studio: from completed_by; doccano: from the file name)",
        )
        parser.add_argument(
            "--labels",
            type=Path,
            help="brat: a JSON label map (roles, event, event_without_speaker, ignore, "
            "stance_attribute); Label Studio and doccano: a JSON object label -> role",
        )
        parser.add_argument(
            "--metadata", type=Path, help="brat: a TSV or CSV of titles, dates and URLs by file"
        )
        parser.add_argument("--gold-by", help="brat: the adjudicator of the files under gold/")

        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        path: Path = options["file"]
        if options["enqueue"]:
            fmt = formats.get(options["format"] or "claims")
            params = annotation_params(
                fmt.identifier,
                create_users=options["create_users"],
                as_suggestions=options["as_suggestions"],
                gold_by=options["gold_by"],
                options=self._format_options(fmt, options),
            )
            enqueue(self, project, "import_annotations", params, path)
            return
        started = time.perf_counter()
        try:
            bundle = open_path(path)
            fmt = choose_format(bundle, options["format"])
            chosen = self._format_options(fmt, options)
            with counting(path.name) as progress:
                imported = import_file(
                    project,
                    bundle,
                    fmt,
                    source=path.name,
                    create_users=options["create_users"],
                    as_suggestions=options["as_suggestions"],
                    gold_by=options["gold_by"],
                    options=chosen,
                    progress=progress,
                )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name} {error}")
            more = f" (and {len(exc.errors) - 1} more above)" if len(exc.errors) > 1 else ""
            raise CommandError(f"{path.name} {exc.errors[0]}{more}; nothing was imported") from None
        except (DomainError, formats.FormatError) as exc:
            raise CommandError(str(exc)) from None
        for notice in imported.notices[:SHOWN_NOTICES]:
            self.stderr.write(f"left out: {notice}")
        if len(imported.notices) > SHOWN_NOTICES:
            self.stderr.write(f"left out: … and {len(imported.notices) - SHOWN_NOTICES} more")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{path.name}: {imported} in {elapsed:.2f} s")
        if imported.result.empty:
            # Not an error: a scheduled import of an empty batch has nothing to do.
            self.stderr.write(
                f"warning: {path.name} held no documents; nothing was imported",
                self.style.WARNING,
            )

    def _format_options(self, fmt: formats.Format, options: dict) -> dict:
        chosen: dict = {}
        if options["annotator"]:
            chosen["annotator"] = options["annotator"]
        if options["labels"]:
            try:
                labels = orjson.loads(options["labels"].read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                raise CommandError(f"{options['labels']}: not a JSON label map ({exc})") from None
            chosen["labels" if fmt.identifier == "brat" else "roles"] = labels
        if options["metadata"]:
            content = options["metadata"].read_text(encoding="utf-8-sig")
            chosen["metadata"] = read_metadata(content, options["metadata"].name)
        return chosen
