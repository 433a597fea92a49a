"""Several app hosts and workers on one fresh database, as separate processes on this
machine: what the scale-out test (tests/jobs/test_scale_out.py) and bench/jobs.py drive.

Each process gets its own DATABASE_URL environment, as a host on another machine would;
they share nothing but the database.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _drop(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A fresh, migrated database (PostgreSQL beside ``server_url``, or an SQLite file) and
    the hosts and workers started on it; ``close()`` stops them and drops the database."""

    # A migrated empty database per process, copied for each cluster (migrating takes long).
    _templates: dict[str, str] = {}

    def __init__(self, server_url: str = "", **settings: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cluster-"))
        self.processes: list[subprocess.Popen] = []
        self.settings = settings
        postgresql = server_url.startswith(("postgres://", "postgresql://"))
        template = self._template(server_url if postgresql else "")
        if postgresql:
            import psycopg

            parts = urlparse(server_url)
            self.name = f"cluster_{os.getpid()}_{int(time.time() * 1000) % 100000}"
            self._admin = urlunparse(parts._replace(path="/postgres"))
            with psycopg.connect(self._admin, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.name} TEMPLATE {template}")
            self.url = urlunparse(parts._replace(path=f"/{self.name}"))
        else:
            self.name = ""
            for part in Path(template).parent.glob("db.sqlite3*"):  # with its WAL, if any
                shutil.copy(part, self.folder / part.name)
            self.url = f"sqlite:///{self.folder / 'db.sqlite3'}"
        self.env = self._environment(self.url)

    def _environment(self, url: str) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DATABASE_URL": url,
            "SECRET_KEY": "cluster-secret-key-for-tests-and-bench-0123456789",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
            **self.settings,
        }

    def _template(self, server_url: str) -> str:
        """The migrated template: a PostgreSQL database's name, or an SQLite file's path."""
        if server_url in self._templates:
            return self._templates[server_url]
        if server_url:
            import psycopg

            parts = urlparse(server_url)
            name = f"cluster_template_{os.getpid()}"
            admin = urlunparse(parts._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
            url, found = urlunparse(parts._replace(path=f"/{name}")), name
            atexit.register(_drop, admin, name)
        else:
            path = Path(tempfile.mkdtemp(prefix="cluster-template-")) / "db.sqlite3"
            url, found = f"sqlite:///{path}", str(path)
        self.env = self._environment(url)
        self.manage("migrate", "--verbosity", "0")
        self._templates[server_url] = found
        return found

    @property
    def postgresql(self) -> bool:
        return bool(self.name)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _start(self, args: list[str], log: str) -> subprocess.Popen:
        out = (self.folder / log).open("wb")
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def worker(self, name: str, wait: bool = False) -> subprocess.Popen:
        """``manage.py worker``, polling the queue every 0.1 s; ``wait``: until it polls."""
        args = [PYTHON, "manage.py", "worker", "--no-reload", "--no-startup-delay"]
        args += ["--interval", "0.1", "--worker-id", name, "--verbosity", "1"]
        process = self._start(args, f"worker-{name}.log")
        deadline = time.monotonic() + 120
        while wait and "Starting worker" not in self.log(f"worker-{name}.log"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.log(f"worker-{name}.log"))
            time.sleep(0.1)
        return process

    def host(self, workers: int = 1) -> str:
        """gunicorn on a free port, as an app host; returns its base URL once it answers."""
        port = free_port()
        args = [PYTHON, "-m", "gunicorn", "project.wsgi", "--workers", str(workers)]
        args += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        self._start(args, f"host-{port}.log")
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"no app host on port {port}")

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Read the database directly (``%s`` placeholders), as an outside observer."""
        if self.postgresql:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql, params).fetchall()
        with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        return self.query(sql, *params)[0][0]

    def wait_for(self, sql: str, *params: Any, timeout: float = 120) -> Any:
        """Poll until the query's first value is true; returns it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.query(sql, *params)
            if found and found[0][0]:
                return found[0][0]
            time.sleep(0.05)
        raise TimeoutError(f"still false after {timeout} s: {sql} {params}")

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for process in self.processes:
            self.stop(process)
        if self.name:
            import psycopg

            with psycopg.connect(self._admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
