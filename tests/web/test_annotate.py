"""The annotate page and its htmx endpoints: claim form, draft actions, save, delete, entities,
and the page's query count and server time on a long article with many claims."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.highlights import blocks_of
from annotator.models import Assignment, Claim, Document, Entity, Suggestion
from annotator.services.access import access_to
from annotator.services.claims import create_claim, update_claim
from tests.conftest import SEED_TEXT, span

HX = {"HX-Request": "true"}
# An emoji and an Arabic name before the selection, so UTF-16 offsets differ from code points.
MIXED = "😀 Live: محمد said  “the envoy arrived”  today.\r\nThe ministry said nothing."


def u16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def value(html: str, name: str) -> str:
    """The value of the form input called ``name`` in a rendered fragment."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no input {name!r}"
    return match.group(1)


def span_of(html: str, role: str) -> tuple[int, int] | None:
    start, end = value(html, f"{role}_start"), value(html, f"{role}_end")
    return (int(start), int(end)) if start else None


@pytest.fixture
def mixed(project, alice) -> Document:
    document = Document.objects.create(project=project, external_id="mixed", text=MIXED)
    Assignment.objects.create(document=document, annotator=alice)
    return document


@pytest.fixture
def assad(project) -> Entity:
    return Entity.objects.create(
        project=project, name="Bashar al-Assad", aliases=["Al Assad", "Assad"]
    )


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def us_claim(alice, project, document, us_claim_payload) -> Claim:
    return create_claim(access_to(alice, project), document, us_claim_payload)


def draft(client, document, **data):
    return client.post(reverse("claim-draft", args=[document.pk]), data, headers=HX)


def save(client, document, **data):
    return client.post(reverse("claim-save", args=[document.pk]), data, headers=HX)


def claim_fields(claim: Claim, **changes) -> dict:
    """The claim form's fields for an existing claim, as the browser would post them."""
    fields = {"claim_id": claim.pk, "version": claim.version, "stance": claim.stance}
    for role, s in claim.spans().items():
        fields[f"{role}_start"] = "" if s is None else s.start
        fields[f"{role}_end"] = "" if s is None else s.end
    fields["note"] = claim.note
    return {**fields, **changes}


# The page -----------------------------------------------------------------------------------


def test_the_annotate_page_shows_the_article_with_my_claims_highlighted(
    alice_client, document, us_claim
):
    response = alice_client.get(reverse("annotate", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-owners="c{us_claim.pk}"' in html
    assert '<span class="h-claim" data-u="2504"' in html
    assert f'data-claim-id="{us_claim.pk}"' in html  # in "My claims"
    assert "lost control of Aleppo" in html
    assert 'id="claim-form"' in html and "New claim" in html
    assert f'data-u16-length="{u16(SEED_TEXT, len(SEED_TEXT))}"' in html
    assert 'id="submit-doc"' in html


def test_the_article_pieces_carry_utf16_offsets(alice_client, mixed):
    html = alice_client.get(reverse("annotate", args=[mixed.pk])).content.decode()
    start = MIXED.index("Live")
    assert '<span data-u="0">😀 Live: محمد said  “the envoy arrived”  today.</span>' in html
    assert start == 2 and u16(MIXED, start) == 3
    crlf = MIXED.index("\r\n")
    assert f'<span class="nl" data-u="{crlf + 1}" data-n="2">\n</span>' in html
    assert f'<span data-u="{crlf + 3}">The ministry said nothing.</span>' in html


def test_a_claim_in_the_query_becomes_the_current_one(alice_client, document, us_claim):
    url = reverse("annotate", args=[document.pk]) + f"?claim={us_claim.pk}"
    html = alice_client.get(url).content.decode()
    assert f"Claim {us_claim.pk}</h2>" in html
    assert span_of(html, "claim") == (2504, 2526)
    assert value(html, "version") == "1"
    assert 'value="oppose" checked' in html


def test_the_new_claim_form_is_a_fragment_for_htmx(alice_client, document):
    url = reverse("claim-new", args=[document.pk])
    response = alice_client.get(url, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="claim-form"')
    assert "<html" not in html and "New claim</h2>" in html
    assert value(html, "claim_id") == ""


def test_the_new_claim_form_without_htmx_goes_to_the_page(alice_client, document):
    response = alice_client.get(reverse("claim-new", args=[document.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("annotate", args=[document.pk])


def test_an_existing_claim_form_holds_its_spans_entities_and_version(
    alice_client, alice, project, document, us_claim, assad
):
    claim = update_claim(access_to(alice, project), us_claim, {"target": {"entity": "Assad"}}, 1)
    html = alice_client.get(reverse("claim-form", args=[claim.pk]), headers=HX).content.decode()
    assert f"Claim {claim.pk}</h2>" in html and "<html" not in html
    assert span_of(html, "speaker") == tuple(span(SEED_TEXT, "The United States", 2400).values())
    assert value(html, "target_entity") == str(assad.pk)
    assert 'Target entity: <strong class="entity-chip">Bashar al-Assad</strong>' in html
    assert value(html, "version") == "2"
    assert "“lost control of Aleppo”" in html


def test_an_existing_claim_form_without_htmx_opens_the_page_on_it(alice_client, us_claim):
    response = alice_client.get(reverse("claim-form", args=[us_claim.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/d/{us_claim.document_id}/?claim={us_claim.pk}"


# Draft actions ------------------------------------------------------------------------------


def test_set_role_turns_a_utf16_selection_after_an_emoji_into_code_points(alice_client, mixed):
    start = MIXED.index("the envoy arrived")
    end = start + len("the envoy arrived")
    response = draft(
        alice_client,
        mixed,
        set_role="claim",
        sel_start=u16(MIXED, start),
        sel_end=u16(MIXED, end),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert u16(MIXED, start) == start + 1  # the emoji takes two UTF-16 units
    assert span_of(html, "claim") == (start, end)
    assert "“the envoy arrived”" in html


def test_set_role_takes_arabic_as_the_speaker(alice_client, mixed):
    start = MIXED.index("محمد")
    html = draft(
        alice_client,
        mixed,
        set_role="speaker",
        sel_start=u16(MIXED, start),
        sel_end=u16(MIXED, start + 4),
    ).content.decode()
    assert span_of(html, "speaker") == (start, start + 4)
    assert MIXED[start : start + 4] == "محمد"
    assert value(html, "active_role") == "speaker"


def test_set_role_trims_whitespace_from_the_selection(alice_client, mixed):
    start = MIXED.index("  “the envoy")
    end = MIXED.index("  today") + 2
    html = draft(
        alice_client,
        mixed,
        set_role="claim",
        sel_start=u16(MIXED, start),
        sel_end=u16(MIXED, end),
    ).content.decode()
    assert span_of(html, "claim") == (start + 2, end - 2)
    assert MIXED[start + 2 : end - 2] == "“the envoy arrived”"


def test_set_role_keeps_the_rest_of_the_draft(alice_client, mixed):
    said = MIXED.index("said")
    claim = MIXED.index("“the")
    html = draft(
        alice_client,
        mixed,
        set_role="cue",
        sel_start=u16(MIXED, said),
        sel_end=u16(MIXED, said + 4),
        claim_start=claim,
        claim_end=claim + 19,
        stance="support",
        attr_quote_type="direct",
        note="keep me",
    ).content.decode()
    assert span_of(html, "cue") == (said, said + 4)
    assert span_of(html, "claim") == (claim, claim + 19)
    assert 'value="support" checked' in html
    assert '<option value="direct" selected>' in html
    assert ">keep me</textarea>" in html


@pytest.mark.parametrize(
    ("sel_start", "sel_end", "message"),
    [
        ("", "", "select some text in the article first"),
        ("5", "5", "select some text in the article first"),
        ("1", "5", "splits a character in two"),
        ("8", "9", "only whitespace"),
        ("0", "9999", "outside the text"),
    ],
)
def test_set_role_refuses_a_selection_it_cannot_use(
    alice_client, mixed, sel_start, sel_end, message
):
    assert MIXED[7] == " "  # UTF-16 8..9 is the space after "Live:"
    html = draft(
        alice_client, mixed, set_role="claim", sel_start=sel_start, sel_end=sel_end
    ).content.decode()
    assert 'role="alert"' in html and message in html
    assert span_of(html, "claim") is None


def test_clear_role_drops_the_span(alice_client, mixed):
    html = draft(
        alice_client, mixed, clear_role="cue", cue_start=2, cue_end=6, claim_start=2, claim_end=6
    ).content.decode()
    assert span_of(html, "cue") is None
    assert span_of(html, "claim") == (2, 6)


def test_pick_entity_links_an_entity_to_the_role(alice_client, mixed, assad):
    html = draft(alice_client, mixed, pick_entity=f"target:{assad.pk}").content.decode()
    assert value(html, "target_entity") == str(assad.pk)
    assert value(html, "speaker_entity") == ""
    assert "Target entity: <strong" in html and "Bashar al-Assad" in html


def test_pick_entity_refuses_another_projects_entity(alice_client, mixed, project):
    from annotator.services.projects import create_project

    other = create_project("elsewhere")
    foreign = Entity.objects.create(project=other, name="Foreign")
    html = draft(alice_client, mixed, pick_entity=f"speaker:{foreign.pk}").content.decode()
    assert "that entity does not exist" in html
    assert value(html, "speaker_entity") == ""


def test_create_entity_makes_a_new_entity_and_links_it(alice_client, mixed, project):
    html = draft(
        alice_client, mixed, create_entity="speaker", speaker_entity_q="  Ministry of Health "
    ).content.decode()
    entity = Entity.objects.get(project=project, name="Ministry of Health")
    assert value(html, "speaker_entity") == str(entity.pk)


def test_create_entity_refuses_a_name_that_exists(alice_client, mixed, assad):
    html = draft(
        alice_client, mixed, create_entity="speaker", speaker_entity_q="bashar AL-assad"
    ).content.decode()
    assert "already exists" in html
    assert Entity.objects.count() == 1


def test_enter_in_the_entity_box_picks_an_entity_by_alias(alice_client, mixed, assad):
    html = draft(
        alice_client, mixed, entity_enter="target", target_entity_q="Al Assad"
    ).content.decode()
    assert value(html, "target_entity") == str(assad.pk)
    assert "Bashar al-Assad" in html
    assert Entity.objects.count() == 1


def test_enter_in_the_entity_box_picks_an_entity_by_name_in_any_case(alice_client, mixed, assad):
    html = draft(
        alice_client, mixed, entity_enter="speaker", speaker_entity_q="BASHAR AL-ASSAD"
    ).content.decode()
    assert value(html, "speaker_entity") == str(assad.pk)
    assert Entity.objects.count() == 1


def test_enter_in_the_entity_box_creates_an_unknown_entity(alice_client, mixed, project, assad):
    html = draft(
        alice_client, mixed, entity_enter="speaker", speaker_entity_q="United States"
    ).content.decode()
    entity = Entity.objects.get(project=project, name="United States")
    assert value(html, "speaker_entity") == str(entity.pk)
    assert Entity.objects.count() == 2


def test_enter_in_an_empty_entity_box_is_refused(alice_client, mixed):
    html = draft(alice_client, mixed, entity_enter="speaker", speaker_entity_q=" ").content.decode()
    assert "an entity needs a name" in html
    assert not Entity.objects.exists()


def test_clear_entity_unlinks_it(alice_client, mixed, assad):
    html = draft(
        alice_client, mixed, clear_entity="target", target_entity=assad.pk
    ).content.decode()
    assert value(html, "target_entity") == ""


def test_a_draft_action_writes_no_claim(alice_client, mixed):
    draft(alice_client, mixed, set_role="claim", sel_start=3, sel_end=8)
    assert not Claim.objects.exists()


# Entity search ------------------------------------------------------------------------------


def test_entity_search_finds_by_name_and_by_alias(alice_client, project, mixed, assad):
    Entity.objects.create(project=project, name="United States", aliases=["Washington"])
    url = reverse("entity-search", args=[project.slug])
    by_alias = alice_client.get(
        url, {"role": "target", "target_entity_q": "washing", "document": mixed.pk}, headers=HX
    ).content.decode()
    assert "United States" in by_alias and "Bashar" not in by_alias
    assert f'value="target:{Entity.objects.get(name="United States").pk}"' in by_alias
    assert reverse("claim-draft", args=[mixed.pk]) in by_alias
    assert "Create entity “washing”" in by_alias
    by_name = alice_client.get(
        url, {"role": "speaker", "speaker_entity_q": "bashar al-assad"}
    ).content.decode()
    assert f'value="speaker:{assad.pk}"' in by_name
    assert "Create entity" not in by_name  # an exact name needs no new entity


def test_entity_search_with_no_match_offers_to_create(alice_client, project, assad):
    url = reverse("entity-search", args=[project.slug])
    html = alice_client.get(url, {"role": "speaker", "speaker_entity_q": "Putin"}).content.decode()
    assert "Bashar" not in html
    assert 'name="create_entity" value="speaker"' in html and "“Putin”" in html


# Save ---------------------------------------------------------------------------------------


def test_save_creates_the_claim_and_swaps_the_list_and_article(
    alice_client, alice, document, us_claim_payload, assad
):
    p = us_claim_payload
    response = save(
        alice_client,
        document,
        claim_start=p["claim"]["start"],
        claim_end=p["claim"]["end"],
        speaker_start=p["speaker"]["start"],
        speaker_end=p["speaker"]["end"],
        cue_start=p["cue"]["start"],
        cue_end=p["cue"]["end"],
        target_start=p["target"]["start"],
        target_end=p["target"]["end"],
        target_entity=assad.pk,
        stance="oppose",
        attr_quote_type="direct",
        note="from the wire",
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert (claim.annotator, claim.document, claim.is_gold) == (alice, document, False)
    assert claim.span_text("claim") == "lost control of Aleppo"
    assert claim.span_text("speaker") == "The United States"
    assert claim.span_text("cue") == "said"
    assert claim.span_text("target") == "Al Assad"
    assert claim.target_entity == assad
    assert (claim.stance, claim.attributes, claim.note) == (
        "oppose",
        {"quote_type": "direct"},
        "from the wire",
    )
    html = response.content.decode()
    # After a save no claim is current: the form is a new claim, the saved one is listed.
    assert f"Saved. Claim {claim.pk} is in the list" in html and "New claim</h2>" in html
    assert value(html, "claim_id") == "" and value(html, "version") == ""
    assert f'data-claim-id="{claim.pk}"' in html
    assert (
        '<section id="claim-list" class="claim-list" aria-labelledby="claims-h" hx-swap-oob' in html
    )
    # Only the article's block that holds the claim is swapped, not the whole article.
    block = blocks_of(SEED_TEXT, [(claim.claim_start, claim.claim_end)])
    assert 'id="article"' not in html and len(block) == 1
    assert re.findall(r'<span class="block" id="(block-\d+)" hx-swap-oob="true">', html) == [
        f"block-{block.pop()}"
    ]
    assert f'data-owners="c{claim.pk}"' in html
    assert Assignment.objects.get(document=document, annotator=alice).status == "in_progress"
    # The status badge follows the assignment without a reload.
    badge = '<span id="doc-status" hx-swap-oob="true"> · <span class="badge status-in_progress">'
    assert badge in html


def test_save_without_a_claim_span_is_refused(alice_client, document):
    html = save(alice_client, document, stance="oppose", note="n").content.decode()
    assert "a claim needs its claim span" in html
    assert not Claim.objects.exists()
    assert ">n</textarea>" in html  # the draft is kept


def test_save_refuses_an_unknown_stance(alice_client, document):
    html = save(alice_client, document, claim_start=0, claim_end=5, stance="bogus").content.decode()
    assert "unknown stance" in html
    assert not Claim.objects.exists()


def test_save_updates_a_claim_with_its_version(alice_client, document, us_claim):
    fields = claim_fields(
        us_claim, stance="neutral", note="second thoughts", cue_start="", cue_end=""
    )
    html = save(alice_client, document, **fields).content.decode()
    us_claim.refresh_from_db()
    assert (us_claim.version, us_claim.stance, us_claim.note) == (2, "neutral", "second thoughts")
    assert us_claim.cue_start is None
    assert "Saved." in html and value(html, "claim_id") == ""
    assert Claim.objects.count() == 1


def test_it_refuses_a_stale_version_and_shows_the_fresh_claim(
    alice_client, alice, project, document, us_claim
):
    # Another tab saved the claim since this form was loaded.
    update_claim(access_to(alice, project), us_claim, {"note": "from the other tab"}, 1)
    html = save(
        alice_client, document, **claim_fields(us_claim, version=1, note="mine", stance="support")
    ).content.decode()
    us_claim.refresh_from_db()
    assert (us_claim.version, us_claim.note, us_claim.stance) == (2, "from the other tab", "oppose")
    assert "changed by someone else" in html and 'role="alert"' in html
    # The form now holds the fresh claim, ready to edit again.
    assert value(html, "version") == "2"
    assert ">from the other tab</textarea>" in html
    assert 'value="oppose" checked' in html
    assert 'id="claim-list"' in html


def test_save_refuses_a_missing_version(alice_client, document, us_claim):
    html = save(
        alice_client, document, **claim_fields(us_claim, version="", note="x")
    ).content.decode()
    assert "send the version" in html
    us_claim.refresh_from_db()
    assert us_claim.note == ""


def test_save_refuses_a_claim_of_another_document(alice_client, alice, project, mixed, us_claim):
    response = save(alice_client, mixed, **claim_fields(us_claim, note="moved"))
    assert response.status_code == 404
    us_claim.refresh_from_db()
    assert us_claim.note == ""


# Delete -------------------------------------------------------------------------------------


def test_delete_with_the_current_version_removes_the_claim(alice_client, document, us_claim):
    response = alice_client.post(
        reverse("claim-delete", args=[us_claim.pk]), {"version": 1}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Claim.objects.exists()
    assert "Deleted." in html and "New claim</h2>" in html
    assert "No claims yet." in html
    assert f'data-owners="c{us_claim.pk}"' not in html


def test_delete_without_htmx_goes_back_to_the_page(alice_client, document, us_claim):
    response = alice_client.post(reverse("claim-delete", args=[us_claim.pk]), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("annotate", args=[document.pk])
    assert not Claim.objects.exists()


def test_delete_with_a_stale_version_is_refused(alice_client, alice, project, us_claim):
    update_claim(access_to(alice, project), us_claim, {"note": "newer"}, 1)
    html = alice_client.post(
        reverse("claim-delete", args=[us_claim.pk]), {"version": 1}, headers=HX
    ).content.decode()
    assert Claim.objects.filter(pk=us_claim.pk, version=2).exists()
    assert "changed by someone else" in html
    assert value(html, "version") == "2" and ">newer</textarea>" in html


def test_delete_without_a_version_is_refused(alice_client, us_claim):
    html = alice_client.post(
        reverse("claim-delete", args=[us_claim.pk]), headers=HX
    ).content.decode()
    assert "send the version" in html
    assert Claim.objects.filter(pk=us_claim.pk).exists()


# Suggestions --------------------------------------------------------------------------------


@pytest.fixture
def suggestion(document, assad) -> Suggestion:
    """The detector's proposal of the US claim, with Al Assad linked as the target."""
    sentence = SEED_TEXT.index("The United States, meanwhile")
    claim, speaker = span(SEED_TEXT, "lost control of Aleppo"), span(SEED_TEXT, "The United")
    target = span(SEED_TEXT, "Al Assad", sentence)
    return Suggestion.objects.create(
        document=document,
        claim_start=claim["start"],
        claim_end=claim["end"],
        speaker_start=speaker["start"],
        speaker_end=speaker["end"] + 7,
        target_start=target["start"],
        target_end=target["end"],
        target_entity=assad,
        stance="oppose",
        stance_is_guess=True,
    )


def test_the_annotate_page_lists_and_highlights_suggestions(alice_client, document, suggestion):
    html = alice_client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert 'Suggestions <span class="count">1</span>' in html
    assert f'data-suggestion-id="{suggestion.pk}"' in html
    assert f'data-owners="s{suggestion.pk}"' in html and "s-claim" in html


def test_a_suggestion_card_is_a_fragment_for_htmx(alice_client, document, suggestion):
    url = reverse("suggestion", args=[suggestion.pk])
    html = alice_client.get(url, headers=HX).content.decode()
    assert "<html" not in html and f'data-suggestion-id="{suggestion.pk}"' in html
    assert "“lost control of Aleppo”" in html and "→ Bashar al-Assad" in html
    assert "the detector's guess from the cue" in html
    assert re.search(r'value="oppose" checked', html)  # the guess, ready to confirm with a
    assert re.search(r"oppose <em class=\"guess\">\(guess\)</em>", html)  # marked as one
    response = alice_client.get(url)
    assert response["Location"] == f"/d/{document.pk}/?suggestion={suggestion.pk}"
    page = alice_client.get(response["Location"]).content.decode()
    assert 'id="suggestion-accept"' in page


def test_accepting_a_suggestion_makes_it_my_claim(alice_client, alice, document, suggestion):
    response = alice_client.post(reverse("suggestion-accept", args=[suggestion.pk]), headers=HX)
    claim = Claim.objects.get()
    assert (claim.annotator, claim.source, claim.stance) == (alice, "suggestion", "oppose")
    assert claim.span_text("claim") == "lost control of Aleppo"
    assert claim.target_entity.name == "Bashar al-Assad"
    html = response.content.decode()
    assert f"Suggestion accepted as claim {claim.pk} (oppose)" in html
    assert "New claim</h2>" in html  # a saved claim: none is current
    assert f'data-suggestion-id="{suggestion.pk}"' not in html  # answered: off the list
    again = alice_client.post(reverse("suggestion-accept", args=[suggestion.pk]), headers=HX)
    assert "you have already answered this suggestion" in again.content.decode()
    assert Claim.objects.count() == 1


def test_dismissing_a_suggestion_hides_it_for_me_only(alice_client, bob, document, suggestion):
    response = alice_client.post(reverse("suggestion-dismiss", args=[suggestion.pk]), headers=HX)
    assert not Claim.objects.exists()
    assert f'data-suggestion-id="{suggestion.pk}"' not in response.content.decode()
    page = alice_client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert f'data-owners="s{suggestion.pk}"' not in page
    bobs = Client()
    bobs.force_login(bob)
    assert (
        f'data-owners="s{suggestion.pk}"'
        in bobs.get(reverse("annotate", args=[document.pk])).content.decode()
    )


# Query count and server time ----------------------------------------------------------------

SENTENCE = (
    "Minister {n} said on Tuesday that the talks with the delegation were “constructive”, "
    "while critics argued the plan would fail. "
)


def _long_article(project, alice, claims: int, suggestions: int = 0) -> Document:
    """A ~20,000-character article with ``claims`` claims by alice: speakers and targets with
    entities, and overlapping and nested claim spans; optionally detector suggestions."""
    text = ""
    n = 0
    while len(text) < 20_000:
        text += SENTENCE.format(n=n)
        n += 1
    text = text[:20_000]
    document = Document.objects.create(project=project, external_id=f"long-{claims}", text=text)
    Assignment.objects.create(document=document, annotator=alice)
    entities = [
        Entity.objects.create(project=project, name=f"Entity {claims}-{i}") for i in range(10)
    ]
    step = (len(text) - 300) // claims
    rows = []
    for i in range(claims):
        start = i * step
        # Every claim overlaps the next one; every fifth holds a nested claim.
        end = start + step + 40 if i % 5 else start + 200
        rows.append(
            Claim(
                document=document,
                annotator=alice,
                claim_start=start + 10,
                claim_end=end,
                speaker_start=start,
                speaker_end=start + 9,
                speaker_entity=entities[i % 10],
                cue_start=start + 10,
                cue_end=start + 14,
                target_start=start + 20,
                target_end=start + 30,
                target_entity=entities[(i + 3) % 10],
                stance=("support", "oppose", "neutral")[i % 3],
                attributes={"quote_type": "direct"},
            )
        )
    Claim.objects.bulk_create(rows)
    Suggestion.objects.bulk_create(
        Suggestion(
            document=document,
            claim_start=i * 90 + 5,
            claim_end=i * 90 + 60,
            speaker_start=i * 90,
            speaker_end=i * 90 + 5,
            speaker_entity=entities[i % 10],
            stance="support",
        )
        for i in range(suggestions)
    )
    return document


def _queries(client, document) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("annotate", args=[document.pk]))
    assert response.status_code == 200
    return len(captured)


# Session, user, document with project, role, assignment check, claims with their entities,
# the annotator's assignment, pending suggestions with their entities, the assignment's reviews.
ANNOTATE_PAGE_QUERIES = 7


def test_the_annotate_page_query_count_does_not_grow_with_claims(
    alice_client, project, alice, django_assert_max_num_queries
):
    small = _long_article(project, alice, 20, suggestions=2)
    large = _long_article(project, alice, 200, suggestions=20)
    _queries(alice_client, small)  # warm up the session
    assert _queries(alice_client, small) == _queries(alice_client, large) == ANNOTATE_PAGE_QUERIES
    with django_assert_max_num_queries(ANNOTATE_PAGE_QUERIES):
        response = alice_client.get(reverse("annotate", args=[large.pk]))
    html = response.content.decode()
    assert html.count('class="claim-link"') == 200
    assert html.count('class="claim-link suggestion-link"') == 20
    assert "s-claim" in html
    assert "depth-2" in html and "h-speaker" in html and "h-target" in html


def test_the_annotate_page_server_time_of_a_long_article(alice_client, project, alice, capsys):
    """Median of 50 GETs through the test client, printed for the record (not asserted)."""
    document = _long_article(project, alice, 200)
    url = reverse("annotate", args=[document.pk])
    alice_client.get(url)
    times = []
    for _ in range(50):
        began = time.perf_counter()
        response = alice_client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200
    median = statistics.median(times) * 1000
    with capsys.disabled():
        print(
            f"\nannotate page, {len(document.text)} characters, 200 claims, "
            f"{connection.vendor}: median {median:.1f} ms over 50 GETs "
            f"(p95 {statistics.quantiles(times, n=20)[-1] * 1000:.1f} ms)"
        )
