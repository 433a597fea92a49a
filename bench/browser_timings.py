#!/usr/bin/env python
"""Browser-side timings of the annotate page on the 200-claim article, in Debian's Chromium.

    python bench/browser_timings.py                # this checkout
    python bench/browser_timings.py --app DIR      # another checkout (e.g. main, for "before")

The app runs as in production (gunicorn, DEBUG off) on a fresh SQLite database in a temporary
folder, with bench/long_document.py's article (20,000 characters, 200 claims). Each figure is
the median of --runs runs, measured inside the page: from navigation start to the first
highlight on screen, and from each key press to the settled DOM (htmx's afterSettle, or the
next frame for keys that need no request). Prints a table and one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import django_shell, free_port, log, server_env, show  # bench/run.py

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench-password-1"

# In every page from its first byte: when a highlight is first on screen, when the last key
# went down, when htmx last settled, and the first frame after the key.
PROBE = """
window.__t = {highlight: 0, key: 0, settled: 0, frame: 0};
(function seek() {
  const mark = document.querySelector("#article .h-claim");
  if (mark && mark.getBoundingClientRect().height > 0) window.__t.highlight = performance.now();
  else requestAnimationFrame(seek);
})();
document.addEventListener("keydown", function (e) {
  window.__t.key = e.timeStamp; window.__t.settled = 0; window.__t.frame = 0;
  requestAnimationFrame(function () { window.__t.frame = performance.now(); });
}, true);
document.addEventListener("htmx:afterSettle", function () {
  window.__t.settled = performance.now();
}, true);
"""

# Select the nth occurrence of a string in the article, as a mouse drag would.
SELECT = """([needle, nth]) => {
  const article = document.getElementById("article");
  const text = article.textContent;
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const end = at + needle.length;
  let node, seen = 0, started = false;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (!started && at < seen + len) { range.setStart(node, at - seen); started = true; }
    if (started && end <= seen + len) { range.setEnd(node, end - seen); break; }
    seen += len;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""

IDLE = "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def _env(tmp: Path) -> dict[str, str]:
    return server_env(f"sqlite:///{tmp / 'db.sqlite3'}", STATIC_ROOT=str(tmp / "static"))


def _prepare(app: Path, env: dict[str, str]) -> int:
    """Migrate, make the bench user and project and the long article; return its id."""
    manage = [PYTHON, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], env=env, cwd=app, check=True)
    setup = (
        "from django.contrib.auth import get_user_model\n"
        "from annotator.models import Membership, Project\n"
        f"user = get_user_model().objects.create_user('bench', password='{PASSWORD}')\n"
        "project = Project.objects.create(slug='bench', name='Bench')\n"
        "Membership.objects.create(project=project, user=user, role='annotator')\n"
    )
    code = setup + (ROOT / "bench" / "long_document.py").read_text()
    return int(django_shell(code, env, app).strip().splitlines()[-1])


SERVER: dict[str, list[float]] = {}  # per key: the request's time on the wire and server


def _key(page, key: str, done: str) -> float:
    """Press a key; once ``done`` holds and htmx is idle, the ms from key to settled DOM."""
    page.evaluate("() => performance.clearResourceTimings()")
    page.keyboard.press(key)
    page.wait_for_function(f"() => ({done}) && {IDLE} && window.__t.frame > 0")
    t = page.evaluate("() => window.__t")
    requests = page.evaluate(
        "() => performance.getEntriesByType('resource').filter(e => e.initiatorType ==="
        " 'xmlhttprequest').map(e => e.duration)"
    )
    if requests:
        SERVER.setdefault(key, []).append(sum(requests))
    return round(max(t["settled"], t["frame"]) - t["key"], 1)


def _select(page, needle: str, nth: int) -> None:
    page.evaluate(SELECT, [needle, nth])
    page.wait_for_function("() => document.querySelector('#claim-form [name=sel_start]').value")


def _one_run(page, url: str, n: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__t.highlight > 0 && document.readyState === 'complete'")
    figures["first_highlight"] = round(page.evaluate("() => window.__t.highlight"), 1)
    set_role = "document.querySelector('[data-role-text={role}]').textContent.startsWith('“')"
    _select(page, "ordinary households", 3 * n + 1)
    figures["Enter (claim)"] = _key(page, "Enter", set_role.format(role="claim"))
    _select(page, "the minister", 3 * n + 2)
    figures["s (speaker)"] = _key(page, "s", set_role.format(role="speaker"))
    figures["2 (stance)"] = _key(page, "2", "document.querySelectorAll('[name=stance]')[1].checked")
    figures["Ctrl+Enter (save)"] = _key(
        page, "Control+Enter", "/Saved/.test(document.getElementById('claim-form').textContent)"
    )
    figures["j (next claim)"] = _key(
        page, "j", "document.querySelector('#claim-list .claim-link.current')"
    )
    if page.locator("#keymap [data-action=new]").count():
        figures["Shift+N (new claim)"] = _key(
            page, "Shift+N", "document.getElementById('claim-form').dataset.claimId === ''"
        )
    figures["? (help)"] = _key(page, "?", "document.getElementById('help-dialog').open")
    page.keyboard.press("Escape")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app = args.app.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="annotator-browser-bench-"))
    env = _env(tmp)
    document = _prepare(app, env)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "project.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=app,
    )
    runs: list[dict[str, float]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(script=PROBE)
            page = context.new_page()
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    page.goto(f"{base}/login/")
                    break
                except Exception:
                    time.sleep(0.1)
            page.get_by_label("Username").fill("bench")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/")
            _one_run(page, f"{base}/d/{document}/", 0)  # warm-up: caches, JIT
            runs = [_one_run(page, f"{base}/d/{document}/", n + 1) for n in range(args.runs)]
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    figures = {name: statistics.median(run[name] for run in runs) for name in runs[0] if runs}
    server = {key: round(statistics.median(v), 1) for key, v in SERVER.items()}
    log(f"== browser timings, {app}, median of {len(runs)} (ms)")
    for name, value in figures.items():
        key = next((k for k in server if name.lower().startswith(k.lower())), None)
        show(name, f"{value} ms", f"request {server[key]} ms" if key else "")
    result = {"app": str(app), "runs": len(runs), "median_ms": figures, "request_ms": server}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
