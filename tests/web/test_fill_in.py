"""What the annotate page fills in by itself, so a claim takes fewer actions: the entity a
span names, the cue beside the speaker, a suggestion accepted with a stance in one step."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotator.models import Claim, Entity, Suggestion, SuggestionDecision
from tests.conftest import SEED_TEXT
from tests.web.test_annotate import HX, draft, span_of, u16, value

pytestmark = pytest.mark.django_db
US = SEED_TEXT.index("The United States, meanwhile")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def entities(project) -> dict[str, Entity]:
    return {
        "us": Entity.objects.create(project=project, name="United States", aliases=["US"]),
        "assad": Entity.objects.create(
            project=project, name="Bashar al-Assad", aliases=["Al Assad", "Assad"]
        ),
    }


def selection(needle: str, after: int = US) -> dict[str, int]:
    start = SEED_TEXT.index(needle, after)
    return {"sel_start": u16(SEED_TEXT, start), "sel_end": u16(SEED_TEXT, start + len(needle))}


def test_a_speaker_span_links_the_entity_it_names(alice_client, document, entities):
    html = draft(
        alice_client, document, set_role="speaker", **selection("The United States")
    ).content.decode()
    assert value(html, "speaker_entity") == str(entities["us"].pk)  # "the" dropped
    assert 'id="speaker-entity-auto">linked by its name' in html
    assert "Unlink speaker entity" in html  # one action undoes it


def test_a_target_span_links_an_entity_by_its_alias(alice_client, document, entities):
    html = draft(
        alice_client, document, set_role="target", **selection("Al Assad")
    ).content.decode()
    assert value(html, "target_entity") == str(entities["assad"].pk)


def test_an_entity_already_linked_is_kept_and_no_match_links_nothing(
    alice_client, document, entities
):
    html = draft(
        alice_client,
        document,
        set_role="speaker",
        speaker_entity=entities["assad"].pk,
        **selection("The United States"),
    ).content.decode()
    assert value(html, "speaker_entity") == str(entities["assad"].pk)
    html = draft(alice_client, document, set_role="speaker", **selection("Aleppo")).content.decode()
    assert value(html, "speaker_entity") == "" and "linked by its name" not in html


def test_claim_and_speaker_bring_the_cue_beside_them(alice_client, document):
    claim = SEED_TEXT.index("lost control of Aleppo")
    html = draft(
        alice_client,
        document,
        set_role="speaker",
        claim_start=claim,
        claim_end=claim + len("lost control of Aleppo"),
        **selection("The United States"),
    ).content.decode()
    said = SEED_TEXT.index("said", US)
    assert span_of(html, "cue") == (said, said + 4)
    assert 'id="cue-auto">found beside the speaker' in html
    assert "Clear cue" in html


def test_a_cue_already_set_is_kept(alice_client, document):
    claim = SEED_TEXT.index("lost control of Aleppo")
    html = draft(
        alice_client,
        document,
        set_role="speaker",
        claim_start=claim,
        claim_end=claim + 22,
        cue_start=US,
        cue_end=US + 3,
        **selection("The United States"),
    ).content.decode()
    assert span_of(html, "cue") == (US, US + 3)


def test_a_complete_draft_tells_the_page_that_a_stance_key_saves(alice_client, document, project):
    project.scheme = {**project.scheme, "stance_saves": True}
    project.save()
    claim = SEED_TEXT.index("lost control of Aleppo")
    fields = {"claim_start": claim, "claim_end": claim + 22}
    html = draft(alice_client, document, set_role="cue", **fields, **selection("said")).content
    assert 'data-stance-saves=""' in html.decode()  # no speaker yet
    html = draft(alice_client, document, set_role="speaker", **fields, **selection("The United"))
    assert 'data-stance-saves="1"' in html.content.decode()


@pytest.fixture
def suggestion(document) -> Suggestion:
    claim = SEED_TEXT.index("lost control of Aleppo")
    return Suggestion.objects.create(
        document=document,
        claim_start=claim,
        claim_end=claim + 22,
        speaker_start=US,
        speaker_end=US + 17,
        stance="support",
        stance_is_guess=True,
    )


def test_a_suggestion_is_accepted_with_the_stance_chosen_in_the_same_step(
    alice_client, document, suggestion
):
    url = reverse("suggestion-accept", args=[suggestion.pk])
    html = alice_client.post(url, {"stance": "oppose"}, headers=HX).content.decode()
    claim = Claim.objects.get()
    assert (claim.stance, claim.source) == ("oppose", "suggestion")
    assert f"Suggestion accepted as claim {claim.pk} (oppose)" in html
    assert SuggestionDecision.objects.get().claim == claim


def test_a_suggestion_card_starts_a_new_claim_from_a_selection(alice_client, document, suggestion):
    card = alice_client.get(reverse("suggestion", args=[suggestion.pk]), headers=HX)
    buttons = re.findall(r'name="set_role" value="(\w+)"', card.content.decode())
    assert buttons == ["claim", "speaker", "cue", "target"]
    # The card's own fields post along: the suggestion's stance does not become the draft's.
    html = draft(
        alice_client, document, set_role="claim", stance="", **selection("lost control")
    ).content.decode()
    assert "New claim</h2>" in html and span_of(html, "claim") is not None
    assert not Claim.objects.exists()
