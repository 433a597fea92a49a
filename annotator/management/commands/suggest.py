from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._progress import counting
from annotator.management.commands._project import named_project
from annotator.services.errors import DomainError
from annotator.services.exporting import suggestion_lines
from annotator.services.suggestions import run_detector


class Command(BaseCommand):
    help = (
        "Run the built-in claim detector over a project's documents and store its suggestions "
        "for annotators; with -o, also write them as claims/1 JSONL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("--documents", nargs="+", metavar="ID", help="only these documents")
        parser.add_argument("-o", "--output", type=Path, help="write the suggestions as JSONL")
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        if options["enqueue"]:
            if options["output"]:
                raise CommandError("-o writes here and now; leave it out with --enqueue")
            enqueue(self, project, "suggest", {"documents": options["documents"]})
            return
        try:
            with counting("suggesting") as progress:
                documents, made = run_detector(project, options["documents"], progress)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{documents} documents read, {made} suggestions stored")
        if options["output"]:
            with options["output"].open("wb") as out:
                for line in suggestion_lines(project, options["documents"]):
                    out.write(line)
            self.stdout.write(f"wrote {options['output']}")
