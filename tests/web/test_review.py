"""Review: the queue, the side-by-side page, decisions with comments, gold, agreement."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Entity, Review
from annotator.models.document import GoldStatus
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.review import review_assignment, take_into_gold
from tests.conftest import SEED_TEXT, span

HX = {"HX-Request": "true"}


def add(user, document, needle: str, **extra) -> Claim:
    payload = {"claim": span(document.text, needle), **extra}
    return create_claim(access_to(user, document.project), document, payload)


def submit(document, *users) -> None:
    Assignment.objects.filter(document=document, annotator__in=users).update(
        status="submitted", submitted_at="2024-12-01T10:00:00Z"
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def rita_client(client, rita):
    client.force_login(rita)
    return client


@pytest.fixture
def work(project, document, alice, bob) -> dict[str, Claim]:
    """alice and bob both marked "lost control of Aleppo", with different stances; only alice
    marked "Syria continues"; both submitted."""
    claims = {
        "alice": add(alice, document, "lost control of Aleppo", stance="oppose"),
        "alice_only": add(alice, document, "Syria continues", stance="support"),
        "bob": add(bob, document, "lost control of Aleppo", stance="support"),
    }
    submit(document, alice, bob)
    return claims


# Queue --------------------------------------------------------------------------------------


@pytest.fixture
def queue_world(project, document, alice, bob, rita):
    second = Document.objects.create(project=project, external_id="second", text="Second.")
    Assignment.objects.create(document=second, annotator=alice)
    submit(document, alice, bob)
    submit(second, alice)
    review_assignment(rita, Assignment.objects.get(document=document, annotator=bob), "accepted")
    return second


def queue_rows(client, project, **params) -> list[tuple[str, str]]:
    response = client.get(reverse("review-queue", args=[project.slug]), params)
    assert response.status_code == 200
    return [(a.document.external_id, a.annotator.username) for a in response.context["page"]]


def test_the_queue_shows_work_waiting_for_review(rita_client, project, queue_world):
    assert queue_rows(rita_client, project) == [("seed", "alice"), ("second", "alice")]


def test_the_queue_filters_by_state(rita_client, project, queue_world):
    assert queue_rows(rita_client, project, state="accepted") == [("seed", "bob")]
    assert queue_rows(rita_client, project, state="rejected") == []
    assert sorted(queue_rows(rita_client, project, state="all")) == [
        ("second", "alice"),
        ("seed", "alice"),
        ("seed", "bob"),
    ]


def test_the_queue_filters_by_annotator(rita_client, project, queue_world):
    assert queue_rows(rita_client, project, state="all", annotator="bob") == [("seed", "bob")]
    response = rita_client.get(reverse("review-queue", args=[project.slug]), {"annotator": "bob"})
    html = response.content.decode()
    assert '<option value="bob" selected>bob</option>' in html
    assert "Nothing to review here." in html


def test_the_queue_leaves_out_work_not_submitted(rita_client, project, document, alice):
    Assignment.objects.filter(document=document, annotator=alice).update(status="in_progress")
    assert queue_rows(rita_client, project, state="all") == []


# Review page --------------------------------------------------------------------------------


def test_the_review_page_shows_annotators_side_by_side(rita_client, document, work):
    response = rita_client.get(reverse("review-document", args=[document.pk]))
    assert response.status_code == 200
    assert response.context["annotators"] == ["alice", "bob"]
    rows = response.context["rows"]
    assert len(rows) == 2
    aleppo = next(r for r in rows if len(r["cells"][1][1]) == 1)
    assert [(name, [i["claim"].pk for i in items]) for name, items in aleppo["cells"]] == [
        ("alice", [work["alice"].pk]),
        ("bob", [work["bob"].pk]),
    ]
    html = response.content.decode()
    assert '<th scope="col">alice</th><th scope="col">bob</th>' in html
    assert html.count('class="disagree"') == 2


def test_the_review_page_marks_only_the_fields_that_differ(rita_client, document, work):
    rows = rita_client.get(reverse("review-document", args=[document.pk])).context["rows"]
    aleppo = next(r for r in rows if r["cells"][1][1])
    assert aleppo["differs"] == {
        "claim": False,
        "speaker": False,
        "cue": False,
        "stance": True,
        "target": False,
    }
    assert not aleppo["agree"]
    # A claim only one annotator marked differs in every field.
    alone = next(r for r in rows if not r["cells"][1][1])
    assert all(alone["differs"].values())
    html = rita_client.get(reverse("review-document", args=[document.pk])).content.decode()
    cell = html[html.index(f'id="claim-{work["bob"].pk}"') :]
    cell = cell[: cell.index("</dl>")]
    assert '<dt>stance</dt><dd class="differs">support</dd>' in cell
    assert '<dt>claim</dt><dd class="">“lost control of Aleppo”</dd>' in cell


def test_claims_that_agree_are_not_marked(rita_client, project, document, alice, bob):
    us = Entity.objects.create(project=project, name="United States", aliases=["Washington"])
    for user in (alice, bob):
        add(user, document, "lost control of Aleppo", stance="oppose", speaker={"entity": us.pk})
    submit(document, alice, bob)
    response = rita_client.get(reverse("review-document", args=[document.pk]))
    [row] = response.context["rows"]
    assert row["agree"] and not any(row["differs"].values())
    html = response.content.decode()
    assert 'class="agree"' in html and '<dd class="differs">' not in html
    assert "— → United States" in html


def test_a_different_speaker_entity_is_marked(rita_client, project, document, alice, bob):
    a = Entity.objects.create(project=project, name="United States")
    b = Entity.objects.create(project=project, name="Russia")
    add(alice, document, "lost control of Aleppo", speaker={"entity": a.pk})
    add(bob, document, "lost control of Aleppo", speaker={"entity": b.pk})
    [row] = rita_client.get(reverse("review-document", args=[document.pk])).context["rows"]
    assert [f for f, d in row["differs"].items() if d] == ["speaker"]


def test_the_review_page_shows_the_history_of_the_claims(rita_client, alice, document, work):
    Assignment.objects.filter(annotator=alice).update(status="in_progress")
    claim = work["alice"]
    as_alice = Client()
    as_alice.force_login(alice)
    fields = {"claim_start": claim.claim_start, "claim_end": claim.claim_end}
    as_alice.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_id": claim.pk, "version": 1, "stance": "neutral", "note": "hm", **fields},
        headers=HX,
    )
    html = rita_client.get(reverse("review-document", args=[document.pk])).content.decode()
    assert f"alice changed claim {claim.pk}: stance, note" in html
    # Claims made outside a request (here: the fixture) are the system's.
    assert f"system created claim {work['bob'].pk}" in html


# Decisions ----------------------------------------------------------------------------------


def test_it_accepts_a_claim_with_a_comment(rita_client, rita, document, work):
    response = rita_client.post(
        reverse("review-claim", args=[work["bob"].pk]),
        {"decision": "accepted", "comment": "right span"},
    )
    assert response["Location"] == reverse("review-document", args=[document.pk])
    work["bob"].refresh_from_db()
    assert work["bob"].review == "accepted"
    review = Review.objects.get(claim=work["bob"])
    assert (review.reviewer, review.decision, review.comment) == (rita, "accepted", "right span")


def test_it_rejects_a_claim_and_the_annotator_sees_the_decision(
    rita_client, client, alice, document, work
):
    rita_client.post(reverse("review-claim", args=[work["alice"].pk]), {"decision": "rejected"})
    work["alice"].refresh_from_db()
    assert work["alice"].review == "rejected"
    client.force_login(alice)
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "rejected by rita" in html


def test_the_annotator_sees_the_comment_on_a_rejected_claim(
    rita_client, client, alice, document, work
):
    rita_client.post(
        reverse("review-claim", args=[work["alice"].pk]),
        {"decision": "rejected", "comment": "the span should include the quote marks"},
    )
    client.force_login(alice)
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "the span should include the quote marks" in html


def test_it_refuses_an_unknown_decision(rita_client, document, work):
    response = rita_client.post(
        reverse("review-claim", args=[work["bob"].pk]), {"decision": "maybe"}, follow=True
    )
    assert "a review is accepted or rejected, not &#x27;maybe&#x27;" in response.content.decode()
    assert not Review.objects.exists()


def test_it_accepts_an_assignment_and_the_annotator_sees_the_comment(
    rita_client, client, alice, document, work
):
    response = rita_client.post(
        reverse("review-assignment", args=[document.pk]),
        {"annotator": "alice", "decision": "accepted", "comment": "Careful work, thank you"},
    )
    assert messages_of(response) == ["alice's work accepted."]
    assignment = Assignment.objects.get(document=document, annotator=alice)
    assert assignment.review == "accepted" and assignment.status == "submitted"
    client.force_login(alice)
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "<strong>rita</strong> accepted this document: “Careful work, thank you”" in html
    assert 'data-editable="0"' in html and "Reopen to edit" not in html


def test_a_rejected_assignment_goes_back_to_its_annotator(
    rita_client, client, alice, document, work
):
    rita_client.post(
        reverse("review-assignment", args=[document.pk]),
        {"annotator": "alice", "decision": "rejected", "comment": "Missed two claims"},
    )
    client.force_login(alice)
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "<strong>rita</strong> rejected this document: “Missed two claims”" in html
    assert 'data-editable="1"' in html and 'id="submit-doc"' in html
    # alice may change her claims again and resubmit.
    claim = work["alice"]
    response = client.post(
        reverse("claim-save", args=[document.pk]),
        {
            "claim_id": claim.pk,
            "version": claim.version,
            "claim_start": claim.claim_start,
            "claim_end": claim.claim_end,
            "stance": "neutral",
        },
        headers=HX,
    )
    assert "Saved." in response.content.decode()
    client.post(reverse("document-submit", args=[document.pk]))
    assignment = Assignment.objects.get(document=document, annotator=alice)
    assert (assignment.status, assignment.review) == ("submitted", "")


def test_the_review_page_shows_the_decision_and_comment(rita_client, document, work):
    rita_client.post(
        reverse("review-assignment", args=[document.pk]),
        {"annotator": "bob", "decision": "accepted", "comment": "fine"},
    )
    html = rita_client.get(reverse("review-document", args=[document.pk])).content.decode()
    assert (
        '<span class="badge status-accepted">accepted</span> <span class="muted">by rita: “fine”'
        in html
    )
    # A decision can still be changed.
    assert "Reject bob's work" in html and "Accept alice's work" in html


def test_work_not_submitted_cannot_be_reviewed(rita_client, alice, document, work):
    Assignment.objects.filter(annotator=alice).update(status="in_progress")
    response = rita_client.post(
        reverse("review-assignment", args=[document.pk]),
        {"annotator": "alice", "decision": "accepted"},
        follow=True,
    )
    assert "only submitted work can be reviewed" in response.content.decode()
    assert Assignment.objects.get(annotator=alice).review == ""


def test_reviewing_an_unknown_annotator_says_so(rita_client, document, work):
    response = rita_client.post(
        reverse("review-assignment", args=[document.pk]),
        {"annotator": "nobody", "decision": "accepted"},
        follow=True,
    )
    assert "No such annotation set." in response.content.decode()


# Gold ---------------------------------------------------------------------------------------


def test_it_takes_a_claim_into_gold_once(rita_client, rita, document, work):
    url = reverse("take-gold", args=[work["bob"].pk])
    assert rita_client.post(url)["Location"] == reverse("review-document", args=[document.pk])
    rita_client.post(url)
    gold = Claim.objects.get(is_gold=True)
    assert (gold.origin, gold.annotator, gold.stance) == (work["bob"], rita, "support")
    assert gold.span_text("claim") == "lost control of Aleppo"
    document.refresh_from_db()
    assert (document.gold_status, document.gold_by) == (GoldStatus.DRAFT, rita)
    html = rita_client.get(reverse("review-document", args=[document.pk])).content.decode()
    assert '<h2 id="gold-h">Gold (1)</h2>' in html
    assert f"Take into gold: bob's claim {work['bob'].pk}" not in html
    assert f"Take into gold: alice's claim {work['alice'].pk}" in html


def test_the_gold_editing_mode_shows_the_gold_set(rita_client, rita, document, work):
    gold = take_into_gold(access_to(rita, document.project), work["bob"])
    response = rita_client.get(reverse("annotate", args=[document.pk]), {"gold": "1"})
    html = response.content.decode()
    assert "You are editing the <strong>gold set</strong>" in html
    assert 'Gold claims <span class="count">1</span>' in html
    assert f'data-owners="c{gold.pk}"' in html
    assert f'data-owners="c{work["alice"].pk}"' not in html
    assert '<input type="hidden" name="gold" value="1">' in html
    assert "New gold claim</h2>" in html


def test_a_reviewer_creates_a_gold_claim_through_the_save_endpoint(rita_client, rita, document):
    start = SEED_TEXT.index("Syria continues")
    response = rita_client.post(
        reverse("claim-save", args=[document.pk]),
        {"gold": "1", "claim_start": start, "claim_end": start + 15, "stance": "support"},
        headers=HX,
    )
    html = response.content.decode()
    gold = Claim.objects.get()
    assert (gold.is_gold, gold.annotator, gold.source) == (True, rita, "gold")
    assert f"Saved. Claim {gold.pk} is in the list" in html and "New gold claim</h2>" in html
    assert '<span id="doc-status" hx-swap-oob="true"></span>' in html  # gold: no badge
    assert not Assignment.objects.filter(annotator=rita).exists()
    document.refresh_from_db()
    assert document.gold_status == GoldStatus.DRAFT


def test_a_reviewer_edits_a_gold_claim_with_its_version(rita_client, rita, document, work):
    gold = take_into_gold(access_to(rita, document.project), work["bob"])
    form = rita_client.get(reverse("claim-form", args=[gold.pk]), headers=HX).content.decode()
    assert f"Gold claim {gold.pk}</h2>" in form
    assert re.search(r'name="version" value="1"', form)
    data = {
        "gold": "1",
        "claim_id": gold.pk,
        "version": 1,
        "claim_start": gold.claim_start,
        "claim_end": gold.claim_end,
        "stance": "oppose",
        "note": "adjudicated",
    }
    html = rita_client.post(reverse("claim-save", args=[document.pk]), data, headers=HX)
    gold.refresh_from_db()
    assert (gold.stance, gold.note, gold.version) == ("oppose", "adjudicated", 2)
    assert "Saved." in html.content.decode()
    # The original claim is untouched.
    work["bob"].refresh_from_db()
    assert work["bob"].stance == "support"
    stale = rita_client.post(reverse("claim-save", args=[document.pk]), data, headers=HX)
    assert "changed by someone else" in stale.content.decode()


def test_a_gold_claim_form_without_htmx_opens_the_gold_page(rita_client, rita, document, work):
    gold = take_into_gold(access_to(rita, document.project), work["bob"])
    response = rita_client.get(reverse("claim-form", args=[gold.pk]))
    assert response["Location"] == f"/d/{document.pk}/?gold=1&claim={gold.pk}"
    html = rita_client.get(response["Location"]).content.decode()
    assert f"Gold claim {gold.pk}</h2>" in html


def test_it_removes_a_gold_claim(rita_client, rita, document, work):
    gold = take_into_gold(access_to(rita, document.project), work["bob"])
    rita_client.post(reverse("drop-gold", args=[gold.pk]), {"version": 1})
    assert not Claim.objects.filter(is_gold=True).exists()
    assert Claim.objects.filter(pk=work["bob"].pk).exists()


def test_drop_gold_refuses_an_annotators_claim(rita_client, document, work):
    response = rita_client.post(
        reverse("drop-gold", args=[work["bob"].pk]), {"version": 1}, follow=True
    )
    assert "only gold claims are removed here" in response.content.decode()
    assert Claim.objects.filter(pk=work["bob"].pk).exists()


def test_it_marks_gold_complete_and_reopens_it(rita_client, rita, document, work):
    response = rita_client.post(reverse("gold-status", args=[document.pk]), {"complete": "1"})
    assert response["Location"] == reverse("review-document", args=[document.pk])
    document.refresh_from_db()
    assert (document.gold_status, document.gold_by) == (GoldStatus.COMPLETE, rita)
    html = rita_client.get(reverse("review-document", args=[document.pk])).content.decode()
    assert "gold: Gold complete" in html and "Reopen gold" in html
    rita_client.post(reverse("gold-status", args=[document.pk]), {"complete": "0"})
    document.refresh_from_db()
    assert document.gold_status == GoldStatus.DRAFT


# Agreement ----------------------------------------------------------------------------------


@pytest.fixture
def two_annotators(project, document, alice, bob):
    """Four claims each, hand-computed figures:

    A, B, C at the same spans (stances o/o, s/s, s/o), D and E overlapping (n/n).
    exact F1 = 2·3/8 = 0.75; overlap F1 = 2·4/8 = 1.0;
    κ: po = 3/4, pe = (1·2 + 2·1 + 1·1)/16 = 5/16, κ = (12-5)/11 = 0.6364;
    α: coincidences o-o 2, s-s 2, n-n 2, s-o 1, o-s 1; n = 8 (o 3, s 3, n 2);
    Do = 2/8, De = (3·3·2 + 3·2·2 + 3·2·2)/56 = 42/56, α = 1 - (1/4)/(3/4) = 0.6667;
    speaker: A same entity, B same span -> 1.0; target: C entity vs none -> 0.0.
    """
    us = Entity.objects.create(project=project, name="United States")
    assad = Entity.objects.create(project=project, name="Bashar al-Assad")
    speaker_b = span(SEED_TEXT, "his office")
    for user, stance_c, target_c, d in (
        (alice, "support", {"entity": assad.pk}, "the stability of the whole region"),
        (bob, "oppose", None, "security was key to the stability"),
    ):
        add(user, document, "lost control of Aleppo", stance="oppose", speaker={"entity": us.pk})
        add(user, document, "Syria continues to defend", stance="support", speaker=speaker_b)
        add(user, document, "defeating and eliminating them", stance=stance_c, target=target_c)
        add(user, document, d, stance="neutral")
    submit(document, alice, bob)


def test_the_agreement_page_shows_the_hand_computed_figures(rita_client, project, two_annotators):
    response = rita_client.get(reverse("agreement", args=[project.slug]))
    assert response.status_code == 200
    result = response.context["result"]
    assert result["documents"] == 1 and result["annotators"] == ["alice", "bob"]
    assert result["span_f1"] == {"exact": 0.75, "overlap": 1.0}
    assert result["stance"]["cohen_kappa_mean"] == pytest.approx(7 / 11, abs=1e-4)
    assert result["stance"]["krippendorff_alpha"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["speaker_agreement"] == 1.0 and result["target_agreement"] == 0.0
    html = response.content.decode()
    for label, figure in (
        ("Claim span F1, exact", "0.75"),
        ("Claim span F1, overlap", "1.0"),
        ("Stance: Cohen's κ (mean over pairs)", "0.6364"),
        ("Stance: Krippendorff's α (nominal)", "0.6667"),
        ("Matched claim pairs", "4"),
        ("Speaker agreement", "1.0"),
        ("Target agreement", "0.0"),
    ):
        assert f"<td>{label}</td><td>{figure}</td>" in html.replace("&#x27;", "'")
    assert "Over <strong>1</strong> documents" in html and "(alice, bob)" in html
    assert "<td>alice × bob</td><td>1</td><td>0.75</td><td>1.0</td><td>0.6364</td>" in html
    cols = response.context["confusion_cols"]
    matrix = {
        row: dict(zip(cols, counts, strict=True))
        for row, counts in response.context["confusion_rows"]
    }
    assert set(cols) == {"support", "oppose", "neutral", "none"}
    assert {(a, b): n for a, row in matrix.items() for b, n in row.items() if n} == {
        ("neutral", "neutral"): 2,
        ("oppose", "oppose"): 2,
        ("support", "support"): 2,
        ("oppose", "support"): 1,
        ("support", "oppose"): 1,
    }


def test_the_agreement_page_without_data_shows_dashes(rita_client, project, document):
    html = rita_client.get(reverse("agreement", args=[project.slug])).content.decode()
    assert "Over <strong>0</strong> documents" in html
    assert "<td>Claim span F1, exact</td><td>—</td>" in html


def test_the_agreement_page_draws_the_confusion_and_each_annotator_against_gold(
    rita_client, project, document, rita, two_annotators
):
    """alice's claims A and D become gold: alice matches both exactly (P 2/4, R 2/2,
    F1 2·2/6); bob matches A exactly and D by overlap only."""
    mine = Claim.objects.filter(annotator__username="alice").order_by("claim_start")
    a = mine.get(claim_start=SEED_TEXT.index("lost control of Aleppo"))
    d = mine.get(claim_start=SEED_TEXT.index("the stability of the whole region"))
    for claim in (a, d):
        take_into_gold(access_to(rita, project), claim)
    Document.objects.filter(pk=document.pk).update(gold_status=GoldStatus.COMPLETE)
    response = rita_client.get(reverse("agreement", args=[project.slug]))
    gold = dict(response.context["gold"])
    assert gold["alice"]["exact"]["f1"] == gold["alice"]["overlap"]["f1"] == 0.6667
    assert (gold["alice"]["overlap"]["precision"], gold["alice"]["overlap"]["recall"]) == (0.5, 1.0)
    assert (gold["bob"]["exact"]["f1"], gold["bob"]["overlap"]["f1"]) == (0.3333, 0.6667)
    html = response.content.decode()
    assert 'data-chart="gold-f1"' in html and 'data-chart="confusion"' in html
    assert " style=" not in html
    chart = response.context["confusion_chart"]
    cells = {c["title"].split(":")[0]: c["cls"] for c in chart["cells"]}
    assert cells["oppose × oppose"] == "heat-5" and cells["neutral × support"] == "heat-0"
