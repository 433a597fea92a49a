#!/usr/bin/env python
"""PostgreSQL's own floor for a document import: the import's rows sent with one ``COPY``
straight into the documents table (its columns, storage, indexes and constraints, from the
app's migrations), in one transaction, without the app's reading, validating or duplicate
checks. What the import over HTTP is compared with (docs/scaling.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator python bench/copy_floor.py
    DATABASE_URL=... python bench/copy_floor.py --docs 10000 --rounds 5

Uses its own fresh database (dropped at the end) and import_scale.py's corpus. Prints each
round's seconds (COPY and COMMIT) and their median; the table is emptied between rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_scale import DOCUMENT_COLUMNS, document_rows, write_corpus
from run import PYTHON, ROOT, django_shell, drop_database, fresh_database, server_env


def copy_once(conn: psycopg.Connection, rows: list[tuple]) -> float:
    """Seconds to COPY the rows in and commit them."""
    started = time.perf_counter()
    statement = f"COPY annotator_document ({DOCUMENT_COLUMNS}) FROM STDIN"
    with conn.transaction(), conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server (this is its floor)")
    with tempfile.TemporaryDirectory(prefix="annotator-copy-floor-") as tmp:
        url = fresh_database(Path(tmp))
        try:
            env = server_env(url)
            subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
            code = "from annotator.services.projects import create_project;"
            project = int(django_shell(code + "print(create_project('p').pk)", env).strip())
            corpus = Path(tmp) / "docs.jsonl"
            write_corpus(args.docs, corpus, None)
            rows = document_rows(corpus, project, "2026-01-01T00:00:00Z")
            seconds = []
            with psycopg.connect(url, autocommit=True) as conn:
                for _ in range(args.rounds):
                    seconds.append(copy_once(conn, rows))
                    conn.execute("TRUNCATE annotator_document CASCADE")
        finally:
            drop_database(url)
    rounds = " ".join(f"{s:.3f}" for s in seconds)
    print(f"{args.docs:,} documents, COPY + COMMIT: median {statistics.median(seconds):.3f} s "
          f"(rounds: {rounds}), load {os.getloadavg()[0]:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
