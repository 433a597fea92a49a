#!/usr/bin/env python
"""Label Studio and the app side by side: the same corpus, the same client, alternating rounds.

    python bench/peers/label_studio.py --rounds 5 [--docs 10000] [--claims 500]
    DATABASE_URL=postgres://… python bench/peers/label_studio.py   # the app on PostgreSQL

Installs Label Studio (LABEL_STUDIO_VERSION, default 1.23.2) from PyPI into its own venv
under $PEERS_WORKDIR (default /tmp/peers), starts it on a fresh data folder each round
(SQLite, its default), and times over HTTP: cold start, importing the articles as one JSON
list, one annotation POST per claim (p50), one task GET (p50), and exporting every task.
Each round then runs bench/run.py for the app with the same sizes. Prints the medians and
the ratio Label Studio ÷ app. Slow (Label Studio starts in ~30 s); not part of CI.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from run import PYTHON, claim_payload, free_port, make_corpus, timed_requests  # noqa: E402

VERSION = os.environ.get("LABEL_STUDIO_VERSION", "1.23.2")
WORKDIR = Path(os.environ.get("PEERS_WORKDIR", Path(tempfile.gettempdir()) / "peers"))
CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="claim"/><Label value="speaker"/><Label value="cue"/><Label value="target"/>
  </Labels>
  <Choices name="stance" toName="text"><Choice value="support"/><Choice value="oppose"/>
    <Choice value="neutral"/></Choices>
  <Text name="text" value="$text"/>
</View>"""


def install() -> Path:
    venv = WORKDIR / f"label-studio-{VERSION}"
    binary = venv / "bin" / "label-studio"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", f"label-studio=={VERSION}"]
        subprocess.run(pip, check=True)
    return binary


def enable_legacy_token(url: str) -> None:
    """Since 1.17 a new organisation refuses `--user-token` (a "legacy" token) until an
    administrator allows it: log in as the web page does and allow it."""
    import requests

    web = requests.Session()
    web.get(f"{url}/user/login/")
    login = {"email": "bench@example.org", "password": "bench-pass-1"}
    login["csrfmiddlewaretoken"] = web.cookies["csrftoken"]
    web.post(f"{url}/user/login/", data=login, headers={"Referer": f"{url}/user/login/"})
    allowed = {"legacy_api_tokens_enabled": True, "api_tokens_enabled": True}
    headers = {"X-CSRFToken": web.cookies["csrftoken"], "Referer": url}
    web.post(f"{url}/api/jwt/settings", json=allowed, headers=headers).raise_for_status()


def ls_round(binary: Path, records: list[dict], claims: int) -> dict[str, float]:
    import requests

    data = Path(tempfile.mkdtemp(prefix="ls-data-", dir=WORKDIR))
    port, token = free_port(), secrets.token_hex(20)
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "DEBUG": "false"}
    args = [str(binary), "start", "--no-browser", "--port", str(port), "--data-dir", str(data)]
    args += ["--username", "bench@example.org", "--password", "bench-pass-1", "--user-token", token]
    started = time.perf_counter()
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"
    try:
        while True:
            try:
                if api.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - started > 300:
                raise SystemExit("Label Studio did not start")
            time.sleep(0.2)
        figures = {"cold_start_s": time.perf_counter() - started}
        enable_legacy_token(url)
        project = api.post(f"{url}/api/projects/", json={"title": "bench", "label_config": CONFIG})
        pid = project.json()["id"]
        tasks = [{"data": {"text": r["text"], "doc_id": r["doc_id"]}} for r in records]
        t0 = time.perf_counter()
        api.post(f"{url}/api/projects/{pid}/import", json=tasks).raise_for_status()
        figures["import_s"] = time.perf_counter() - t0
        ids = api.get(f"{url}/api/projects/{pid}/tasks/?page_size=100000").json()
        ids = [t["id"] for t in (ids["tasks"] if isinstance(ids, dict) else ids)]
        work = [(task, r) for task, r in zip(ids, records, strict=False) if r.get("quotes")][
            :claims
        ]

        def annotate(item) -> None:
            task, record = item
            payload = claim_payload(record, record["quotes"][0])
            result = [
                {
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {"start": span["start"], "end": span["end"], "labels": [role]},
                }
                for role, span in payload.items()
                if isinstance(span, dict) and "start" in span
            ]
            r = api.post(f"{url}/api/tasks/{task}/annotations/", json={"result": result})
            r.raise_for_status()

        figures["claim_post_p50_ms"] = timed_requests(annotate, work)["p50_ms"]
        figures["task_get_p50_ms"] = timed_requests(
            lambda task: api.get(f"{url}/api/tasks/{task}").raise_for_status(),
            [task for task, _ in work],
        )["p50_ms"]
        t0 = time.perf_counter()
        api.get(f"{url}/api/projects/{pid}/export?exportType=JSON").raise_for_status()
        figures["export_all_s"] = time.perf_counter() - t0
        return figures
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


def app_round(docs: int, claims: int) -> dict[str, float]:
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "run.py"), "--docs", str(docs), "--claims", str(claims)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    f = json.loads(out.strip().splitlines()[-1])
    return {
        "cold_start_s": f["cold_start"]["s"],
        "import_s": f["import_api_list"]["s"],
        "claim_post_p50_ms": f["claims_api"]["p50_ms"],
        "task_get_p50_ms": f["document_api"]["p50_ms"],
        "export_all_s": f["export_all_api"]["s"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=500)
    args = parser.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    binary = install()
    corpus = WORKDIR / f"corpus-{args.docs}.jsonl"
    if not corpus.exists():
        make_corpus(args.docs, corpus)
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    ls: list[dict] = []
    app: list[dict] = []
    for n in range(args.rounds):  # alternating, so drift in the machine's load hits both
        ls.append(ls_round(binary, records, args.claims))
        app.append(app_round(args.docs, args.claims))
        print(f"round {n + 1}: Label Studio {ls[-1]}\n         app {app[-1]}", flush=True)
    print(f"\n{'workload (median)':<24}{'Label Studio':>14}{'app':>10}{'LS ÷ app':>10}")
    for key in ls[0]:
        a = statistics.median(r[key] for r in ls)
        b = statistics.median(r[key] for r in app)
        print(f"{key:<24}{a:>14.2f}{b:>10.2f}{a / b:>9.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
