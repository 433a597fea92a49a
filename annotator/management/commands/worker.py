import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands import db_worker

from annotator.services.jobs import reap


class LeaseKeeper(threading.Thread):
    """Takes back jobs whose worker died (see services/jobs.reap), every third of a lease."""

    def __init__(self) -> None:
        super().__init__(name="lease-keeper", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:
                try:
                    reap()
                except Exception:  # a busy SQLite database; the next round tries again
                    connection.close()
                if self.stopped.wait(settings.JOBS_LEASE_SECONDS / 3):
                    return
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run jobs from the queue (django-tasks-db's db_worker), and take back the jobs of "
        "workers that died. Run as many as you like, on as many hosts."
    )

    def handle(self, *args, **options) -> None:
        keeper = LeaseKeeper()
        keeper.start()
        try:
            super().handle(*args, **options)
        finally:
            keeper.stopped.set()
