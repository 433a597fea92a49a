#!/usr/bin/env python
"""Jobs at scale: documents per second of a suggestion run with one worker and with two,
and the queue's latency (enqueue → start), on a fresh database with one app host.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator python bench/jobs.py
    python bench/jobs.py --docs 500          # SQLite, a quick run

Prints a line per figure and one JSON object of figures as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import orjson
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from cluster import Cluster


def wait(api: requests.Session, url: str, timeout: float = 3600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(url, timeout=30).json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise SystemExit(f"{url} did not finish")


def latencies(cluster: Cluster, ids: list[int]) -> list[float]:
    rows = cluster.query(
        "SELECT extract(epoch FROM started_at - created_at) FROM annotator_job WHERE id = ANY(%s)"
        if cluster.postgresql
        else "SELECT (julianday(started_at) - julianday(created_at)) * 86400 FROM annotator_job "
        f"WHERE id IN ({','.join(str(i) for i in ids)})",
        *([ids] if cluster.postgresql else []),
    )
    return sorted(float(r[0]) for r in rows)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), so rates can be read per core."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return {"p50": round(statistics.median(values), 3), "p95": round(p95, 3), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--part", type=int, default=200, help="documents per part")
    parser.add_argument("--probes", type=int, default=10, help="small jobs timed under load")
    args = parser.parse_args()
    figures: dict = {"documents": args.docs, "part": args.part, "cores": os.cpu_count()}
    cluster = Cluster(os.environ.get("DATABASE_URL", ""), JOBS_SUGGEST_PART=str(args.part))
    figures["database"] = "postgresql" if cluster.postgresql else "sqlite"
    try:
        cluster.manage("create_project", "bench")
        cluster.manage("create_project", "probe")
        cluster.env["DJANGO_SUPERUSER_PASSWORD"] = "bench-admin-password-1"
        cluster.manage("createsuperuser", "--noinput", "--username", "admin", "--email", "a@b.org")
        token = cluster.manage("drf_create_token", "admin").split()[2]
        host = cluster.host(workers=2)
        api = requests.Session()
        api.headers["Authorization"] = f"Token {token}"
        rng = random.Random(0)
        body = b"".join(orjson.dumps(corpus.article(rng, i)) + b"\n" for i in range(args.docs))

        worker = cluster.worker("import")
        started = time.perf_counter()
        answer = api.post(
            f"{host}/api/projects/bench/documents/?background=true",
            data=body,
            headers={"Content-Type": "application/x-ndjson"},
        )
        job = wait(api, answer.json()["url"])
        seconds = time.perf_counter() - started
        assert job["state"] == "done", job
        figures["import_s"] = round(seconds, 2)
        print(f"import of {args.docs} documents as a job: {seconds:.1f} s", flush=True)
        cluster.stop(worker)

        for count in (1, 2):
            workers = [cluster.worker(f"w{count}-{i}", wait=True) for i in range(count)]
            load = os.getloadavg()[0]
            started = time.perf_counter()
            run = api.post(f"{host}/api/projects/bench/jobs/", json={"kind": "suggest"}).json()
            probes = []
            if count == 2:  # small jobs started while both workers are busy with the run
                for _ in range(args.probes):
                    time.sleep(2)
                    probe = api.post(f"{host}/api/projects/probe/jobs/", json={"kind": "export"})
                    probes.append(probe.json()["id"])
            done = wait(api, f"{host}/api/jobs/{run['id']}/")
            seconds = time.perf_counter() - started
            cpu = sum(cpu_seconds(w.pid) for w in workers)
            figures[f"suggest_{count}_worker_cpu_s"] = round(cpu, 1)
            figures[f"suggest_{count}_worker_docs_per_cpu_s"] = round(args.docs / cpu, 1)
            figures[f"load_after_{count}"] = round(os.getloadavg()[0], 2)
            assert done["state"] == "done", done
            rate = args.docs / seconds
            figures[f"suggest_{count}_worker_s"] = round(seconds, 1)
            figures[f"suggest_{count}_worker_docs_per_s"] = round(rate, 1)
            figures[f"load_before_{count}"] = round(load, 2)
            print(f"suggestions, {count} worker(s): {seconds:.1f} s, {rate:.1f} docs/s", flush=True)
            part_ids = [
                r[0]
                for r in cluster.query(
                    "SELECT id FROM annotator_job WHERE parent_id = %s", run["id"]
                )
            ]
            first = latencies(cluster, part_ids)[0]
            figures[f"first_part_latency_{count}_s"] = round(first, 3)
            if probes:
                for probe in probes:
                    wait(api, f"{host}/api/jobs/{probe}/")
                figures["latency_under_load_s"] = summary(latencies(cluster, probes))
                print(f"latency under load: {figures['latency_under_load_s']}", flush=True)
            for process in workers:
                cluster.stop(process)

        # Latency with an idle worker: one small job at a time.
        worker = cluster.worker("idle", wait=True)
        idle = []
        for _ in range(20):
            probe = api.post(f"{host}/api/projects/probe/jobs/", json={"kind": "export"}).json()
            wait(api, f"{host}/api/jobs/{probe['id']}/")
            idle.append(probe["id"])
        figures["latency_idle_s"] = summary(latencies(cluster, idle))
        print(f"latency, idle worker: {figures['latency_idle_s']}", flush=True)
    finally:
        cluster.close()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
