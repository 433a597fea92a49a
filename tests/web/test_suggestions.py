"""Suggestions on the web: usefulness counts for the manager; dismissing leaves claims alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Suggestion, SuggestionDecision
from annotator.services.access import access_to
from annotator.services.claims import create_claim, update_claim
from annotator.services.suggestions import accept, dismiss, suggest_documents, usefulness

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggested(document):
    suggest_documents(document.project, [document.pk])
    return list(Suggestion.objects.filter(document=document).order_by("claim_start"))


def test_dismissing_a_suggestion_never_touches_the_annotators_claims(
    document, alice, suggested, us_claim_payload
):
    access = access_to(alice, document.project)
    own = create_claim(access, document, us_claim_payload)
    # Dismiss the suggestion that proposes the very same claim span.
    same = next(
        s for s in suggested if (s.claim_start, s.claim_end) == (own.claim_start, own.claim_end)
    )
    before = Claim.objects.values().get(pk=own.pk)
    dismiss(access, same)
    assert Claim.objects.values().get(pk=own.pk) == before
    assert Claim.objects.filter(document=document).count() == 1
    assert SuggestionDecision.objects.get(suggestion=same).claim is None


def test_usefulness_counts_accepted_edited_and_dismissed(document, alice, bob, suggested):
    alices, bobs = access_to(alice, document.project), access_to(bob, document.project)
    accept(alices, suggested[0])
    edited = accept(alices, suggested[1])
    update_claim(alices, edited, {"stance": "support"}, edited.version)
    dismiss(bobs, suggested[0])
    counts = usefulness(document.project)
    assert counts["accepted"] == 1
    assert counts["edited"] == 1
    assert counts["dismissed"] == 1
    assert counts["open"] == len(suggested) - 2


def test_the_manager_sees_the_counts_on_the_dashboard(client, mia, document, alice, suggested):
    accept(access_to(alice, document.project), suggested[0])
    client.force_login(mia)
    html = client.get(reverse("dashboard", args=[document.project.slug])).content.decode()
    assert "How useful were the suggestions?" in html
    assert "Accepted as proposed: <strong>1</strong>" in html


def test_an_annotator_cannot_answer_the_same_suggestion_twice(document, alice, suggested):
    access = access_to(alice, document.project)
    dismiss(access, suggested[0])
    with pytest.raises(Exception, match="already answered"):
        accept(access, suggested[0])
    assert not Claim.objects.filter(document=document).exists()


def test_a_split_quote_is_stored_and_accepted_with_its_fragments(project, alice, client):
    text = "Port news 🚢\r\n“We will win,” Ada Nwosu said, “and then we rebuild.”\r\n"
    document = Document.objects.create(project=project, external_id="split", title="t", text=text)
    Assignment.objects.create(document=document, annotator=alice)
    suggest_documents(project, [document.pk])
    (suggestion,) = Suggestion.objects.filter(document=document)
    pieces = suggestion.fragments_of("claim")
    assert [text[f.start : f.end] for f in pieces] == ["We will win", "and then we rebuild"]
    client.force_login(alice)
    card = client.get(reverse("suggestion", args=[suggestion.pk]), headers={"HX-Request": "true"})
    assert "“We will win … and then we rebuild”" in card.content.decode()  # not "Ada … said"
    claim = accept(access_to(alice, project), suggestion)
    claim.refresh_from_db()
    assert [text[f.start : f.end] for f in claim.fragments_of("claim")] == [
        "We will win",
        "and then we rebuild",
    ]
    assert (claim.claim_start, claim.claim_end) == (pieces[0].start, pieces[-1].end)
    assert text[claim.speaker_start : claim.speaker_end] == "Ada Nwosu"
