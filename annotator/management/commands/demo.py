from django.core.management.base import BaseCommand

from annotator.services.demo import USERS, load_demo


class Command(BaseCommand):
    help = "Create the demo project syria-2024 with the seed article, users and an example claim."

    def handle(self, *args, **options) -> None:
        project, passwords = load_demo()
        self.stdout.write(f"demo project {project.slug!r} is ready. Log in as:")
        for username, password in passwords.items():
            role = USERS[username][1] or "superuser"
            self.stdout.write(f"  {username:<6} password {password:<12} ({role})")
