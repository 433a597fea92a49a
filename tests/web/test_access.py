"""Who may open what: every page and endpoint against anonymous users, outsiders, annotators,
reviewers and managers; blind and open projects; submitted work."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Membership, Role, Suggestion
from annotator.models.suggestion import SuggestionDecision
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.projects import create_project
from annotator.services.review import take_into_gold
from tests.conftest import PASSWORD, SEED_TEXT, span

HX = {"HX-Request": "true"}

MEMBER, REVIEWER, MANAGER = "member", "reviewer", "manager"
# The claim form opens one's own claims only; everyone else's are not found, whatever the role.
OWN = "own"
# (url name, method, what the url takes, the least role that may use it)
ENDPOINTS = [
    ("dashboard", "get", "project", MEMBER),
    ("guidelines", "get", "project", MEMBER),
    ("annotate-next", "get", "project", MEMBER),
    ("entity-search", "get", "project", MEMBER),
    ("import", "get", "project", MANAGER),
    ("import", "post", "project", MANAGER),
    ("export", "get", "project", REVIEWER),
    ("members", "get", "project", MANAGER),
    ("members", "post", "project", MANAGER),
    ("review-queue", "get", "project", REVIEWER),
    ("agreement", "get", "project", REVIEWER),
    ("annotate", "get", "document", MEMBER),
    ("claim-new", "get", "document", MEMBER),
    ("claim-draft", "post", "document", MEMBER),
    ("claim-save", "post", "document", MEMBER),
    ("document-submit", "post", "document", MEMBER),
    ("document-skip", "post", "document", MEMBER),
    ("document-reopen", "post", "document", MEMBER),
    ("document-next", "get", "document", MEMBER),
    ("document-prev", "get", "document", MEMBER),
    ("review-document", "get", "document", REVIEWER),
    ("review-assignment", "post", "document", REVIEWER),
    ("gold-status", "post", "document", REVIEWER),
    ("claim-form", "get", "claim", OWN),
    ("claim-delete", "post", "claim", MEMBER),
    ("review-claim", "post", "claim", REVIEWER),
    ("take-gold", "post", "claim", REVIEWER),
    ("drop-gold", "post", "claim", REVIEWER),
    ("suggestion", "get", "suggestion", MEMBER),
    ("suggestion-accept", "post", "suggestion", MEMBER),
    ("suggestion-dismiss", "post", "suggestion", MEMBER),
]
DOCUMENT_ENDPOINTS = [e for e in ENDPOINTS if e[2] == "document"]
SUGGESTION_ENDPOINTS = [e for e in ENDPOINTS if e[2] == "suggestion"]
ALLOWED = {
    "alice": {MEMBER, OWN},
    "rita": {MEMBER, REVIEWER},
    "mia": {MEMBER, REVIEWER, MANAGER},
}


def mentions_claim(html: str, claim) -> bool:
    """Whether the page names ``claim`` as a highlight owner ("c12") anywhere; CSRF tokens are
    random letters and digits that may hold "c12" by chance, so they are left out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.search(rf"(?<![A-Za-z0-9])c{claim.pk}(?![0-9])", html) is not None


@pytest.fixture
def world(project, document, alice, bob):
    """alice's claim on the seed article, and a document assigned to bob only."""
    claim = create_claim(
        access_to(alice, project), document, {"claim": span(SEED_TEXT, "lost control of Aleppo")}
    )
    bobs = Document.objects.create(project=project, external_id="bobs", text="Bob's only.")
    Assignment.objects.create(document=bobs, annotator=bob)
    suggestion = Suggestion.objects.create(document=document, claim_start=0, claim_end=5)
    on_bobs = Suggestion.objects.create(document=bobs, claim_start=0, claim_end=3)
    return {
        "project": project.slug,
        "document": document.pk,
        "claim": claim.pk,
        "suggestion": suggestion.pk,
        "bobs": bobs,
        "bobs_suggestion": on_bobs.pk,
    }


def request(client, name: str, method: str, arg, **kwargs):
    url = reverse(name, args=[arg])
    return getattr(client, method)(url, **kwargs)


def assert_allowed(response) -> None:
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("login"))


def ids(endpoint) -> str:
    return f"{endpoint[1]}-{endpoint[0]}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_anonymous_users_are_sent_to_log_in(client, world, endpoint):
    name, method, takes, _ = endpoint
    response = request(client, name, method, world[takes])
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_outsiders_get_404(client, outsider, world, endpoint):
    name, method, takes, _ = endpoint
    client.force_login(outsider)
    assert request(client, name, method, world[takes]).status_code == 404


@pytest.mark.parametrize("username", ["alice", "rita", "mia"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_members_get_what_their_role_allows_and_403_otherwise(
    client, users, world, endpoint, username
):
    name, method, takes, needs = endpoint
    client.force_login(users[username])
    response = request(client, name, method, world[takes])
    if needs in ALLOWED[username]:
        assert_allowed(response)
    elif needs == OWN:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS, ids=ids)
def test_an_annotator_gets_403_on_a_document_not_assigned_to_them(client, alice, world, endpoint):
    name, method, _, _ = endpoint
    client.force_login(alice)
    assert request(client, name, method, world["bobs"].pk).status_code == 403


@pytest.mark.parametrize("endpoint", SUGGESTION_ENDPOINTS, ids=ids)
def test_an_annotator_gets_403_on_suggestions_of_a_document_not_assigned_to_them(
    client, alice, world, endpoint
):
    name, method, _, _ = endpoint
    client.force_login(alice)
    assert request(client, name, method, world["bobs_suggestion"]).status_code == 403
    assert (
        not SuggestionDecision.objects.exists()
        and not Claim.objects.filter(document=world["bobs"]).exists()
    )


def test_a_reviewer_opens_any_document_of_the_project(client, rita, world):
    client.force_login(rita)
    assert client.get(reverse("annotate", args=[world["bobs"].pk])).status_code == 200


def test_a_superuser_manages_every_project(client, world):
    root = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    client.force_login(root)
    assert client.get(reverse("members", args=[world["project"]])).status_code == 200


def test_a_removed_member_loses_the_project(client, alice, project, world):
    Membership.objects.filter(user=alice).delete()
    client.force_login(alice)
    assert client.get(reverse("dashboard", args=[project.slug])).status_code == 404
    assert client.get(reverse("annotate", args=[world["document"]])).status_code == 404


# Another project ----------------------------------------------------------------------------


@pytest.fixture
def elsewhere(users):
    """A project alice is not in, with a document and a claim of its own annotator."""
    project = create_project("elsewhere", name="Elsewhere")
    Membership.objects.create(project=project, user=users["outsider"], role=Role.ANNOTATOR)
    document = Document.objects.create(project=project, external_id="e1", text="Secret text.")
    Assignment.objects.create(document=document, annotator=users["outsider"])
    claim = create_claim(
        access_to(users["outsider"], project), document, {"claim": {"start": 0, "end": 6}}
    )
    return document, claim


def test_a_member_of_one_project_gets_404_for_another_projects_document(
    client, alice, project, elsewhere
):
    document, _ = elsewhere
    client.force_login(alice)
    for name in ("annotate", "review-document", "document-next"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    response = client.post(
        reverse("claim-save", args=[document.pk]), {"claim_start": 0, "claim_end": 3}, headers=HX
    )
    assert response.status_code == 404
    assert client.get(reverse("dashboard", args=["elsewhere"])).status_code == 404


def test_a_member_of_one_project_gets_404_for_another_projects_claims(
    client, alice, project, elsewhere
):
    _, claim = elsewhere
    client.force_login(alice)
    assert client.get(reverse("claim-form", args=[claim.pk]), headers=HX).status_code == 404
    assert client.post(reverse("claim-delete", args=[claim.pk]), {"version": 1}).status_code == 404
    assert client.post(reverse("take-gold", args=[claim.pk])).status_code == 404
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_of_another_project_cannot_be_saved_through_my_document(
    client, alice, document, elsewhere
):
    _, claim = elsewhere
    client.force_login(alice)
    response = client.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_id": claim.pk, "version": 1, "claim_start": 0, "claim_end": 3},
        headers=HX,
    )
    assert response.status_code == 404
    claim.refresh_from_db()
    assert (claim.claim_end, claim.version) == (6, 1)


def test_entities_of_another_project_are_not_found(client, alice, project, elsewhere):
    from annotator.models import Entity

    Entity.objects.create(project=elsewhere[0].project, name="Hidden Person")
    client.force_login(alice)
    html = client.get(
        reverse("entity-search", args=[project.slug]), {"speaker_entity_q": "hidden"}
    ).content.decode()
    assert "Hidden Person</button>" not in html


# Blind and open projects --------------------------------------------------------------------

BOBS_CLAIM = "defeating and eliminating them"


@pytest.fixture
def bobs_claim(project, document, bob) -> Claim:
    return create_claim(
        access_to(bob, project),
        document,
        {"claim": span(SEED_TEXT, BOBS_CLAIM), "stance": "support", "note": "bob's private note"},
    )


@pytest.fixture
def open_project(project):
    project.scheme = {**project.scheme, "blind": False}
    project.save()
    return project


def test_in_a_blind_project_the_annotate_page_hides_other_annotators_claims(
    client, alice, document, world, bobs_claim
):
    client.force_login(alice)
    url = reverse("annotate", args=[document.pk])
    for params in ({}, {"claim": bobs_claim.pk}):
        html = client.get(url, params).content.decode()
        assert not mentions_claim(html, bobs_claim)
        # Only in the article itself, never in a list or a form.
        assert html.count(BOBS_CLAIM) == SEED_TEXT.count(BOBS_CLAIM) == 1
        assert "bob's private note" not in html and "bob&#x27;s private note" not in html
        assert "Other annotators" not in html
        assert 'class="count">1</span>' in html  # alice's own claim only


def test_in_a_blind_project_another_annotators_claim_form_is_404(client, alice, bobs_claim):
    client.force_login(alice)
    url = reverse("claim-form", args=[bobs_claim.pk])
    assert client.get(url, headers=HX).status_code == 404
    assert client.get(url).status_code == 404


def test_in_a_blind_project_another_annotators_claim_cannot_be_changed(
    client, alice, document, bobs_claim
):
    client.force_login(alice)
    save = client.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_id": bobs_claim.pk, "version": 1, "claim_start": 0, "claim_end": 5},
        headers=HX,
    )
    assert save.status_code == 404
    delete = client.post(reverse("claim-delete", args=[bobs_claim.pk]), {"version": 1})
    assert delete.status_code == 404
    bobs_claim.refresh_from_db()
    assert (bobs_claim.claim_start, bobs_claim.version) == (SEED_TEXT.index(BOBS_CLAIM), 1)


def test_in_a_blind_project_the_dashboard_counts_only_my_claims(
    client, alice, project, world, bobs_claim
):
    client.force_login(alice)
    response = client.get(reverse("dashboard", args=[project.slug]))
    assert dict(response.context["stance_counts"])["support"] == 0
    assert response.context["claims_total"] == 1
    assert [name for name, _ in response.context["progress"]] == ["alice"]


def test_in_an_open_project_annotators_see_others_claims_read_only(
    client, alice, open_project, document, world, bobs_claim
):
    client.force_login(alice)
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "Other annotators&#x27; claims (1)" in html or "Other annotators' claims (1)" in html
    others = html[html.index('<details class="others">') :]
    others = others[: others.index("</details>")]
    assert BOBS_CLAIM in others and "bob · no speaker · support" in others
    assert "hx-get" not in others and "href" not in others  # nothing to open for editing
    # Only alice's own claims are highlighted and listed as hers.
    assert not mentions_claim(html, bobs_claim)
    response = client.get(reverse("dashboard", args=[open_project.slug]))
    assert dict(response.context["stance_counts"])["support"] == 1


def test_in_an_open_project_others_claims_cannot_be_edited(
    client, alice, open_project, document, bobs_claim
):
    client.force_login(alice)
    assert client.get(reverse("claim-form", args=[bobs_claim.pk]), headers=HX).status_code == 404
    save = client.post(
        reverse("claim-save", args=[document.pk]),
        {
            "claim_id": bobs_claim.pk,
            "version": 1,
            "claim_start": bobs_claim.claim_start,
            "claim_end": bobs_claim.claim_end,
            "stance": "oppose",
        },
        headers=HX,
    )
    assert save.status_code in (200, 403)
    assert "only the annotator who made a claim can change it" in save.content.decode()
    delete = client.post(reverse("claim-delete", args=[bobs_claim.pk]), {"version": 1}, headers=HX)
    assert delete.status_code in (200, 403)
    assert "only the annotator who made a claim can change it" in delete.content.decode()
    bobs_claim.refresh_from_db()
    assert (bobs_claim.stance, bobs_claim.version) == ("support", 1)


def test_gold_claims_are_hidden_from_annotators_even_in_an_open_project(
    client, alice, rita, open_project, document, bobs_claim
):
    gold = take_into_gold(access_to(rita, open_project), bobs_claim)
    client.force_login(alice)
    assert client.get(reverse("claim-form", args=[gold.pk]), headers=HX).status_code == 404
    html = client.get(reverse("annotate", args=[document.pk])).content.decode()
    assert "Other annotators' claims (1)" in html  # bob's, not the gold copy
    assert client.get(reverse("annotate", args=[document.pk]), {"gold": "1"}).status_code == 403
    response = client.post(
        reverse("claim-save", args=[document.pk]),
        {"gold": "1", "claim_start": 0, "claim_end": 5},
        headers=HX,
    )
    assert response.status_code == 403
    assert Claim.objects.filter(is_gold=True).count() == 1


# Unassigned documents and submitted work ----------------------------------------------------


def test_an_annotator_cannot_save_claims_on_a_document_not_assigned_to_them(client, alice, world):
    client.force_login(alice)
    bobs = world["bobs"]
    response = client.post(
        reverse("claim-save", args=[bobs.pk]), {"claim_start": 0, "claim_end": 3}, headers=HX
    )
    assert response.status_code == 403
    assert not Claim.objects.filter(document=bobs).exists()


@pytest.fixture
def submitted(alice, document, world):
    Assignment.objects.filter(document=document, annotator=alice).update(status="submitted")
    return Claim.objects.get(pk=world["claim"])


def test_a_submitted_assignments_claims_cannot_change(client, alice, document, submitted):
    client.force_login(alice)
    fields = {"claim_start": submitted.claim_start, "claim_end": submitted.claim_end}
    update = client.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_id": submitted.pk, "version": 1, "stance": "oppose", **fields},
        headers=HX,
    )
    assert "reopen it to change its claims" in update.content.decode()
    create = client.post(
        reverse("claim-save", args=[document.pk]), {"claim_start": 0, "claim_end": 5}, headers=HX
    )
    assert "reopen it to change its claims" in create.content.decode()
    delete = client.post(reverse("claim-delete", args=[submitted.pk]), {"version": 1}, headers=HX)
    assert "reopen it to change its claims" in delete.content.decode()
    assert list(Claim.objects.filter(document=document).values_list("pk", "stance", "version")) == [
        (submitted.pk, "", 1)
    ]


def test_after_reopening_the_claims_can_change_again(client, alice, document, submitted):
    client.force_login(alice)
    client.post(reverse("document-reopen", args=[document.pk]))
    response = client.post(
        reverse("claim-save", args=[document.pk]),
        {
            "claim_id": submitted.pk,
            "version": 1,
            "claim_start": submitted.claim_start,
            "claim_end": submitted.claim_end,
            "stance": "oppose",
        },
        headers=HX,
    )
    assert "Saved." in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.stance, submitted.version) == ("oppose", 2)
