#!/usr/bin/env python
"""The benchmark: the app as in production (gunicorn, 2 workers, DEBUG off) on a fresh
database, driven over HTTP on 127.0.0.1 with keep-alive, and through its commands.

    python bench/run.py                 # SQLite (a fresh file in a temporary folder)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator python bench/run.py
                                        # PostgreSQL (a fresh database beside that one)
    python bench/run.py --docs 50 --claims 20     # a quick run (the test suite's smoke test)

Corpus: ../shared/bench/make_corpus.py (the corpus competitors were measured on) when it is
there, else bench/corpus.py. Prints a table while it runs and one JSON object of figures as
its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
PYTHON = sys.executable
CUE = re.compile(
    r"\b(said|argued|claimed|insisted|warned|told|added|stated|maintained|suggested|noted|"
    r"conceded)\b"
)
MiB = 1024 * 1024


def log(message: str) -> None:
    print(message, flush=True)


def show(label: str, value: str, detail: str = "") -> None:
    """One row of the table printed while the benchmark runs."""
    log(f"{label:<52}{value:>14}  {detail}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, its peak RSS in MiB, its stdout)."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "peak_rss.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    peak = re.search(r"peak_rss_kib=(\d+)", done.stderr)
    return seconds, int(peak.group(1)) / 1024 if peak else float("nan"), done.stdout


def rss_of(pid: int) -> float:
    """Resident memory of a process and its children, in MiB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total / MiB


def server_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like app process (DEBUG off) on plain HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def django_shell(code: str, env: dict[str, str], cwd: Path = ROOT) -> str:
    """What ``code`` prints, run by ``manage.py shell`` in an app process's environment."""
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        env=env,
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def fresh_database(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'bench.sqlite3'}"
    import psycopg

    parts = urlparse(url)
    name = f"bench_{os.getpid()}"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)")


def make_corpus(n: int, out: Path) -> None:
    generator = SHARED_CORPUS if SHARED_CORPUS.exists() else ROOT / "bench" / "corpus.py"
    subprocess.run(
        [PYTHON, str(generator), "--n", str(n), "--seed", "0", "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as in production: 2 workers, DEBUG off, persistent connections."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "project.wsgi",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "1",
                "--keep-alive",
                "30",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )

    def wait(self, session, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if session.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except Exception:
                time.sleep(0.02)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_requests(call, items) -> dict[str, float]:
    times = []
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - started
    return {
        "n": len(times),
        "per_s": round(len(times) / total, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
    }


def concurrent_posts(url: str, token: str, work: list, clients: int) -> dict[str, float]:
    """Claims POSTed by several keep-alive clients at once: the server's throughput."""
    import threading

    import requests

    times: list[float] = []
    shares = [work[i::clients] for i in range(clients)]

    def client(share: list) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        for doc_id, payload in share:
            t0 = time.perf_counter()
            r = session.post(f"{url}/api/documents/{doc_id}/claims/", json=payload)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 201, r.text[:300]

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - started
    return {
        "n": len(times),
        "per_s": round(len(times) / total, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
    }


def claim_payload(record: dict, quote: dict) -> dict:
    text = record["text"]
    claim, speaker, target = quote["claim"], quote["speaker"], quote["target"]
    # The corpus gives claim, speaker and target; the cue is the reporting verb after
    # whichever of claim and speaker comes first.
    match = CUE.search(text, min(claim[1], speaker[1]))
    payload = {
        "claim": {"start": claim[0], "end": claim[1]},
        "speaker": {"start": speaker[0], "end": speaker[1]},
        "target": {"start": target[0], "end": target[1]},
        "stance": quote["stance"],
        "attributes": {"quote_type": "direct"},
    }
    if match:
        payload["cue"] = {"start": match.start(), "end": match.end()}
    return payload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents to import, timed")
    parser.add_argument("--extra", type=int, default=1_000, help="further documents (untimed)")
    parser.add_argument("--claims", type=int, default=2_000, help="claims created over HTTP")
    parser.add_argument("--gets", type=int, default=300, help="GET requests per read workload")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    import requests

    tmp = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    database = fresh_database(tmp)
    # Its own static root: collectstatic rewrites the files that other app processes using
    # the checkout's var/static (the test suite's, say) are reading.
    env = server_env(database, ANON_THROTTLE_RATE="100000/minute", STATIC_ROOT=str(tmp / "static"))
    figures: dict = {"database": "postgresql" if database.startswith("postgres") else "sqlite"}
    server = None
    try:
        log(f"== benchmark on {figures['database']}: {args.docs} documents, {args.claims} claims")
        corpus = tmp / "corpus.jsonl"
        make_corpus(args.docs + args.extra, corpus)
        lines = corpus.read_bytes().splitlines(keepends=True)
        first, rest = tmp / "first.jsonl", tmp / "rest.jsonl"
        first.write_bytes(b"".join(lines[: args.docs]))
        rest.write_bytes(b"".join(lines[args.docs :]))
        records = [json.loads(line) for line in lines[: max(args.claims, 1)]]
        manage = [PYTHON, "manage.py"]
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
        )

        # Cold start: migrate a fresh database, start gunicorn, serve the first request.
        session = requests.Session()
        started = time.perf_counter()
        seconds, migrate_rss, _ = run_measured([*manage, "migrate", "-v0"], env)
        server = Server(env)
        server.wait(session)
        cold = time.perf_counter() - started
        figures["cold_start"] = {
            "s": round(cold, 2),
            "migrate_s": round(seconds, 2),
            "server_rss_mib": round(rss_of(server.process.pid), 1),
            "migrate_rss_mib": round(migrate_rss, 1),
        }
        show(
            "cold start (migrate + first request)",
            f"{cold:.2f} s",
            f"server RSS {rss_of(server.process.pid):.0f} MiB",
        )

        setup = (
            "from django.contrib.auth import get_user_model;"
            "from rest_framework.authtoken.models import Token;"
            "from annotator.services.projects import create_project;"
            "u = get_user_model().objects.create_user('bench', password='bench-password-1');"
            "create_project('bench', manager=u); create_project('bench-api', manager=u);"
            "create_project('bench-empty', manager=u); create_project('bench-api-list', manager=u);"
            "print(Token.objects.create(user=u).key)"
        )
        token = django_shell(setup, env).strip()
        # "Idle": the same export command over an empty project.
        _, idle_rss, _ = run_measured(
            [*manage, "export_jsonl", "bench-empty", "-o", str(tmp / "empty.jsonl")], env
        )

        # Import through the command line, then the rest of the corpus.
        seconds, rss, out = run_measured([*manage, "import_documents", "bench", str(first)], env)
        import_s = float(re.search(r"in ([0-9.]+) s", out).group(1))
        figures["import_cli"] = {
            "documents": args.docs,
            "import_s": import_s,
            "wall_s": round(seconds, 2),
            "peak_rss_mib": round(rss, 1),
            "idle_rss_mib": round(idle_rss, 1),
        }
        show(
            f"import {args.docs} documents (CLI)",
            f"{import_s:.2f} s",
            f"wall {seconds:.2f} s, peak RSS {rss:.0f} MiB, idle {idle_rss:.0f} MiB",
        )
        run_measured([*manage, "import_documents", "bench", str(rest)], env)

        # Import through the API: one bulk POST of the JSON Lines file (streamed by the
        # server), then the same documents as one JSON list (parsed whole).
        api = requests.Session()
        api.headers["Authorization"] = f"Token {token}"
        bodies = {
            "import_api": (first.read_bytes(), "application/x-ndjson", "bench-api"),
            "import_api_list": (
                b"[" + b",".join(line.rstrip(b"\n") for line in lines[: args.docs]) + b"]",
                "application/json",
                "bench-api-list",
            ),
        }
        for key, (body, content_type, slug) in bodies.items():
            before = rss_of(server.process.pid)
            t0 = time.perf_counter()
            response = api.post(
                f"{server.url}/api/projects/{slug}/documents/?background=false",
                data=body,
                headers={"Content-Type": content_type},
            )
            api_s = time.perf_counter() - t0
            assert response.status_code == 201, response.text[:500]
            after = rss_of(server.process.pid)
            figures[key] = {
                "documents": args.docs,
                "s": round(api_s, 2),
                "server_rss_mib_before": round(before, 1),
                "server_rss_mib_after": round(after, 1),
            }
            show(
                f"import {args.docs} documents (API, {content_type})",
                f"{api_s:.2f} s",
                f"server RSS {before:.0f} -> {after:.0f} MiB",
            )

        # Claims, one request each, with speaker, cue, target and stance.
        by_external = _all_document_ids(api, server.url)
        work = []
        for record in records:
            if record.get("quotes") and len(work) < args.claims:
                work.append(
                    (by_external[record["doc_id"]], claim_payload(record, record["quotes"][0]))
                )

        def post(item):
            doc_id, payload = item
            r = api.post(f"{server.url}/api/documents/{doc_id}/claims/", json=payload)
            assert r.status_code == 201, r.text[:300]

        figures["claims_api"] = timed_requests(post, work)
        c = figures["claims_api"]
        show(
            f"{c['n']} claims, one POST each",
            f"{c['per_s']}/s",
            f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms",
        )
        # The same claims again (a second copy of each), from 8 clients at once.
        figures["claims_api_8_clients"] = concurrent_posts(server.url, token, work, 8)
        c = figures["claims_api_8_clients"]
        show(f"{c['n']} claims, 8 clients at once", f"{c['per_s']}/s", f"p50 {c['p50_ms']} ms")

        # One document with its claims, as JSON.
        annotated = [doc_id for doc_id, _ in work][: args.gets] or [1]
        figures["document_api"] = timed_requests(
            lambda d: api.get(f"{server.url}/api/documents/{d}/").raise_for_status(),
            (annotated[i % len(annotated)] for i in range(args.gets)),
        )
        g = figures["document_api"]
        show("document with claims (API GET)", f"{g['p50_ms']} ms p50", f"p95 {g['p95_ms']} ms")

        # Exports: the annotated documents over HTTP, everything through the command.
        t0 = time.perf_counter()
        r = api.get(
            f"{server.url}/api/projects/bench/export.jsonl", params={"status": "in_progress"}
        )
        r.raise_for_status()
        figures["export_annotated_api"] = {
            "documents": r.content.count(b"\n"),
            "s": round(time.perf_counter() - t0, 2),
            "mb": round(len(r.content) / 1e6, 1),
        }
        e = figures["export_annotated_api"]
        show(
            "export annotated documents (API)",
            f"{e['s']} s",
            f"{e['documents']} documents, {e['mb']} MB",
        )
        out_file = tmp / "all.jsonl"
        seconds, rss, _ = run_measured([*manage, "export_jsonl", "bench", "-o", str(out_file)], env)
        figures["export_all_cli"] = {
            "documents": sum(1 for _ in out_file.open("rb")),
            "s": round(seconds, 2),
            "mb": round(out_file.stat().st_size / 1e6, 1),
            "peak_rss_mib": round(rss, 1),
            "idle_rss_mib": round(idle_rss, 1),
        }
        e = figures["export_all_cli"]
        show(
            "export all documents (CLI)",
            f"{e['s']} s",
            f"{e['documents']} documents, {e['mb']} MB, peak RSS {rss:.0f} MiB",
        )
        t0 = time.perf_counter()
        r = api.get(f"{server.url}/api/projects/bench/export.jsonl", stream=True)
        size = sum(len(chunk) for chunk in r.iter_content(1 << 16))
        figures["export_all_api"] = {
            "s": round(time.perf_counter() - t0, 2),
            "mb": round(size / 1e6, 1),
        }
        show("export all documents (API)", f"{figures['export_all_api']['s']} s")

        # The annotate page, full HTML, as a logged-in browser would get it.
        long_doc = _long_document(env)
        web = requests.Session()
        login = web.get(f"{server.url}/login/")
        csrf = web.cookies["csrftoken"]
        web.post(
            f"{server.url}/login/",
            data={"username": "bench", "password": "bench-password-1", "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{server.url}/login/"},
        ).raise_for_status()
        assert login.status_code == 200
        figures["annotate_page"] = timed_requests(
            lambda d: web.get(f"{server.url}/d/{d}/").raise_for_status(),
            (annotated[i % len(annotated)] for i in range(args.gets)),
        )
        figures["annotate_page_long"] = timed_requests(
            lambda d: web.get(f"{server.url}/d/{d}/").raise_for_status(),
            [long_doc] * max(args.gets // 3, 10),
        )
        a, b = figures["annotate_page"], figures["annotate_page_long"]
        show("annotate page (full HTML)", f"{a['p50_ms']} ms p50", f"p95 {a['p95_ms']} ms")
        show(
            "annotate page, 20,000 chars, 200 claims",
            f"{b['p50_ms']} ms p50",
            f"p95 {b['p95_ms']} ms",
        )
    finally:
        if server is not None:
            server.stop()
        drop_database(database)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures))
    return 0


def _all_document_ids(api, url: str) -> dict[str, int]:
    found: dict[str, int] = {}
    next_url = f"{url}/api/projects/bench/documents/?page_size=1000"
    while next_url:
        page = api.get(next_url).json()
        found.update({d["external_id"]: d["id"] for d in page["results"]})
        next_url = page.get("next")
    return found


def _long_document(env: dict[str, str]) -> int:
    """A 20,000-character article with 200 claims of the bench user (nested, overlapping)."""
    code = (ROOT / "bench" / "long_document.py").read_text()
    return int(django_shell(code, env).strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
