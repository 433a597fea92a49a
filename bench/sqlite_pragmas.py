#!/usr/bin/env python
"""SQLite's own floor for a document import: the statements the import runs per batch (one
lookup of the batch's ids, one executemany of 1,000 rows), in one transaction, without the
app's Python, under connection settings worth trying. Alternates the variants round by round.

    python bench/sqlite_pragmas.py --docs 10000 --rounds 3
    python bench/sqlite_pragmas.py --docs 110000 --variants default,nocheckpoint
    python bench/sqlite_pragmas.py --docs 110000 --variants default,page_4k   # page sizes

Prints, per variant, the median seconds of the inserts and of the COMMIT (which, in WAL mode,
includes the automatic checkpoint that copies the transaction's pages into the database and
syncs it). ``synchronous_off`` and ``journal_delete`` are diagnostics (what the fsyncs cost,
what WAL costs), not settings the app may use: committed data must survive a power cut, and
readers must not block the writer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_scale import DOCUMENT_COLUMNS, document_rows, write_corpus
from run import PYTHON, ROOT, django_shell, server_env

BATCH = 1000
INSERT = f"INSERT INTO annotator_document ({DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
LOOKUP = (  # as annotator/services/importing.py runs it
    "SELECT d.external_id, d.id, d.text FROM json_each(?) AS k "
    "CROSS JOIN annotator_document AS d ON d.project_id = ? AND d.external_id = k.value"
)
VARIANTS = {
    "default": [],
    "cache_64mb": ["PRAGMA cache_size=-65536"],
    "mmap_1gb": ["PRAGMA mmap_size=1073741824"],
    "temp_memory": ["PRAGMA temp_store=MEMORY"],
    "no_project_index": ["DROP INDEX IF EXISTS {project_index}"],
    "nocheckpoint": ["PRAGMA wal_autocheckpoint=0"],  # the checkpoint then falls to close()
    "staging": ["PRAGMA temp_store=MEMORY"],  # temp table, then INSERT … SELECT ORDER BY line
    "synchronous_off": ["PRAGMA synchronous=OFF"],  # diagnostic only
    "journal_delete": ["PRAGMA journal_mode=DELETE"],  # diagnostic only
}
# Variants that rebuild the database with other pages than the app's 16 KB (a page size is
# fixed when the file is made, or changed by a VACUUM out of WAL mode). 4 KB was SQLite's
# default and ours until December 2026: a ~3 KB document filled such a page alone.
PAGE_SIZES = {"page_4k": 4096, "page_8k": 8192, "page_32k": 32768}
VARIANTS.update({name: [] for name in PAGE_SIZES})  # no statements of their own


def migrated(folder: Path) -> tuple[Path, int, str]:
    """An empty migrated database with one project: its path, the project id, and the name
    of the documents' project index."""
    path = folder / "base.sqlite3"
    env = server_env(f"sqlite:///{path}")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    code = "from annotator.services.projects import create_project; print(create_project('p').pk)"
    out = django_shell(code, env)
    with sqlite3.connect(path) as db:
        (index,) = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND "
            "tbl_name = 'annotator_document' AND sql LIKE '%(\"project_id\")'"
        ).fetchone()
    return path, int(out.strip()), index


def run_once(base: Path, variant: str, rows: list[tuple], project: int, index: str):
    path = base.with_name("run.sqlite3")
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(base, path)
    db = sqlite3.connect(path, isolation_level=None)
    if variant in PAGE_SIZES:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute(f"PRAGMA page_size={PAGE_SIZES[variant]}")
        db.execute("VACUUM")
    # The app's settings (project/settings.py); its pages are 16 KB from the migrate.
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "cache_size=-16384",
        "foreign_keys=ON",
    ):
        db.execute(f"PRAGMA {pragma}")
    for statement in VARIANTS[variant]:
        db.execute(statement.format(project_index=index))
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    if variant == "staging":
        db.execute(
            "CREATE TEMP TABLE staged (line INTEGER PRIMARY KEY, external_id, title, text, "
            "url, published, meta, gold_status, created_at)"
        )
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        ids = json.dumps([row[1] for row in batch])
        db.execute(LOOKUP, (ids, project)).fetchall()
        if variant == "staging":
            db.executemany(
                "INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(start + i, *row[1:]) for i, row in enumerate(batch)],
            )
        else:
            db.executemany(INSERT, batch)
    if variant == "staging":
        db.execute(
            f"INSERT INTO annotator_document ({DOCUMENT_COLUMNS}) SELECT ?, external_id, title, "
            "text, url, published, meta, gold_status, created_at FROM staged ORDER BY line",
            (project,),
        )
    inserted = time.perf_counter()
    db.execute("COMMIT")
    committed = time.perf_counter()
    db.close()
    return inserted - started, committed - inserted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    variants = args.variants.split(",")
    folder = Path(tempfile.mkdtemp(prefix="annotator-sqlite-pragmas-"))
    try:
        corpus = folder / "docs.jsonl"
        write_corpus(args.docs, corpus, None)
        base, project, index = migrated(folder)
        rows = document_rows(corpus, project, "2026-01-01 00:00:00")
        times: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
        for _ in range(args.rounds):
            for variant in variants:
                times[variant].append(run_once(base, variant, rows, project, index))
        print(f"{args.docs:,} documents, {args.rounds} rounds, load {os.getloadavg()[0]:.1f}")
        for variant, runs in times.items():
            inserts, commits = [r[0] for r in runs], [r[1] for r in runs]
            totals = [a + b for a, b in runs]
            print(
                f"{variant:<17} inserts {statistics.median(inserts):6.3f} s  "
                f"commit {statistics.median(commits):6.3f} s  "
                f"total {statistics.median(totals):6.3f} s ({min(totals):.3f}-{max(totals):.3f})"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
