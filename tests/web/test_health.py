"""/healthz, the security headers, and `manage.py check --deploy` with production settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
NEWEST = ("annotator", max(p.stem for p in (ROOT / "annotator" / "migrations").glob("0*.py")))


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == connection.vendor
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_reports_a_broken_database(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database is gone")

    # Undone before the test ends: the database fixture's teardown needs a cursor.
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_healthz_reports_a_database_that_lacks_migrations(client, db, monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder.applied_migrations
    # As if the newest migration of this app had not been run yet.
    monkeypatch.setattr(
        MigrationRecorder,
        "applied_migrations",
        lambda self: {k: v for k, v in applied(self).items() if k != NEWEST},
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": connection.vendor,
        "migrations": "1 not applied: run manage.py migrate",
    }


def in_a_new_process(tmp_path: Path, script: str, **env: str) -> str:
    """What ``script`` prints in a new Python with the test settings, ``env`` (settings read
    the environment at start) and an empty, unmigrated SQLite database."""
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "project.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_healthz_reports_an_empty_unmigrated_database(tmp_path):
    """A fresh database nobody migrated: every data request would fail."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(headers={'host': 'localhost'}).get('/healthz'); "
        "print(r.status_code, r.content.decode())"
    )
    status, body = in_a_new_process(tmp_path, script).strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["migrations"].endswith("not applied: run manage.py migrate")


def directives_of(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("url", ["/healthz", "/admin/login/"])
def test_responses_carry_a_content_security_policy(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    # never inline scripts, not even in the admin
    assert directives_of(policy)["script-src"] == ["'self'"]
    assert ("'unsafe-inline'" in policy) == url.startswith("/admin/")  # admin: inline styles
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_report_only_mode_and_the_report_uri_come_from_the_environment(tmp_path):
    """CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only (reported,
    not enforced); CSP_REPORT_URI is where browsers report. The admin's relaxation follows."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "c = Client(headers={'host': 'localhost'}); "
        "print(json.dumps([dict(c.get(u).headers) for u in ('/healthz', '/admin/login/')]))"
    )
    env = {"CSP_REPORT_ONLY": "1", "CSP_REPORT_URI": "https://reports.example.org/csp"}
    page, admin = json.loads(in_a_new_process(tmp_path, script, **env))
    for headers in (page, admin):
        assert "Content-Security-Policy" not in headers
    policy = directives_of(page["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == policy["style-src"] == ["'self'"]
    assert policy["report-uri"] == ["https://reports.example.org/csp"]
    relaxed = directives_of(admin["Content-Security-Policy-Report-Only"])
    assert relaxed["style-src"] == ["'self'", "'unsafe-inline'"]
    assert relaxed["script-src"] == ["'self'"]


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            # the browser tests set it for their own process only
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60)}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
