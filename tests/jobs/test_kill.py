"""A worker killed (SIGKILL) in the middle of a 10,000-document import job: nothing of it
is in the database, the job is not left "running", and the retry imports every document
exactly once. Real processes on a fresh database of the suite's kind."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time

import pytest
from django.db import connection

LEASE = "2"


@pytest.fixture
def cluster(bench_modules):
    server = os.environ.get("DATABASE_URL", "") if connection.vendor == "postgresql" else ""
    made = bench_modules[0].Cluster(server, JOBS_LEASE_SECONDS=LEASE, JOBS_HEARTBEAT_SECONDS="0.2")
    yield made
    made.close()


def _import_under_way(cluster) -> bool:
    """The import's transaction is open: PostgreSQL shows its progress; SQLite's one write
    lock is held (progress cannot be written until the import commits)."""
    if cluster.postgresql:
        return cluster.value("SELECT done >= 2000 FROM annotator_job WHERE parent_id IS NULL")
    if cluster.value("SELECT state FROM annotator_job") != "running":
        return False
    path = cluster.url.removeprefix("sqlite:///")
    for _ in range(3):
        try:
            with sqlite3.connect(path, timeout=0) as conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.rollback()
            return False
        except sqlite3.OperationalError:
            time.sleep(0.1)
    return True


def test_a_killed_import_writes_nothing_and_its_retry_writes_everything_once(cluster, articles):
    cluster.manage("create_project", "kill")
    queued = cluster.manage("import_documents", "kill", str(articles), "--enqueue")
    job_id = int(re.search(r"queued job (\d+)", queued).group(1))

    first = cluster.worker("first")
    cluster.wait_for("SELECT 1 FROM annotator_job WHERE state = 'running'")
    deadline = time.monotonic() + 120
    while not _import_under_way(cluster):
        assert time.monotonic() < deadline, cluster.log("worker-first.log")
        assert cluster.value("SELECT state FROM annotator_job") == "running"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()

    assert cluster.value("SELECT count(*) FROM annotator_document") == 0
    assert cluster.value("SELECT state FROM annotator_job WHERE id = %s", job_id) == "running"

    # Another worker takes the job back once its lease runs out, and runs it again.
    cluster.worker("second")
    cluster.wait_for("SELECT state IN ('done', 'failed') FROM annotator_job WHERE id = %s", job_id)
    state, attempts, message = cluster.query(
        "SELECT state, attempts, message FROM annotator_job WHERE id = %s", job_id
    )[0]
    assert (state, attempts, message) == ("done", 2, "")
    assert cluster.value("SELECT count(*) FROM annotator_document") == 10_000
    assert cluster.value("SELECT count(DISTINCT external_id) FROM annotator_document") == 10_000
    result = cluster.value("SELECT result FROM annotator_job WHERE id = %s", job_id)
    assert '"created": 10000' in result if isinstance(result, str) else result["created"] == 10000
    # django-tasks-db's record of the killed run is not left "running" either (the second
    # worker marks its own run successful just after the job's commit).
    cluster.wait_for(
        "SELECT count(*) = 0 FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
        timeout=20,
    )
