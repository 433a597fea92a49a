"""``claim-annotator``: the installed app's one command.

    claim-annotator start [--host 127.0.0.1] [--port 8000]   # web server and one worker
    claim-annotator manage COMMAND ...                         # any management command

Data (an SQLite database, the secret key, collected static files) lives in the user's data
directory, or in $CLAIM_ANNOTATOR_DATA; set DATABASE_URL to use PostgreSQL instead.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import sys
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    folder = Path(os.environ.get("CLAIM_ANNOTATOR_DATA") or user_data_dir("claim-annotator"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def configure(host: str = "127.0.0.1") -> Path:
    """The environment the settings read: a local, plain-HTTP, production-mode server."""
    folder = data_dir()
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    defaults = {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SECRET_KEY": key_file.read_text().strip(),
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": ",".join(sorted({"127.0.0.1", "localhost", host})),
        # Served over plain HTTP on this machine; put a TLS proxy in front to go further.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    return folder


def manage(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["claim-annotator manage", *args])


def first_admin() -> str | None:
    """On the first start, an admin account with a fresh password (shown once)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser("admin", "", password)
    return password


def start(host: str, port: int, workers: int) -> None:
    from honcho.manager import Manager

    folder = configure(host)
    manage(["migrate", "--verbosity", "0"])
    manage(["collectstatic", "--noinput", "--verbosity", "0"])
    password = first_admin()
    print(f"Claim annotator on http://{host}:{port}/ (data in {folder})", flush=True)
    if password:
        print(f"First start: log in as admin with password {password}", flush=True)
        print("(shown once; change it on your profile page)", flush=True)
    python = sys.executable
    manager = Manager()
    env = dict(os.environ)
    web = [python, "-m", "gunicorn", "project.wsgi", "--bind", f"{host}:{port}"]
    web += ["--workers", str(workers), "--log-level", "warning"]
    manager.add_process("web", shlex.join(web), env=env)
    worker = [python, "-m", "project.cli", "manage", "worker", "--no-reload", "--verbosity", "0"]
    manager.add_process("worker", shlex.join(worker), env=env)
    manager.loop()  # Ctrl+C (or SIGTERM) stops both
    sys.exit(manager.returncode)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:  # everything after it is the management command's
        configure()
        manage(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="claim-annotator", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("start", help="migrate, then serve the app with one worker")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    sub.add_parser("manage", help="a management command (claim-annotator manage help)")
    args = parser.parse_args(argv)
    start(args.host, args.port, args.web_workers)


if __name__ == "__main__":
    main()
