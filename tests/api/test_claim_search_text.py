"""A claim's search copy of its text (Claim.search_text, what the explorer's word search
reads) matches its span after every way of writing a claim."""

from __future__ import annotations

import json

from django.core.management import call_command

from annotator.models import Claim, Document
from annotator.services import explorer
from annotator.services.access import access_to
from annotator.services.claims import update_claim
from annotator.services.review import take_into_gold
from annotator.services.suggestions import accept, pending, run_detector
from tests.conftest import SEED_TEXT, span


def assert_copies_match() -> None:
    claims = list(Claim.objects.select_related("document"))
    assert claims
    for claim in claims:
        assert claim.search_text == claim.document.text[claim.claim_start : claim.claim_end]


def search(user, project, words: str) -> list[str]:
    f = explorer.Filters(q=words)
    return [r["claim_text"] for r in explorer.claim_page(access_to(user, project), f).rows]


def test_every_way_of_writing_a_claim_keeps_the_search_copy(
    api, client, users, project, document, us_claim_payload, tmp_path
):
    alice, rita = users["alice"], users["rita"]
    url = f"/api/documents/{document.pk}/claims/"
    # The API's general view (session, and a token's first claim) and its hot path (a
    # token's next claims).
    posted = api("alice").post(url, us_claim_payload, format="json")
    hot = api("alice").post(url, {"claim": span(SEED_TEXT, "Syria")}, format="json")
    assert Claim.objects.get(pk=hot.json()["id"]).search_text == "Syria"
    client.force_login(users["bob"])
    general = client.post(url, us_claim_payload, content_type="application/json")
    assert (posted.status_code, general.status_code) == (201, 201)
    # An edit that moves the claim.
    claim = Claim.objects.get(pk=posted.json()["id"])
    moved = update_claim(
        access_to(alice, project), claim, {"claim": span(SEED_TEXT, "Al Assad")}, claim.version
    )
    assert moved.search_text == "Al Assad"
    # Gold, an accepted suggestion, an imported file.
    take_into_gold(access_to(rita, project), Claim.objects.get(pk=general.json()["id"]))
    run_detector(project)
    suggestion = pending(access_to(alice, project), document).first()
    accept(access_to(alice, project), suggestion)
    record = {
        "id": "seed",
        "text": SEED_TEXT,
        "annotations": [
            {
                "annotator": "bob",
                "status": "submitted",
                "claims": [{"claim": span(SEED_TEXT, "could defeat")}],
            }
        ],
    }
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    call_command("import_annotations", project.slug, str(path), verbosity=0)
    assert Claim.objects.filter(search_text="could defeat").exists()
    assert Claim.objects.count() >= 5
    assert_copies_match()


def test_word_search_finds_the_claim_where_it_is_now(users, project, document, us_claim_payload):
    alice = users["alice"]
    api_claim = Claim.objects.create(
        document=document, annotator=alice, claim_start=0, claim_end=1, stance="oppose"
    )
    update_claim(
        access_to(alice, project),
        api_claim,
        {"claim": us_claim_payload["claim"]},
        api_claim.version,
    )
    assert search(users["mia"], project, "ALEPPO") == ["lost control of Aleppo"]
    update_claim(
        access_to(alice, project),
        Claim.objects.get(pk=api_claim.pk),
        {"claim": span(SEED_TEXT, "Al Assad")},
        api_claim.version + 1,
    )
    assert search(users["mia"], project, "aleppo") == []
    assert search(users["mia"], project, "assad") == ["Al Assad"]


def test_the_copy_follows_unicode_code_points(users, project):
    text = "Ali 👋🏽 said: «الحرب انتهت» and e\u0301te\u0301\r\nsaid more."
    document = Document.objects.create(project=project, external_id="u", text=text)
    start = text.index("«")
    claim = Claim.objects.create(
        document=document, annotator=users["alice"], claim_start=start, claim_end=start + 13
    )
    assert claim.search_text == text[start : start + 13]
    assert search(users["mia"], project, "الحرب") == [text[start : start + 13]]
