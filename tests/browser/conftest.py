"""Playwright driving Debian's chromium, headless, against pytest-django's live server.

The tests skip where chromium is missing, except in CI (REQUIRE_BROWSER=1), where they must
run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
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
