"""Job fixtures: run the queue in this process, as a worker would."""

from __future__ import annotations

import pytest
from django_tasks_db.management.commands.db_worker import Worker


def work() -> None:
    """Run every queued task, then return (django-tasks-db's worker in batch mode)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def run_jobs():
    return work
