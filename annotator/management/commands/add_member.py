from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._project import named_project
from annotator.models import Role
from annotator.services.errors import DomainError
from annotator.services.projects import set_member


class Command(BaseCommand):
    help = "Add a user to a project with a role, or change a member's role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("user", help="username (the account must exist)")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        try:
            member = set_member(project, options["user"], options["role"])
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{member.user.username} is {member.role} of {project.slug}")
