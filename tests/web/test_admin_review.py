"""Reviewing in the admin as rita (staff, reviewer): the claim list, its filters and search,
the claim page with the claim in its paragraph, decisions, gold and export."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Entity, Review
from annotator.models.document import GoldStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim

CHANGELIST = "admin:annotator_claim_changelist"


@pytest.fixture
def staff_rita(rita):
    rita.is_staff = True
    rita.save()
    return rita


@pytest.fixture
def reviewer(client, staff_rita):
    client.force_login(staff_rita)
    return client


@pytest.fixture
def us_claim(project, document, alice, us_claim_payload):
    Entity.objects.create(project=project, name="United States", aliases=["US"])
    Entity.objects.create(project=project, name="Bashar al-Assad", aliases=["Damascus leader"])
    payload = {
        **us_claim_payload,
        "speaker": {**us_claim_payload["speaker"], "entity": "United States"},
        "target": {**us_claim_payload["target"], "entity": "Bashar al-Assad"},
        "note": "check the cue",
    }
    return create_claim(access_to(alice, project), document, payload)


def _many(document, annotator, count: int, **fields) -> None:
    Claim.objects.bulk_create(
        Claim(document=document, annotator=annotator, claim_start=i, claim_end=i + 5, **fields)
        for i in range(count)
    )


def _listed(client, **params) -> list[Claim]:
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_claim_list_costs_the_same_queries_for_5_and_40_rows(reviewer, document, bob, us_claim):
    entity = us_claim.speaker_entity
    counts = []
    for total in (5, 40):
        _many(document, bob, total - Claim.objects.count(), speaker_entity=entity, stance="oppose")
        with CaptureQueriesContext(connection) as queries:
            response = reviewer.get(reverse(CHANGELIST), {"q": ""})
            assert len(response.context["cl"].result_list) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # And with the entity filter set (its box reads the chosen entity once).
    with CaptureQueriesContext(connection) as queries:
        listed = _listed(reviewer, speaker_entity__id__exact=entity.pk)
    assert len(listed) == 40
    assert len(queries) <= counts[1] + 2, len(queries)
    print(f"claim list queries: 5 rows {counts[0]}, 40 rows {counts[1]}, filtered {len(queries)}")


def test_the_list_shows_what_a_reviewer_reads(reviewer, us_claim):
    html = reviewer.get(reverse(CHANGELIST)).content.decode()
    for shown in ("lost control of Aleppo", "United States", "said", "Bashar al-Assad", "alice"):
        assert shown in html


def test_filtering_by_speaker_and_target_entity(reviewer, project, document, bob, us_claim):
    other = Entity.objects.create(project=project, name="Kremlin")
    _many(document, bob, 3, speaker_entity=other)
    assert _listed(reviewer, speaker_entity__id__exact=us_claim.speaker_entity_id) == [us_claim]
    assert len(_listed(reviewer, speaker_entity__id__exact=other.pk)) == 3
    assert _listed(reviewer, target_entity__id__exact=us_claim.target_entity_id) == [us_claim]
    # The filter is a select2 box asking the autocomplete, with the chosen entity in it.
    html = reviewer.get(reverse(CHANGELIST), {"speaker_entity__id__exact": other.pk}).content
    assert b'data-ajax--url="/admin/autocomplete/"' in html
    assert b"Kremlin</option>" in html
    assert b"annotator/admin.js" in html


def test_filtering_by_review_state_and_source(reviewer, document, bob, us_claim, staff_rita):
    _many(document, bob, 2)
    Review.objects.create(reviewer=staff_rita, claim=us_claim, decision="rejected")
    Claim.objects.filter(pk=us_claim.pk).update(review="rejected")
    assert _listed(reviewer, review_state="rejected") == [us_claim]
    assert len(_listed(reviewer, review_state="none")) == 2
    assert len(_listed(reviewer, source="manual")) == 3


@pytest.mark.parametrize("term", ["control of aleppo", "damascus leader", "check the cue", "US"])
def test_search_finds_span_texts_notes_and_entity_aliases(reviewer, document, bob, us_claim, term):
    _many(document, bob, 2)  # claims over "Syria" and the like: none of the terms
    assert _listed(reviewer, q=term) == [us_claim]


def test_the_claim_page_shows_the_claim_highlighted_in_its_paragraph(reviewer, us_claim):
    response = reviewer.get(reverse("admin:annotator_claim_change", args=[us_claim.pk]))
    html = response.content.decode()
    excerpt = html[
        html.index('id="claim-in-context"') : html.index(
            "</div>", html.index('id="claim-in-context"')
        )
    ]
    assert 'class="h-claim"' in excerpt and "lost control of Aleppo" in excerpt
    assert 'class="h-speaker"' in excerpt and "The United States" in excerpt
    assert 'class="h-cue"' in excerpt and 'class="h-target"' in excerpt
    assert "2504–2526" in html  # the claim's offsets beside its text
    assert "/d/" in html and "review page" in html  # rita opens alice's claim there
    assert reverse("admin:annotator_claim_decide", args=[us_claim.pk, "rejected"]) in html
    assert "<script>" not in excerpt


def test_untrusted_text_on_the_claim_page_is_escaped(reviewer, project, alice):
    document = Document.objects.create(
        project=project, external_id="x", text="<script>alert(1)</script> he said <b>so</b>"
    )
    Assignment.objects.create(document=document, annotator=alice)
    claim = Claim.objects.create(document=document, annotator=alice, claim_start=0, claim_end=25)
    html = reviewer.get(reverse("admin:annotator_claim_change", args=[claim.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rejecting_from_the_claim_page_reaches_the_annotators_page(
    reviewer, client, us_claim, alice, staff_rita
):
    url = reverse("admin:annotator_claim_decide", args=[us_claim.pk, "rejected"])
    assert "Comment" in reviewer.get(url).content.decode()
    response = reviewer.post(url, {"apply": "1", "comment": "Wrong <target>"})
    assert response["Location"] == reverse("admin:annotator_claim_change", args=[us_claim.pk])
    review = Review.objects.get(claim=us_claim)
    assert (review.reviewer, review.decision, review.comment) == (
        staff_rita,
        "rejected",
        "Wrong <target>",
    )
    client.force_login(alice)
    page = client.get(reverse("annotate", args=[us_claim.document_id])).content.decode()
    assert "rejected by rita: “Wrong &lt;target&gt;”" in page


def test_taking_selected_claims_into_gold(reviewer, us_claim, staff_rita):
    reviewer.post(reverse(CHANGELIST), {"action": "take_gold", "_selected_action": [us_claim.pk]})
    gold = Claim.objects.get(is_gold=True)
    assert (gold.origin, gold.annotator, gold.claim_start) == (us_claim, staff_rita, 2504)
    assert Document.objects.get(pk=us_claim.document_id).gold_status == GoldStatus.DRAFT


def test_exporting_selected_claims_as_flat_jsonl(reviewer, document, bob, us_claim):
    _many(document, bob, 2)
    response = reviewer.post(
        reverse(CHANGELIST), {"action": "export_selected", "_selected_action": [us_claim.pk]}
    )
    lines = [json.loads(raw) for raw in b"".join(response.streaming_content).splitlines()]
    assert [(line["schema"], line["annotator"]) for line in lines] == [("claims/1-flat", "alice")]
    claim = lines[0]["claim"]
    assert document.text[claim["start"] : claim["end"]] == claim["text"] == "lost control of Aleppo"
    assert lines[0]["speaker"]["entity"] == "United States"


def test_marking_documents_gold_complete_goes_through_the_service(reviewer, document, staff_rita):
    reviewer.post(
        reverse("admin:annotator_document_changelist"),
        {"action": "mark_gold_complete", "_selected_action": [document.pk]},
    )
    document.refresh_from_db()
    assert (document.gold_status, document.gold_by) == (GoldStatus.COMPLETE, staff_rita)


def test_the_document_page_shows_its_annotation_sets(reviewer, document):
    Assignment.objects.filter(document=document, annotator__username="alice").update(
        status="submitted"
    )
    response = reviewer.get(reverse("admin:annotator_document_change", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Submitted" in html and "bob" in html


def test_an_entity_cannot_move_to_another_project(reviewer, project, us_claim):
    entity = us_claim.speaker_entity
    url = reverse("admin:annotator_entity_change", args=[entity.pk])
    assert "project" in reviewer.get(url).context["adminform"].readonly_fields
    reviewer.post(url, {"name": "USA", "aliases": '["US"]', "project": 999})
    entity.refresh_from_db()
    assert (entity.name, entity.project) == ("USA", project)
