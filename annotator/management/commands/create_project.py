from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.services.errors import DomainError
from annotator.services.projects import create_project


class Command(BaseCommand):
    help = "Create a project with the default annotation scheme, or the one in --scheme."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", default="")
        parser.add_argument("--scheme", type=Path, help="a JSON file with the scheme")

    def handle(self, *args, **options) -> None:
        scheme = None
        if options["scheme"]:
            try:
                scheme = orjson.loads(options["scheme"].read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                raise CommandError(f"{options['scheme']}: {exc}") from None
        try:
            project = create_project(options["slug"], name=options["name"], scheme=scheme)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        labels = ", ".join(project.parsed_scheme.stance_labels)
        self.stdout.write(f"created project {project.slug!r} (stance labels: {labels})")
