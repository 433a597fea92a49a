"""Playwright driving Debian's chromium, headless, against pytest-django's live server.

The tests skip where chromium is missing, except in CI (REQUIRE_BROWSER=1), where they must
run. Every page any test opens is watched: a console error, an uncaught page error or a
Content-Security-Policy violation fails the test (``console_watch``), unless the test names
it with ``@pytest.mark.allow_console("pattern")``. ``axe_check(page)`` runs axe-core.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# Runs in every page before the page's own scripts; the browser reports each CSP violation
# as an event, which becomes a console error the watch collects.
_REPORT_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
}, true);"""


def _collect(problems: list[str], problem: str) -> None:
    """Adds a browser problem, except a request aborted because the page was left: htmx logs
    that abort as ``htmx:afterRequest`` then ``htmx:sendAbort``, and nothing failed."""
    if problem.startswith("console: htmx:sendAbort"):
        target = problem.removeprefix("console: htmx:sendAbort")
        for i in range(len(problems) - 1, -1, -1):
            if problems[i] == "console: htmx:afterRequest" + target:
                del problems[i]
                return
    problems.append(problem)


class ConsoleWatch:
    """Collects console errors, page errors and CSP violations from every page of every
    context the browser opens, for the test that is running."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def attach(self, context) -> None:
        context.add_init_script(script=_REPORT_CSP)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self._add(f"console: {m.text}", page))
        page.on("pageerror", lambda exc: self._add(f"page error: {exc}", page))

    def _add(self, problem: str, page) -> None:
        _collect(self.problems, f"{problem} ({page.url})")


_WATCH = ConsoleWatch()


@pytest.fixture(autouse=True)
def console_watch(request):
    """Fails the test on any console error, page error or CSP violation in any page."""
    _WATCH.problems.clear()
    yield _WATCH
    marker = request.node.get_closest_marker("allow_console")
    allowed = [re.compile(p) for p in (marker.args if marker else ())]
    problems = [p for p in _WATCH.problems if not any(a.search(p) for a in allowed)]
    _WATCH.problems.clear()
    if problems:
        pytest.fail("the browser reported:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        # Every context, however a test makes it, is watched (see console_watch).
        new_context, new_page = browser.new_context, browser.new_page

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _WATCH.attach(context)
            return context

        def watched_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            _WATCH.attach(page.context)
            return page

        browser.new_context = watched_context
        browser.new_page = watched_page
        yield browser
        browser.close()


@pytest.fixture
def login(browser, live_server):
    """A function that opens a new browser page logged in as the given user."""
    contexts = []

    def open_page(username: str):
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and _collect(errors, f"console: {m.text}"))
        page.js_errors = errors  # type: ignore[attr-defined]
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()


# Finds the first and last character of the nth occurrence of a string in the article and
# returns their screen positions, so the test can drag the mouse across them.
_CHARACTER_BOXES = """([needle, nth]) => {
  const article = document.getElementById('article');
  const text = article.textContent;
  let at = -1;
  for (let i = 0; i <= nth; i++) { at = text.indexOf(needle, at + 1); }
  if (at < 0) throw new Error('not in the article: ' + needle);
  function point(pos) {
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    let node, seen = 0;
    while ((node = walker.nextNode())) {
      if (pos < seen + node.data.length) return [node, pos - seen];
      seen += node.data.length;
    }
  }
  function box(pos) {
    const [node, offset] = point(pos);
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + (node.data.codePointAt(offset) > 0xffff ? 2 : 1));
    return range.getBoundingClientRect();
  }
  point(at)[0].parentElement.scrollIntoView({block: 'center'});
  const first = box(at), last = box(at + needle.length - 1);
  return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
}"""


def select_with_mouse(page, needle: str, nth: int = 0) -> None:
    """Drag the mouse over the nth occurrence of ``needle`` in the article."""
    x1, y1, x2, y2 = page.evaluate(_CHARACTER_BOXES, [needle, nth])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=8)
    page.mouse.up()
    selected = page.evaluate("() => window.getSelection().toString()")
    assert selected == needle, f"selected {selected!r}, wanted {needle!r}"


def settled(page) -> None:
    """Wait until htmx has no request, swap or settle under way (as a person would)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def axe_check(page, *, impacts: tuple[str, ...] = ("critical", "serious")) -> list[str]:
    """Run axe-core on the page as it is now; return the violations of those impacts, each
    as "rule-id: help (selectors)". Tests assert the list is empty, so a failure names them.

    axe comes from tests/browser/vendor (the npm package, never served by the app) and is
    evaluated through the DevTools protocol, which the page's CSP does not govern.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    return [
        f"{v['id']} [{v['impact']}]: {v['help']} ({', '.join(v['nodes'])})"
        for v in result
        if v["impact"] in impacts
    ]
