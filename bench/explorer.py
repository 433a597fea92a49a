#!/usr/bin/env python
"""The claim explorer at scale: its first page and each chart's query, server-side, on a
fresh project of 10,000 documents and 100,000 claims.

    python bench/explorer.py                                   # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/explorer.py
    python bench/explorer.py --docs 1000                       # a quick run
    python bench/explorer.py --keep                            # keep the database, reuse it

With DATABASE_URL, a fresh database named after it (``<name>_explorer_bench``) is created
on that server and dropped at the end. Times are the median of --repeat calls (after one
warm-up), in ms, through the service functions and through Django's test client (the
whole page or API response, without a network; the page's charts are a second request).
Prints a line per figure and one JSON object of figures as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CLAIMS_PER_DOCUMENT = 10
PUBLISHERS = ["breitbart", "guardian", "reuters", "ap", "fox", "nyt", "wapo", "bbc"]
STANCES = ["support", "oppose", "neutral"]


def fresh_database(url: str, keep: bool) -> tuple[str, callable]:
    """A URL of a new, empty database (or, with keep, of the one kept by an earlier run),
    and a function that drops it (or, with keep, does nothing)."""
    if not url:
        folder = Path(tempfile.gettempdir()) / "explorer-bench" if keep else None
        folder = folder or Path(tempfile.mkdtemp(prefix="explorer-bench-"))
        folder.mkdir(exist_ok=True)
        drop = (lambda: None) if keep else (lambda: shutil.rmtree(folder))
        return f"sqlite:///{folder}/bench.sqlite3", drop
    import psycopg

    parts = urlparse(url)
    name = f"{parts.path.lstrip('/') or 'annotator'}_explorer_bench"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (keep and exists):
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    if keep:
        return urlunparse(parts._replace(path=f"/{name}")), lambda: None

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return urlunparse(parts._replace(path=f"/{name}")), drop


def populate(n_docs: int, seed: int) -> dict:
    """Documents with ~3,000 characters each, ten claims per document by three annotators
    (one of them gold), speakers and targets among 60 entities, dates over two years; a
    third of the sets accepted, one claim in twenty reviewed on its own."""
    import corpus
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from annotator.models import Assignment, Claim, Document, Entity, Membership, Role
    from annotator.services.projects import create_project

    rng = random.Random(seed)
    User = get_user_model()
    users = {
        name: User.objects.create_user(name, password="bench-password-1")
        for name in ("mia", "alice", "bob", "carol", "rita")
    }
    project = create_project("bench", name="Explorer bench")
    roles = {"mia": Role.MANAGER, "rita": Role.REVIEWER}
    for name, user in users.items():
        Membership.objects.create(project=project, user=user, role=roles.get(name, Role.ANNOTATOR))
    names = ["United States", "Bashar al-Assad", "Russia", "Iran", "Turkey"]
    names += [f"Person {i}" for i in range(55)]
    entities = Entity.objects.bulk_create(
        [
            Entity(
                project=project, name=n, search=n.lower(), type=rng.choice(["person", "country"])
            )
            for n in names
        ]
    )
    annotators = [users["alice"], users["bob"], users["carol"]]
    first_day = date(2023, 1, 1)
    with transaction.atomic():
        for start in range(0, n_docs, 1000):
            docs = []
            for i in range(start, min(n_docs, start + 1000)):
                record = corpus.article(rng, i)
                day = first_day + timedelta(rng.randrange(730))
                docs.append(
                    Document(
                        project=project,
                        external_id=f"doc-{i}",
                        title=record["title"],
                        text=record["text"],
                        published=day.isoformat(),
                        meta={"publisher": rng.choice(PUBLISHERS)},
                    )
                )
                docs[-1]._quotes = record["quotes"]
            Document.objects.bulk_create(docs)
            claims, assignments = [], []
            for doc in docs:
                # A third of the sets submitted and accepted; a few claims reviewed one by one.
                for a in annotators:
                    done = rng.random() < 0.33
                    assignments.append(
                        Assignment(
                            document=doc,
                            annotator=a,
                            status="submitted" if done else "in_progress",
                            review="accepted" if done else "",
                        )
                    )
                quotes = doc._quotes or [{"claim": [0, 10], "speaker": [0, 3], "stance": "neutral"}]
                for k in range(CLAIMS_PER_DOCUMENT):
                    q = quotes[k % len(quotes)]
                    speaker = entities[min(int(rng.paretovariate(1.2)) - 1, len(entities) - 1)]
                    target = entities[min(int(rng.paretovariate(1.0)) - 1, len(entities) - 1)]
                    claims.append(
                        Claim(
                            document=doc,
                            annotator=annotators[k % 3],
                            is_gold=k == 9,
                            claim_start=q["claim"][0],
                            claim_end=q["claim"][1],
                            speaker_start=q["speaker"][0],
                            speaker_end=q["speaker"][1],
                            speaker_entity=speaker,
                            target_entity=target if rng.random() < 0.8 else None,
                            stance=rng.choice(STANCES) if rng.random() < 0.95 else "",
                            review=rng.choice(["accepted", "rejected"])
                            if k != 9 and rng.random() < 0.05
                            else "",
                        )
                    )
            Assignment.objects.bulk_create(assignments)
            Claim.objects.bulk_create(claims, batch_size=2000)
    return {"project": project, "users": users, "us": entities[0]}


def populated() -> dict | None:
    """The world of a kept database, if it has one."""
    from django.contrib.auth import get_user_model

    from annotator.models import Entity, Project

    project = Project.objects.filter(slug="bench").first()
    if project is None:
        return None
    users = {u.username: u for u in get_user_model().objects.all()}
    us = Entity.objects.get(project=project, name="United States")
    return {"project": project, "users": users, "us": us}


def timed(function, repeat: int) -> float:
    function()  # warm-up: connections, caches, compiled templates
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        function()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="keep the database for next time")
    args = parser.parse_args()

    url, drop = fresh_database(os.environ.get("DATABASE_URL", ""), args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-1234")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()
    from django.conf import settings

    # Pages are rendered without collectstatic: plain static URLs.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from annotator.services import explorer
    from annotator.services.access import access_to

    figures: dict = {"database": connection.vendor, "documents": args.docs}
    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        world = populated() or populate(args.docs, args.seed)
        figures["populate_s"] = round(time.perf_counter() - t0, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from annotator.models import Claim

        figures["claims"] = Claim.objects.count()
        project, users, us = world["project"], world["users"], world["us"]
        labels = project.parsed_scheme.stance_labels

        def service(user: str, params: dict, group: str | None = None):
            access = access_to(users[user], project)
            f = explorer.parse_filters(params, labels)
            if group is None:
                return lambda: explorer.claim_page(access, f)
            return lambda: explorer.stats(access, f, group)

        workloads = {
            "page_manager": service("mia", {}),
            "page_blind_annotator": service("alice", {}),
            "page_speaker_us": service("mia", {"speaker": str(us.pk)}),
            "page_accepted": service("mia", {"status": "accepted"}),
            "page_publisher": service("mia", {"publisher": "reuters"}),
            "page_dates": service("mia", {"date_from": "2023-06-01", "date_to": "2023-06-30"}),
            "page_search": service("mia", {"q": "rushed"}),
        }
        for group in explorer.GROUPS:
            workloads[f"stats_{group}"] = service("mia", {}, group)
        workloads["stats_month_speaker_us"] = service("mia", {"speaker": str(us.pk)}, "month")
        workloads["stats_month_blind_annotator"] = service("alice", {}, "month")

        client = Client()
        client.force_login(users["mia"])
        slug = project.slug
        for name, path in {
            "http_page": f"/p/{slug}/claims/",
            "http_page_speaker_us": f"/p/{slug}/claims/?speaker={us.pk}",
            "http_charts": f"/p/{slug}/claims/charts/",
            "http_charts_speaker_us": f"/p/{slug}/claims/charts/?speaker={us.pk}",
            "http_page_search": f"/p/{slug}/claims/?q=rushed",
            "http_api_claims": f"/api/projects/{slug}/claims/",
            "http_api_stats_month": f"/api/projects/{slug}/claims/stats/?group=month",
        }.items():

            def get(path: str = path) -> None:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            workloads[name] = get

        for name, function in workloads.items():
            figures[f"{name}_ms"] = timed(function, args.repeat)
            print(f"{name}: {figures[f'{name}_ms']} ms", flush=True)
    finally:
        drop()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
