#!/usr/bin/env python
"""The annotate page of bench/long_document.py's article (20,000 characters, 200 claims) in
process: server time of a logged-in GET through Django's test client (DEBUG off), the
statements it sends, and optionally where the time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench python bench/annotate_page.py
    python bench/annotate_page.py --gets 200 --profile     # cProfile's top functions too
    python bench/annotate_page.py --http                   # and through gunicorn over HTTP

Uses (and migrates) the database DATABASE_URL names (SQLite under var/ by default); creates a
user, project and the article each run. ``--cold`` also times the page right after a claim
changed every time (what a cache cannot help).
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
PASSWORD = "bench-password-1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host, with DEBUG off
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotator.models import Claim, Document, Membership, Role  # noqa: E402
from annotator.services.projects import create_project  # noqa: E402


def article(role: str) -> int:
    """bench/long_document.py's article in a fresh project "bench" of user "bench"."""
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Document.objects.filter(project__slug="bench").delete()
    from annotator.models import Project

    Project.objects.filter(slug="bench").delete()
    project = create_project("bench")
    Membership.objects.create(project=project, user=user, role=role)
    namespace: dict = {}
    code = (ROOT / "bench" / "long_document.py").read_text()
    exec(compile(code, "long_document.py", "exec"), namespace)  # prints the document's id
    return Document.objects.get(project=project, external_id="long-article").pk


def timed(client: Client, url: str, n: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of n GETs (CPU time of this process: the app's own
    work, less sensitive to other load on the machine; the database's is not in it)."""
    wall, cpu = [], []
    for _ in range(n):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, response.status_code
    return wall, cpu


def summary(label: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = sorted(times[0]), sorted(times[1])
    p95 = wall[round(0.95 * (len(wall) - 1))]
    print(
        f"{label:<34} n={len(wall)} p50 {statistics.median(wall):6.2f} ms, p95 {p95:6.2f} ms"
        f" (CPU p50 {statistics.median(cpu):6.2f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gets", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--http", action="store_true", help="also over HTTP through gunicorn")
    parser.add_argument("--sort", default="tottime", help="the profile's order")
    parser.add_argument("--role", default=Role.ANNOTATOR, choices=[r.value for r in Role])
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest (DEBUG off)
    document_id = article(args.role)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    url = f"/d/{document_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content
    print(f"{connection.vendor}: {len(html):,} bytes, {len(captured)} statements")
    summary("annotate page (warm)", timed(client, url, args.gets))
    if args.cold:
        claim = Claim.objects.filter(document_id=document_id, claim_start__gte=1000).first()

        def touch() -> None:  # a claim saved just before the page load (a new start each time)
            claim.claim_start -= 1
            claim.save()

        summary("annotate page after a claim change", timed(client, url, args.gets, touch))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        timed(client, url, args.gets)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)
    if args.http:
        summary("over HTTP (gunicorn, 2 workers)", over_http(url, args.gets))
    return 0


def over_http(path: str, n: int) -> tuple[list[float], list[float]]:
    """The same page from gunicorn as bench/run.py starts it, with a logged-in keep-alive
    client; CPU is the workers' (from /proc), per request."""
    import requests
    from run import Server, server_env

    user = get_user_model().objects.get(username="bench")
    user.set_password(PASSWORD)
    user.save()
    server = Server(server_env(os.environ.get("DATABASE_URL", "")))
    web = requests.Session()
    try:
        server.wait(web)
        web.get(f"{server.url}/login/")
        web.post(
            f"{server.url}/login/",
            data={
                "username": "bench",
                "password": PASSWORD,
                "csrfmiddlewaretoken": web.cookies["csrftoken"],
            },
            headers={"Referer": f"{server.url}/login/"},
        ).raise_for_status()
        for _ in range(10):
            web.get(server.url + path).raise_for_status()  # both workers warm
        wall = []
        cpu_before = _cpu_seconds(server.process.pid)
        for _ in range(n):
            t0 = time.perf_counter()
            web.get(server.url + path).raise_for_status()
            wall.append((time.perf_counter() - t0) * 1000)
        cpu = (_cpu_seconds(server.process.pid) - cpu_before) * 1000 / n
        return wall, [cpu]
    finally:
        server.stop()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of gunicorn's workers (the master's children)."""
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
