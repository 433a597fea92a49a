"""Job fixtures: run the queue in this process, as a worker would, and make inputs."""

from __future__ import annotations

import importlib
import io
import random
import sys
from pathlib import Path
from unittest import mock

import orjson
import pytest
from django_tasks_db.management.commands.db_worker import Worker

from annotator.models import Job
from annotator.services import jobs


def work() -> None:
    """Run every queued task, then return (django-tasks-db's worker in batch mode). Its
    close_old_connections() would close the test's own connection (inside the test's
    transaction, autocommit is off), so it does nothing here."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


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


BENCH = str(Path(__file__).resolve().parent.parent.parent / "bench")


def bench(name: str):
    """A module of bench/ (cluster.py, corpus.py), shared by these tests and the benchmark."""
    if BENCH not in sys.path:
        sys.path.insert(0, BENCH)
    return importlib.import_module(name)


@pytest.fixture(scope="session")
def bench_modules():
    return bench("cluster"), bench("corpus")


@pytest.fixture(scope="session")
def articles(bench_modules, tmp_path_factory) -> Path:
    """10,000 news-like articles (~3,000 characters each) as JSON Lines."""
    _, corpus = bench_modules
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    rng = random.Random(0)
    with path.open("wb") as out:
        for i in range(10_000):
            out.write(orjson.dumps(corpus.article(rng, i)) + b"\n")
    return path
