#!/usr/bin/env python
"""Import at scale: seconds, documents per second and peak memory for 11,000, 110,000 and
1,100,000 documents, through the command and over HTTP (JSON Lines and one JSON list).

    python bench/import_scale.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator python bench/import_scale.py
    python bench/import_scale.py --sizes 11000,110000 --modes cli,jsonl
    python bench/import_scale.py --sizes 10000 --quotes    # with run.py's quotes, under meta
    python bench/import_scale.py --sizes 10000 --modes jsonl --export   # and export it back

Documents are generated on the fly from a pool of news-like articles (bench/corpus.py),
each with its own id, ~3,000 characters; nothing is committed. Each size gets a fresh
database. Flat memory means the peak RSS does not grow with N; linear means docs/s stays put.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from run import (
    PYTHON,
    ROOT,
    Server,
    django_shell,
    drop_database,
    fresh_database,
    rss_of,
    run_measured,
    server_env,
)

POOL = 500


def write_corpus(n: int, jsonl: Path, json_list: Path | None, quotes: bool = False) -> None:
    """N documents as JSON Lines (and as one JSON list), built from a pool of articles; with
    ``quotes``, each keeps the generator's list of quotes (an unknown key: the import keeps
    it under ``meta``, as run.py's corpus has it)."""
    rng = random.Random(0)
    pool = []
    for i in range(POOL):
        record = corpus.article(rng, i)
        kept = {"title": record["title"], "text": record["text"]}
        if quotes:
            kept["quotes"] = record["quotes"]
        body = json.dumps(kept, ensure_ascii=False)
        pool.append(body[1:].encode())  # without its opening brace
    with jsonl.open("wb") as lines, open(json_list or os.devnull, "wb") as whole:
        whole.write(b"[")
        for i in range(n):
            line = b'{"id": "art-%07d", ' % i + pool[i % POOL]
            lines.write(line + b"\n")
            whole.write((b"," if i else b"") + line)
        whole.write(b"]")


# The documents table's columns an import writes, in document_rows' order.
DOCUMENT_COLUMNS = (
    "project_id, external_id, title, text, url, published, meta, gold_status, created_at"
)


def document_rows(jsonl: Path, project: int, created: str) -> list[tuple]:
    """The corpus as the rows an import writes (DOCUMENT_COLUMNS): for the databases' own
    floors, without the app."""
    rows = []
    with jsonl.open("rb") as lines:
        for line in lines:
            record = json.loads(line)
            fields = (record["id"], record["title"], record["text"], "", "", "{}", "")
            rows.append((project, *fields, created))
    return rows


def setup(env: dict[str, str]) -> str:
    code = (
        "from django.contrib.auth import get_user_model;"
        "from rest_framework.authtoken.models import Token;"
        "from annotator.services.projects import create_project;"
        "u = get_user_model().objects.create_user('bench', password='bench-password-1');"
        "[create_project(s, manager=u) for s in ('cli', 'jsonl', 'list')];"
        "print(Token.objects.create(user=u).key)"
    )
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    return django_shell(code, env).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="11000,110000,1100000")
    parser.add_argument("--modes", default="cli,jsonl,list", help="cli, jsonl and/or list")
    parser.add_argument("--quotes", action="store_true", help="documents carry quotes (meta)")
    parser.add_argument(
        "--export", action="store_true", help="then export each project over HTTP, timed"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")

    import requests

    results = []
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="annotator-import-scale-"))
        database = fresh_database(tmp)
        env = server_env(database)
        vendor = "postgresql" if database.startswith("postgres") else "sqlite"
        server = None
        try:
            jsonl, whole = tmp / "docs.jsonl", tmp / "docs.json"
            write_corpus(n, jsonl, whole if "list" in modes else None, args.quotes)
            mb = jsonl.stat().st_size / 1e6
            token = setup(env)
            if "cli" in modes:
                seconds, peak, out = run_measured(
                    [PYTHON, "manage.py", "import_documents", "cli", str(jsonl)], env
                )
                inner = float(out.rsplit(" in ", 1)[1].split()[0])
                results.append(report(vendor, n, "CLI", inner, peak, f"wall {seconds:.1f} s"))
            api_modes = [m for m in modes if m in ("jsonl", "list")]
            if api_modes:
                server = Server(env)
                session = requests.Session()
                session.headers["Authorization"] = f"Token {token}"
                server.wait(session)
                for mode in api_modes:
                    path, kind = (
                        (jsonl, "application/x-ndjson")
                        if mode == "jsonl"
                        else (
                            whole,
                            "application/json",
                        )
                    )
                    before = rss_of(server.process.pid)
                    with path.open("rb") as body:
                        t0 = time.perf_counter()
                        response = session.post(
                            f"{server.url}/api/projects/{mode}/documents/?background=false",
                            data=body,
                            headers={"Content-Type": kind},
                        )
                        seconds = time.perf_counter() - t0
                    assert response.status_code == 201, response.text[:300]
                    assert response.json()["created"] == n
                    after = rss_of(server.process.pid)
                    label = "API JSON Lines" if mode == "jsonl" else "API one JSON list"
                    detail = f"gunicorn RSS {before:.0f} -> {after:.0f} MiB"
                    results.append(report(vendor, n, label, seconds, None, detail, before, after))
                    if args.export:
                        results.append(export(session, server.url, mode, vendor, n))
        finally:
            if server is not None:
                server.stop()
            drop_database(database)
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"   ({n} documents, {mb:.0f} MB of JSON Lines)", flush=True)
    print(json.dumps(results))
    return 0


def export(session, url: str, slug: str, vendor: str, n: int) -> dict:
    """GET the project's JSONL export over HTTP, streamed and read to the end."""
    t0 = time.perf_counter()
    response = session.get(f"{url}/api/projects/{slug}/export.jsonl", stream=True)
    size = sum(len(chunk) for chunk in response.iter_content(1 << 16))
    seconds = time.perf_counter() - t0
    assert response.status_code == 200, response.status_code
    return report(vendor, n, "API export", seconds, None, f"{size / 1e6:.0f} MB")


def report(vendor, n, label, seconds, peak, detail, before=None, after=None) -> dict:
    rate = n / seconds
    peak_text = f"peak RSS {peak:.0f} MiB" if peak is not None else ""
    print(
        f"{vendor:<11}{label:<19}{n:>10,} docs {seconds:8.2f} s {rate:9,.0f} docs/s  "
        f"{peak_text} {detail}",
        flush=True,
    )
    return {
        "database": vendor,
        "mode": label,
        "documents": n,
        "s": round(seconds, 2),
        "docs_per_s": round(rate),
        "peak_rss_mib": round(peak, 1) if peak is not None else None,
        "server_rss_mib_before": round(before, 1) if before is not None else None,
        "server_rss_mib_after": round(after, 1) if after is not None else None,
    }


if __name__ == "__main__":
    sys.exit(main())
