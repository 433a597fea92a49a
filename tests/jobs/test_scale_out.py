"""Scale-out on PostgreSQL: two app hosts (gunicorn on two ports) and two workers share one
database. Documents are imported through host A as a job, a suggestion run is spread over
both workers, one worker is killed mid-run, and host B shows the finished result: every
document suggested, none twice, nothing lost. bench/jobs.py runs the same at 20,000
documents and measures it; here 400 keep CI short."""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests
from django.db import connection

DOCUMENTS = 400
# Parts of several progress steps (annotator/jobs/suggesting.STEP = 20 documents), so that a
# part is seen "running with some done" for most of its run, however fast the machine: the
# kill below waits for exactly that.
PART = 100

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several hosts need a database server"
)


@pytest.fixture
def cluster(bench_modules):
    made = bench_modules[0].Cluster(
        os.environ["DATABASE_URL"],
        JOBS_LEASE_SECONDS="2",
        JOBS_HEARTBEAT_SECONDS="0.2",
        JOBS_SUGGEST_PART=str(PART),
    )
    yield made
    made.close()


def _wait(session: requests.Session, url: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = session.get(url, timeout=10).json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{url} still {job['state']}")


def test_two_hosts_and_two_workers_share_the_work_and_survive_a_killed_worker(cluster, articles):
    cluster.manage("create_project", "scale")
    cluster.env["DJANGO_SUPERUSER_PASSWORD"] = "scale-admin-password-1"
    cluster.manage(
        "createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org"
    )
    token = cluster.manage("drf_create_token", "admin").split()[2]
    host_a, host_b = cluster.host(), cluster.host()
    workers = {name: cluster.worker(name) for name in ("w1", "w2")}
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"

    with articles.open("rb") as corpus:
        body = b"".join(line for _, line in zip(range(DOCUMENTS), corpus, strict=False))
    answer = api.post(
        f"{host_a}/api/projects/scale/documents/?background=true",
        data=body,
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 202, answer.text
    imported = _wait(api, answer.headers["Location"])
    assert imported["state"] == "done" and imported["result"]["created"] == DOCUMENTS

    answer = api.post(f"{host_a}/api/projects/scale/jobs/", json={"kind": "suggest"})
    assert answer.status_code == 202, answer.text
    run = answer.json()
    # Kill w1 once it has finished a part and is in the middle of another.
    cluster.wait_for(
        "SELECT count(*) FILTER (WHERE state = 'done' AND worker LIKE %s) >= 1"
        " AND count(*) FILTER (WHERE state = 'running' AND worker LIKE %s AND done > 0) >= 1"
        " FROM annotator_job WHERE parent_id = %s",
        f"%:{workers['w1'].pid}",
        f"%:{workers['w1'].pid}",
        run["id"],
    )
    workers["w1"].send_signal(signal.SIGKILL)
    workers["w1"].wait()

    finished = _wait(api, f"{host_b}/api/jobs/{run['id']}/")
    assert finished["state"] == "done", finished
    assert finished["progress"] == {"done": DOCUMENTS, "total": DOCUMENTS, "unit": "documents"}
    parts = cluster.query(
        "SELECT state, attempts, worker FROM annotator_job WHERE parent_id = %s", run["id"]
    )
    assert len(parts) == DOCUMENTS // PART and {p[0] for p in parts} == {"done"}
    ran_on = {worker.rsplit(":", 1)[1] for _, _, worker in parts}
    assert ran_on == {str(workers["w1"].pid), str(workers["w2"].pid)}
    assert any(attempts == 2 for _, attempts, _ in parts)  # the killed worker's part

    # Every document suggested, none twice; host B reads what host A and the workers wrote.
    assert (
        cluster.value(
            "SELECT count(*) FROM annotator_document d WHERE NOT EXISTS "
            "(SELECT 1 FROM annotator_suggestion s WHERE s.document_id = d.id)"
        )
        == 0
    )
    assert (
        cluster.value(
            "SELECT count(*) FROM (SELECT document_id, claim_start, claim_end"
            " FROM annotator_suggestion GROUP BY 1, 2, 3 HAVING count(*) > 1) twice"
        )
        == 0
    )
    stored = cluster.value("SELECT count(*) FROM annotator_suggestion")
    assert finished["result"] == {"documents": DOCUMENTS, "suggestions": stored}
    listing = api.get(f"{host_b}/api/projects/scale/documents/?page_size=1").json()
    assert listing["count"] == DOCUMENTS
