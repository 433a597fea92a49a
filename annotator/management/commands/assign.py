from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._project import named_project
from annotator.models import Role
from annotator.services.access import Access
from annotator.services.errors import DomainError
from annotator.services.workflow import assign_round_robin


class Command(BaseCommand):
    help = (
        "Give every document of a project its annotators, round robin, the least loaded "
        "first; existing assignments are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument(
            "--overlap", type=int, metavar="K", help="annotators per document (default: scheme)"
        )
        parser.add_argument("--annotators", nargs="+", metavar="U", help="only these annotators")

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        # Whoever runs manage.py administers the site: they act as the project's manager.
        operator = Access(AnonymousUser(), project, Role.MANAGER)
        try:
            made = assign_round_robin(operator, options["overlap"], options["annotators"])
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{made} assignments made in {project.slug}")
