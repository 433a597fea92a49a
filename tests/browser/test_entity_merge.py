"""rita merges duplicate entities on the entities page: tick, keep one, merge (htmx)."""

from __future__ import annotations

import pytest

from annotator.models import Claim, Entity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rita_merges_us_into_united_states(login, live_server, project, document, alice):
    kept = Entity.objects.create(project=project, name="United States")
    duplicate = Entity.objects.create(project=project, name="US", aliases=["U.S."])
    Entity.objects.create(project=project, name="Bashar al-Assad")
    claim = Claim.objects.create(
        document=document, annotator=alice, claim_start=0, claim_end=5, speaker_entity=duplicate
    )
    page = login("rita")
    page.goto(f"{live_server.url}/p/{project.slug}/entities/")
    page.get_by_label("Merge US", exact=True).check()
    page.get_by_label("Merge United States").check()
    page.get_by_label("Keep United States").check()
    with page.expect_request(lambda r: r.url.endswith("/entities/merge/")) as sent:
        page.get_by_role("button", name="Merge ticked entities into the kept one").click()
    assert sent.value.headers.get("hx-request") == "true"  # boosted: no full page load
    page.get_by_text("Merged 1 entities into “United States”.").wait_for()
    assert page.get_by_label("Merge US", exact=True).count() == 0
    assert "US, U.S." in page.get_by_role("textbox", name="Aliases of United States").input_value()
    assert Claim.objects.get(pk=claim.pk).speaker_entity == kept
    assert page.js_errors == []
