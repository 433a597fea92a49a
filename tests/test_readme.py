"""The README's command lines name commands that exist, run with the checkout's Python."""

from __future__ import annotations

import re
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
