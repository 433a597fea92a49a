"""The README's command lines name commands that exist, run with the checkout's Python."""

from __future__ import annotations

import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_in_the_readme_exists() -> None:
    named = set(re.findall(r"manage\.py (\w+)", README))
    assert {"add_member", "assign", "create_project", "drf_create_token"} <= named
    assert named - set(get_commands()) == set()


def test_command_lines_use_the_virtualenv_python() -> None:
    lines = [line for line in README.splitlines() if re.search(r"\bpython manage\.py", line)]
    assert all(".venv/bin/python manage.py" in line for line in lines), lines


def test_the_page_size_conversion_turns_an_old_database_into_16_kb_pages(tmp_path) -> None:
    """The README's one line for a database made with 4 KB pages, run as written."""
    (line,) = [line for line in README.splitlines() if "PRAGMA page_size=16384" in line]
    program, flag, code = shlex.split(line)
    assert (program, flag) == (".venv/bin/python", "-c")
    assert "'var/db.sqlite3'" in code  # the app's default file, replaced by a copy below
    old = tmp_path / "db.sqlite3"
    db = sqlite3.connect(old)
    db.execute("PRAGMA page_size=4096")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x text)")
    db.executemany("INSERT INTO t VALUES (?)", [("x" * 3000,)] * 200)
    db.commit()
    db.close()
    subprocess.run([sys.executable, "-c", code.replace("var/db.sqlite3", str(old))], check=True)
    db = sqlite3.connect(old)
    assert db.execute("PRAGMA page_size").fetchone() == (16384,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT count(*) FROM t").fetchone() == (200,)
    db.close()
