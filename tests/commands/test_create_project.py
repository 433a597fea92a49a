"""manage.py create_project SLUG [--name NAME] [--scheme FILE.json]."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Project
from annotator.scheme import DEFAULT_SCHEME

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_project", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as info:
        call_command("create_project", *args, stdout=StringIO(), stderr=StringIO())
    return str(info.value)


def test_it_creates_a_project_with_the_default_scheme():
    out = run("news-2025")
    project = Project.objects.get(slug="news-2025")
    assert project.scheme == DEFAULT_SCHEME
    assert project.name == "news-2025"
    assert "created project 'news-2025'" in out
    assert "support, oppose, neutral" in out


def test_it_takes_a_name():
    run("news-2025", "--name", "News of 2025")
    assert Project.objects.get(slug="news-2025").name == "News of 2025"


def test_it_takes_a_scheme_file(tmp_path):
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps({"stance_labels": ["pro", "contra"], "overlap": 2}))
    out = run("news-2025", "--scheme", str(path))
    scheme = Project.objects.get(slug="news-2025").parsed_scheme
    assert scheme.stance_labels == ("pro", "contra")
    assert scheme.overlap == 2
    assert scheme.attributes == {"quote_type": ("direct", "indirect", "mixed")}
    assert "pro, contra" in out


def test_it_refuses_an_invalid_scheme(tmp_path):
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps({"stance_labels": ["Pro"]}))
    assert "stance label 'Pro'" in refused("news-2025", "--scheme", str(path))
    assert not Project.objects.exists()


def test_it_refuses_a_scheme_with_an_unknown_key(tmp_path):
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps({"labels": ["pro"]}))
    assert "unknown scheme key(s): labels" in refused("news-2025", "--scheme", str(path))
    assert not Project.objects.exists()


def test_it_refuses_a_scheme_file_that_is_not_json(tmp_path):
    path = tmp_path / "scheme.json"
    path.write_text("{stance_labels: [pro]")
    assert "scheme.json" in refused("news-2025", "--scheme", str(path))
    assert not Project.objects.exists()


def test_it_refuses_a_missing_scheme_file(tmp_path):
    assert "nowhere.json" in refused("news-2025", "--scheme", str(tmp_path / "nowhere.json"))
    assert not Project.objects.exists()


def test_it_refuses_an_existing_slug():
    run("news-2025", "--name", "First")
    assert "already exists" in refused("news-2025", "--name", "Second")
    assert list(Project.objects.values_list("name", flat=True)) == ["First"]


@pytest.mark.parametrize("slug", ["News", "with space", "-dash-first", "x" * 61, "ünï"])
def test_it_refuses_a_bad_slug(slug):
    assert "slug" in refused(slug)
    assert not Project.objects.exists()
