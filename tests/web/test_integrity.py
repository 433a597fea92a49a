"""Regressions found in review: leaks of other annotators' progress, lost history, work that
never came back, text changed under its offsets, spans dropped quietly."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotator.models import Assignment, Claim, Entity, Suggestion
from annotator.models.workflow import AssignmentStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim, update_claim
from annotator.services.review import review_assignment, review_claims
from annotator.services.workflow import neighbour, submit

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def test_the_status_filter_shows_an_annotator_only_their_own_progress(client, alice, bob, document):
    submit(access_to(bob, document.project), document)  # bob's, not alice's
    client.force_login(alice)
    url = reverse("dashboard", args=[document.project.slug])
    assert document.title not in client.get(url, {"status": "submitted"}).content.decode()
    assert document.title in client.get(url, {"status": "todo"}).content.decode()


def test_entity_counts_in_a_blind_project_are_the_annotators_own(
    client, alice, bob, document, us_claim_payload
):
    entity = Entity.objects.create(project=document.project, name="United States")
    payload = {**us_claim_payload, "speaker": {**us_claim_payload["speaker"], "entity": entity.pk}}
    create_claim(access_to(bob, document.project), document, payload)
    client.force_login(alice)
    html = client.get(reverse("entities", args=[document.project.slug])).content.decode()
    assert ">United States</a></td>" in html
    # bob's use of it is not alice's business: both counts are 0, neither links to claims.
    assert html.count("<td>0</td>") == 2 and "?speaker=" not in html


def test_a_review_decision_is_kept_in_the_claims_history(alice, rita, document, us_claim_payload):
    claim = create_claim(access_to(alice, document.project), document, us_claim_payload)
    review_claims(rita, [claim], "rejected")
    latest = claim.history.latest("history_date")
    assert latest.review == "rejected" and latest.history_user == rita


def test_rejected_work_goes_back_to_its_annotator(alice, rita, document, us_claim_payload):
    access = access_to(alice, document.project)
    create_claim(access, document, us_claim_payload)
    submit(access, document)
    assignment = Assignment.objects.get(document=document, annotator=alice)
    review_assignment(rita, assignment, "rejected", "the stance is wrong")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.review) == (AssignmentStatus.IN_PROGRESS, "rejected")
    assert neighbour(access, None) == document  # among alice's next documents again
    claim = Claim.objects.get(document=document)
    update_claim(access_to(alice, document.project), claim, {"stance": "support"}, 1)
    submit(access_to(alice, document.project), document)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.review) == (AssignmentStatus.SUBMITTED, "")


def test_a_documents_text_cannot_change_once_suggestions_point_into_it(document):
    Suggestion.objects.create(document=document, claim_start=100, claim_end=120)
    document.text = document.text[:50]
    with pytest.raises(ValidationError, match="cannot change"):
        document.save()


def test_a_save_with_a_span_outside_the_text_is_refused_not_trimmed(client, alice, document):
    claim = create_claim(
        access_to(alice, document.project),
        document,
        {"claim": {"start": 2504, "end": 2526}, "speaker": {"start": 2459, "end": 2476}},
    )
    client.force_login(alice)
    data = {
        "claim_id": claim.pk,
        "version": 1,
        "claim_start": 2504,
        "claim_end": 2526,
        "speaker_start": 2459,
        "speaker_end": 10**9,
        "stance": "",
    }
    html = client.post(reverse("claim-save", args=[document.pk]), data, headers=HX).content.decode()
    assert "past the end of the text" in html
    claim.refresh_from_db()
    assert (claim.speaker_start, claim.speaker_end, claim.version) == (2459, 2476, 1)


def test_an_annotation_set_with_a_list_for_status_is_refused_naming_the_line(project, tmp_path):
    line = {
        "id": "x",
        "text": "Some text.",
        "annotations": [{"annotator": "alice", "status": ["submitted"]}],
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1"):
        call_command("import_annotations", project.slug, str(path))
