"""Job fixtures: run the queue in this process, as a worker would, and make inputs."""

from __future__ import annotations

import io

import orjson
import pytest
from django_tasks_db.management.commands.db_worker import Worker

from annotator.models import Job
from annotator.services import jobs


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


def jsonl(n: int, prefix: str = "d") -> bytes:
    return b"".join(
        orjson.dumps({"id": f"{prefix}{i}", "text": f"Text {i}. “We won,” he said."}) + b"\n"
        for i in range(n)
    )


def import_job(project, owner, body: bytes, name: str = "corpus.jsonl", **params) -> Job:
    params.setdefault("format", "jsonl")
    return jobs.enqueue(
        project,
        "import_documents",
        owner=owner,
        params=params,
        input=io.BytesIO(body),
        input_name=name,
    )


@pytest.fixture
def run_jobs():
    return work
