"""The Django admin, as a superuser: pages, filters, actions and the claim form's checks."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Entity, Review
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.projects import create_project
from annotator.services.review import review_assignment

MODELS = ["project", "membership", "document", "entity", "claim", "assignment", "review"]


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-1")
    client.force_login(admin)
    client.user = admin
    return client


@pytest.fixture
def claims(project, document, alice, bob, rita, us_claim_payload) -> dict[str, Claim]:
    Entity.objects.create(project=project, name="United States", aliases=["US"])
    payload = {**us_claim_payload, "speaker": {**us_claim_payload["speaker"], "entity": "US"}}
    by_alice = create_claim(access_to(alice, project), document, payload)
    by_bob = create_claim(
        access_to(bob, project),
        document,
        {"claim": {"start": 0, "end": 5}, "stance": "support"},
    )
    Assignment.objects.filter(annotator=alice).update(status="submitted")
    review_assignment(rita, Assignment.objects.get(annotator=alice), "accepted", "fine")
    return {"alice": by_alice, "bob": by_bob}


def changelist(client, model: str, **params) -> list:
    response = client.get(reverse(f"admin:annotator_{model}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_renders(admin_client, claims, model):
    assert changelist(admin_client, model)


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_search_renders(admin_client, claims, model):
    url = reverse(f"admin:annotator_{model}_changelist")
    assert admin_client.get(url, {"q": "alice"}).status_code == 200


@pytest.mark.parametrize("model", ["project", "document", "entity", "claim"])
def test_every_add_page_renders(admin_client, claims, model):
    assert admin_client.get(reverse(f"admin:annotator_{model}_add")).status_code == 200


def test_the_claim_change_page_shows_span_text_read_only(admin_client, claims):
    claim = claims["alice"]
    response = admin_client.get(reverse("admin:annotator_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lost control of Aleppo" in html
    assert "The United States" in html
    assert "claim_text" in response.context["adminform"].readonly_fields


def test_the_document_page_lists_its_claims_inline(admin_client, claims, document):
    response = admin_client.get(reverse("admin:annotator_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert "lost control of Aleppo" in response.content.decode()
    # Annotated: the text can no longer change.
    assert "text" in response.context["adminform"].readonly_fields


def test_the_claim_history_page_renders(admin_client, claims):
    url = reverse("admin:annotator_claim_history", args=[claims["alice"].pk])
    assert admin_client.get(url).status_code == 200


def test_claims_filter_by_project(admin_client, claims, project, alice):
    other = create_project("other")
    document = Document.objects.create(project=other, external_id="o", text="Other text.")
    elsewhere = Claim.objects.create(document=document, annotator=alice, claim_start=0, claim_end=5)
    found = changelist(admin_client, "claim", document__project__id__exact=project.pk)
    assert sorted(c.pk for c in found) == sorted(c.pk for c in claims.values())
    assert changelist(admin_client, "claim", document__project__id__exact=other.pk) == [elsewhere]


def test_claims_filter_by_annotator(admin_client, claims, bob):
    assert changelist(admin_client, "claim", annotator__id__exact=bob.pk) == [claims["bob"]]


def test_claims_filter_by_stance(admin_client, claims):
    assert changelist(admin_client, "claim", stance="oppose") == [claims["alice"]]
    assert changelist(admin_client, "claim", stance="support") == [claims["bob"]]


def test_assignments_filter_by_status(admin_client, claims):
    found = changelist(admin_client, "assignment", status="submitted")
    assert [a.annotator.username for a in found] == ["alice"]


def test_accepting_selected_claims_asks_for_a_comment_then_records_reviews(admin_client, claims):
    picked = claims["alice"]
    url = reverse("admin:annotator_claim_changelist")
    asked = admin_client.post(url, {"action": "accept_selected", "_selected_action": [picked.pk]})
    assert asked.status_code == 200
    assert "lost control of Aleppo" in asked.content.decode()  # the page lists what is decided
    assert not Review.objects.filter(claim=picked).exists()
    response = admin_client.post(
        url,
        {"action": "accept_selected", "_selected_action": [picked.pk], "apply": "1"},
        follow=True,
    )
    assert "1 claim accepted" in response.content.decode()
    review = Review.objects.get(claim=picked)
    assert (review.decision, review.comment) == ("accepted", "")
    assert review.reviewer == admin_client.user
    picked.refresh_from_db()
    claims["bob"].refresh_from_db()
    assert picked.review == "accepted"
    assert claims["bob"].review == ""
    assert not Review.objects.filter(claim=claims["bob"]).exists()


def test_rejecting_selected_claims_needs_a_comment_and_records_it(admin_client, claims):
    ids = [c.pk for c in claims.values()]
    url = reverse("admin:annotator_claim_changelist")
    data = {"action": "reject_selected", "_selected_action": ids, "apply": "1"}
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not Review.objects.exists() or not Review.objects.filter(claim__in=ids).exists()
    admin_client.post(url, {**data, "comment": "The speaker is missing."})
    reviews = Review.objects.filter(claim__in=ids, decision="rejected")
    assert [r.comment for r in reviews] == ["The speaker is missing."] * 2
    assert set(Claim.objects.values_list("review", flat=True)) == {"rejected"}
    # Through the service: the history says who decided.
    record = Claim.history.filter(id=ids[0]).first()
    assert (record.review, record.history_user) == ("rejected", admin_client.user)


def test_exporting_selected_documents_gives_their_jsonl_lines(admin_client, claims, project):
    other = Document.objects.create(project=project, external_id="other", text="Other text.")
    Document.objects.create(project=project, external_id="left-out", text="Not selected.")
    seed = Document.objects.get(external_id="seed")
    response = admin_client.post(
        reverse("admin:annotator_document_changelist"),
        {"action": "export_documents", "_selected_action": [seed.pk, other.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert "documents.jsonl" in response["Content-Disposition"]
    lines = [json.loads(raw) for raw in b"".join(response.streaming_content).splitlines()]
    assert sorted(line["id"] for line in lines) == ["other", "seed"]
    by_id = {line["id"]: line for line in lines}
    assert by_id["seed"]["schema"] == "claims/1"
    assert {a["annotator"] for a in by_id["seed"]["annotations"]} == {"alice", "bob"}
    for annotation in by_id["seed"]["annotations"]:
        for claim in annotation["claims"]:
            span = claim["claim"]
            assert seed.text[span["start"] : span["end"]] == span["text"]


def claim_form_data(claim: Claim, **changes) -> dict:
    data = {
        "document": claim.document_id,
        "annotator": claim.annotator_id,
        "is_gold": "",
        "stance": claim.stance,
        "attributes": json.dumps(claim.attributes),
        "note": claim.note,
        "source": claim.source,
        "review": claim.review,
        "origin": "",
        "speaker_entity": claim.speaker_entity_id or "",
        "target_entity": claim.target_entity_id or "",
        "seen_version": claim.version,
    }
    for role in ("claim", "speaker", "cue", "target"):
        for end in ("start", "end"):
            value = getattr(claim, f"{role}_{end}")
            data[f"{role}_{end}"] = "" if value is None else value
    return {**data, **changes}


def test_the_claim_form_saves_a_valid_change(admin_client, claims):
    claim = claims["alice"]
    url = reverse("admin:annotator_claim_change", args=[claim.pk])
    response = admin_client.post(url, claim_form_data(claim, stance="neutral", note="checked"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.stance == "neutral"
    assert claim.note == "checked"
    assert claim.version == 2


def test_the_claim_form_refuses_to_overwrite_a_newer_version(admin_client, claims):
    claim = claims["alice"]
    opened = claim_form_data(claim, stance="neutral")  # the admin opens the form at version 1
    claim.stance, claim.version = "support", 2  # someone else saves meanwhile
    claim.save()
    url = reverse("admin:annotator_claim_change", args=[claim.pk])
    response = admin_client.post(url, opened, follow=True)
    assert "Someone changed this claim" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.stance, claim.version) == ("support", 2)


def test_the_claim_form_refuses_a_span_past_the_end_of_the_text(admin_client, claims):
    claim = claims["alice"]
    end = len(claim.document.text) + 10
    url = reverse("admin:annotator_claim_change", args=[claim.pk])
    response = admin_client.post(url, claim_form_data(claim, claim_end=end))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("past the end of the text" in e for e in errors)
    claim.refresh_from_db()
    assert claim.claim_end == 2526
    assert claim.version == 1


def test_the_claim_form_refuses_an_unknown_stance(admin_client, claims):
    claim = claims["alice"]
    url = reverse("admin:annotator_claim_change", args=[claim.pk])
    response = admin_client.post(url, claim_form_data(claim, stance="against"))
    assert response.status_code == 200
    assert "unknown stance" in str(response.context["adminform"].form.errors)
    claim.refresh_from_db()
    assert claim.stance == "oppose"


def test_the_admin_is_closed_to_non_staff(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:annotator_claim_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
