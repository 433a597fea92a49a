"""CI: build the wheel, install it into a fresh venv outside the checkout, start it with
`claim-annotator start`, log in over HTTP, run a job on its worker, stop it with Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **kwargs) -> str:
    done = subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)
    return done.stdout


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="wheel-smoke-"))
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp), str(ROOT))
    wheel = next(tmp.glob("claim_annotator-*.whl"))
    names = run(sys.executable, "-m", "zipfile", "-l", str(wheel))
    for needed in (
        "project/templates/base.html",
        "project/static/annotator/app.css",
        "annotator/migrations/0001_initial.py",
        "annotator/fixtures/seed-article.txt",
    ):
        assert needed in names, f"{needed} is not in {wheel.name}"
    venv = tmp / "venv"
    run("python3.11", "-m", "venv", str(venv))
    run(str(venv / "bin" / "pip"), "install", "-q", str(wheel))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "DATABASE_URL", "SECRET_KEY", "VIRTUAL_ENV"))
    }
    env["CLAIM_ANNOTATOR_DATA"] = str(tmp / "data")
    env["PYTHONUNBUFFERED"] = "1"
    command = str(venv / "bin" / "claim-annotator")
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    log = tmp / "start.log"
    server = subprocess.Popen(
        [command, "start", "--port", port],
        cwd=tmp,  # outside the checkout: nothing can come from it
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        password = None
        deadline = time.monotonic() + 300
        while password is None and time.monotonic() < deadline and server.poll() is None:
            if found := re.search(r"log in as admin with password (\S+)", log.read_text()):
                password = found.group(1)
            time.sleep(0.2)
        print(log.read_text())
        assert password, "no admin password printed on the first start"
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        for _ in range(60):
            try:
                session.get(f"{base}/healthz", timeout=10)
                break
            except requests.RequestException:  # gunicorn's workers are still starting
                time.sleep(0.5)
        page = session.get(f"{base}/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            f"{base}/login/",
            data={"username": "admin", "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/login/"},
        )
        assert answer.status_code == 200 and answer.url == f"{base}/", answer.url
        assert "Log out" in answer.text and "admin" in answer.text
        print("logged in over HTTP as admin")
        # The worker started beside the web server runs a job.
        run(command, "manage", "demo", env=env, cwd=tmp)
        queued = run(command, "manage", "suggest", "syria-2024", "--enqueue", env=env, cwd=tmp)
        job = re.search(r"queued job (\d+)", queued).group(1)
        print(run(command, "manage", "jobs", "wait", job, env=env, cwd=tmp, timeout=120))
        css = session.get(f"{base}/static/annotator/app.css")
        assert css.status_code == 200, "static files are not served"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # Ctrl+C in the terminal
        server.wait(30)
    left = run("ps", "-eo", "args")
    assert str(venv) not in left, f"processes left running:\n{left}"
    print("wheel: installed, started, logged in, ran a job, stopped")


if __name__ == "__main__":
    main()
