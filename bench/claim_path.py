#!/usr/bin/env python
"""The claim POST in process: the hot path (token, annotator/api/claim_post.py) against the
general DRF view (the same request with a session), interleaved so that the machine's load
hits both alike, with the statements each sends.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench python bench/claim_path.py
    ... python bench/claim_path.py --http     # also repeat POSTs over HTTP through gunicorn

Uses (and migrates) the database DATABASE_URL names; creates a user, project and article.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host, with DEBUG off
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP in process, as behind a proxy

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from annotator.models import Assignment, Document, Membership, Role  # noqa: E402
from annotator.models.workflow import AssignmentStatus  # noqa: E402
from annotator.services.projects import create_project  # noqa: E402

TEXT = "“The port deal will cost households far more than it saves,” Ana Ruiz said on Monday. " * 30


def payload() -> dict:
    return {
        "claim": {"start": 1, "end": 57},
        "speaker": {"start": 60, "end": 68},
        "cue": {"start": 69, "end": 73},
        "target": {"start": 5, "end": 13},
        "stance": "oppose",
        "attributes": {},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--http", action="store_true", help="also over HTTP through gunicorn")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="claim-bench")
    project = create_project(f"claim-bench-{os.getpid()}")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    document = Document.objects.create(project=project, external_id="a", text=TEXT)
    Assignment.objects.create(document=document, annotator=user, status=AssignmentStatus.TODO)
    token, _ = Token.objects.get_or_create(user=user)
    hot = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    general = Client()
    general.force_login(user)
    url = f"/api/documents/{document.pk}/claims/"

    def post(client: Client) -> float:
        t0 = time.perf_counter()
        response = client.post(url, payload(), content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content)
        return (time.perf_counter() - t0) * 1000

    post(hot), post(general)  # the first claim moves the assignment to in progress
    for name, client in (("hot path", hot), ("general view", general)):
        with CaptureQueriesContext(connection) as captured:
            post(client)
        print(f"{name}: {[q['sql'].split()[0] for q in captured]}")
    times: dict[str, list[float]] = {"hot path": [], "general view": []}
    for _ in range(20):
        for name, client in (("hot path", hot), ("general view", general)):
            times[name] += [post(client) for _ in range(15)]
    for name, values in times.items():
        values.sort()
        p95 = values[round(0.95 * (len(values) - 1))]
        print(
            f"{name:<14} n={len(values)} p50 {statistics.median(values):.2f} ms, p95 {p95:.2f} ms"
        )
    if args.http:
        over_http(url, token.key)
    return 0


def over_http(path: str, key: str, n: int = 300) -> None:
    """Repeat claim POSTs (the hot path) from one keep-alive client, and from 8 at once, to
    gunicorn as bench/run.py starts it."""
    import requests
    from run import Server, concurrent_posts, server_env

    server = Server(server_env(os.environ.get("DATABASE_URL", "")))
    session = requests.Session()
    session.headers["Authorization"] = f"Token {key}"
    try:
        server.wait(session)
        for _ in range(20):
            session.post(server.url + path, json=payload()).raise_for_status()  # warm
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            response = session.post(server.url + path, json=payload())
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201, response.text[:300]
        times.sort()
        print(
            f"over HTTP, 1 client  n={n} p50 {statistics.median(times):.2f} ms, "
            f"p95 {times[round(0.95 * (n - 1))]:.2f} ms"
        )
        document_id = int(path.strip("/").split("/")[2])
        many = concurrent_posts(server.url, key, [(document_id, payload())] * n * 2, 8)
        print(f"over HTTP, 8 clients n={many['n']} {many['per_s']}/s, p50 {many['p50_ms']} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
