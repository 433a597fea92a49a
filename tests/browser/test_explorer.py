"""The claim explorer in a browser, on the demo: filter, open a claim, see the chart, export."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from django.contrib.auth import get_user_model

from annotator.models import Claim, Entity
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.demo import load_demo
from tests.browser.conftest import settled
from tests.conftest import PASSWORD, span

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


@pytest.fixture
def demo():
    """The demo, with mia's password the tests' own and a second claim by bob (Iran's
    minister), so that filtering on the United States leaves something out."""
    project, _ = load_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    document = project.documents.get()
    iran = Entity.objects.create(project=project, name="Iran")
    text = document.text
    create_claim(
        access_to(users["bob"], project),
        document,
        {
            "claim": span(text, "firmly support the Syrian government and army"),
            "speaker": {**span(text, "Araghchi"), "entity": iran.pk},
            "stance": "support",
        },
    )
    return project


def test_a_manager_explores_the_us_claims(login, live_server, demo):
    page = login("mia")
    page.goto(f"{live_server.url}/p/{demo.slug}/claims/")
    rows = page.locator("table.explorer-table tbody tr")
    assert rows.count() == 2
    chart = page.locator('svg[data-chart="stance-time"]')
    assert chart.get_attribute("role") == "img"
    assert chart.locator("rect").count() >= 2  # one segment per stance in December 2024
    assert chart.locator("rect").first.bounding_box()["height"] > 10
    page.get_by_label("Speaker", exact=True).select_option(label="United States")
    page.wait_for_url("**/claims/?speaker=*")
    settled(page)
    assert rows.count() == 1
    assert "lost control of Aleppo" in rows.first.inner_text()
    assert page.locator("#claims-count").inner_text() == "1"
    # The numbers behind the chart, one click away.
    page.get_by_text("The numbers").first.click()
    assert page.locator("table.numbers").first.locator("tbody tr").first.inner_text().split() == [
        "2024-12",
        "0",
        "1",
        "0",
        "0",
        "1",
    ]

    # The export of this view holds exactly the filtered claims.
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON Lines").click()
    lines = [orjson.loads(line) for line in Path(download.value.path()).read_bytes().splitlines()]
    us = Claim.objects.filter(speaker_entity__name="United States")
    assert [line["claim_id"] for line in lines] == list(us.values_list("uid", flat=True))
    assert lines[0]["published"] == "2024-12-01"

    # Back to the whole list, then into the article at the US claim.
    page.go_back()
    page.wait_for_url(f"{live_server.url}/p/{demo.slug}/claims/")
    settled(page)
    assert rows.count() == 2
    page.get_by_label("Speaker", exact=True).select_option(label="United States")
    page.wait_for_url("**/claims/?speaker=*")
    settled(page)
    page.get_by_role("link", name="lost control of Aleppo").click()
    page.wait_for_url("**/d/*/?claim=*")
    card = page.locator(".viewed-claim")
    assert "alice's claim" in card.inner_text()
    assert "United States" in card.inner_text()
    block = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{block}").is_visible()
    assert "lost control of Aleppo" in page.locator(f"#{block}").inner_text()

    # Last (a screenshot leaves marks in the page that htmx's history would keep).
    page.goto(f"{live_server.url}/p/{demo.slug}/claims/")
    page.locator('svg[data-chart="who-whom"]').wait_for()  # the charts' own request
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "explorer.png"), full_page=True)
