"""Login, the project list, the dashboard, the guidelines and the profile page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotator.models import Assignment, Document, Membership, Role
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.projects import create_project
from tests.conftest import PASSWORD, SEED_TEXT, span

HX = {"HX-Request": "true"}


@pytest.fixture
def other_project(mia):
    """A project alice is not in."""
    project = create_project("ukraine-2022", name="Ukraine 2022")
    Membership.objects.create(project=project, user=mia, role=Role.MANAGER)
    return project


@pytest.fixture
def claims(project, document, alice, bob):
    """alice: one oppose claim; bob: two support claims and one without stance."""
    a, b = access_to(alice, project), access_to(bob, project)
    create_claim(
        a, document, {"claim": span(SEED_TEXT, "lost control of Aleppo"), "stance": "oppose"}
    )
    for needle in ("Syria continues", "defeat", "stability"):
        stance = "" if needle == "stability" else "support"
        create_claim(b, document, {"claim": span(SEED_TEXT, needle), "stance": stance})


def login(client, user):
    client.force_login(user)
    return client


# Login --------------------------------------------------------------------------------------


def test_the_login_page_has_a_labelled_form(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert "csrfmiddlewaretoken" in html


def test_it_logs_in_with_the_right_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_goes_to_next_after_login(client, alice, project):
    dashboard = reverse("dashboard", args=[project.slug])
    response = client.get(dashboard)
    assert response["Location"] == f"{reverse('login')}?next={dashboard}"
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": dashboard}
    )
    assert response["Location"] == dashboard


def test_a_logged_in_user_skips_the_login_page(client, alice):
    login(client, alice)
    assert client.get(reverse("login"))["Location"] == "/"


def test_logout_needs_a_post_and_ends_the_session(client, alice):
    login(client, alice)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


# Project list -------------------------------------------------------------------------------


def test_the_project_list_shows_only_my_projects(client, alice, project, other_project, document):
    html = login(client, alice).get("/").content.decode()
    assert "Syria 2024" in html and reverse("dashboard", args=[project.slug]) in html
    assert "Ukraine 2022" not in html
    assert "<td>1</td>" in html  # one document


def test_the_project_list_of_a_manager_of_both_shows_both(client, mia, project, other_project):
    html = login(client, mia).get("/").content.decode()
    assert "Syria 2024" in html and "Ukraine 2022" in html


def test_the_project_list_of_an_outsider_is_empty(client, outsider, project):
    html = login(client, outsider).get("/").content.decode()
    assert "Syria 2024" not in html
    assert "You are not a member of any project yet" in html


def test_a_superuser_sees_every_project(client, project, other_project):
    root = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    html = login(client, root).get("/").content.decode()
    assert "Syria 2024" in html and "Ukraine 2022" in html


# Dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_shows_progress_per_annotator(client, rita, project, document, bob, claims):
    Assignment.objects.filter(annotator=bob).update(status="submitted")
    response = login(client, rita).get(reverse("dashboard", args=[project.slug]))
    assert response.status_code == 200
    progress = dict(response.context["progress"])
    assert set(progress) == {"alice", "bob"}
    assert progress["alice"]["in_progress"] == 1 and progress["alice"]["total"] == 1
    assert progress["bob"]["submitted"] == 1
    html = response.content.decode()
    assert '<th scope="row">alice</th><td>1</td><td>0</td><td>1</td><td>0</td>' in html
    assert '<th scope="row">bob</th><td>1</td><td>0</td><td>0</td><td>1</td>' in html
    assert "alice: in_progress" in html and "bob: submitted" in html


def test_the_dashboard_counts_claims_per_stance(client, rita, project, claims):
    response = login(client, rita).get(reverse("dashboard", args=[project.slug]))
    assert response.context["stance_counts"] == [("support", 2), ("oppose", 1), ("neutral", 0)]
    html = response.content.decode()
    assert "support</span></th><td>2</td>" in html
    assert "oppose</span></th><td>1</td>" in html
    assert '<th scope="row">not set</th><td>1</td>' in html
    assert '<th scope="row">all</th><td>4</td>' in html


def test_the_dashboard_counts_gold_claims_apart(client, rita, project, document, claims):
    create_claim(
        access_to(rita, project),
        document,
        {"claim": span(SEED_TEXT, "Aleppo"), "stance": "neutral"},
        gold=True,
    )
    response = login(client, rita).get(reverse("dashboard", args=[project.slug]))
    assert dict(response.context["stance_counts"])["neutral"] == 0


def test_the_dashboard_filters_documents_by_status(client, rita, project, document, bob, alice):
    other = Document.objects.create(project=project, external_id="second", text="Second text.")
    Assignment.objects.create(document=other, annotator=alice, status="submitted")
    url = reverse("dashboard", args=[project.slug])
    login(client, rita)
    submitted = client.get(url, {"status": "submitted"})
    assert [d.external_id for d in submitted.context["page"]] == ["second"]
    everything = client.get(url)
    assert [d.external_id for d in everything.context["page"]] == ["seed", "second"]


def test_an_annotator_dashboard_lists_only_their_documents(client, alice, project, document, bob):
    Document.objects.create(project=project, external_id="bobs", text="Only bob's.")
    Assignment.objects.create(document=Document.objects.get(external_id="bobs"), annotator=bob)
    response = login(client, alice).get(reverse("dashboard", args=[project.slug]))
    assert [d.external_id for d in response.context["page"]] == ["seed"]
    assert [name for name, _ in response.context["progress"]] == ["alice"]
    html = response.content.decode()
    assert "bob:" not in html
    assert "Your role: annotator." in html


# Guidelines ---------------------------------------------------------------------------------


@pytest.fixture
def guided(project):
    project.guidelines = "Mark every claim.\n\nA claim has a speaker."
    project.save()
    return project


def test_the_guidelines_page_is_a_full_page(client, alice, guided):
    response = login(client, alice).get(reverse("guidelines", args=[guided.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "<h1>Guidelines</h1>" in html
    assert "<p>Mark every claim.</p>" in html
    assert "<li><kbd>1</kbd> support</li>" in html and "<li><kbd>2</kbd> oppose</li>" in html


def test_the_guidelines_for_htmx_are_a_fragment(client, alice, guided):
    response = login(client, alice).get(reverse("guidelines", args=[guided.slug]), headers=HX)
    html = response.content.decode()
    assert "<html" not in html and "<h1>" not in html
    assert "<p>A claim has a speaker.</p>" in html
    assert "<li><kbd>3</kbd> neutral</li>" in html


def test_a_project_without_guidelines_says_so(client, alice, project):
    html = login(client, alice).get(reverse("guidelines", args=[project.slug])).content.decode()
    assert "This project has no guidelines yet." in html


def test_the_annotate_page_holds_the_guidelines_and_the_key_table(client, alice, guided, document):
    html = login(client, alice).get(reverse("annotate", args=[document.pk])).content.decode()
    assert 'id="guidelines-dialog"' in html and "<p>Mark every claim.</p>" in html
    assert 'id="help-dialog"' in html and "Keyboard shortcuts" in html
    assert "stance: 1 support, 2 oppose, 3 neutral" in html


# Profile ------------------------------------------------------------------------------------


def test_the_profile_without_a_token_offers_one(client, alice):
    html = login(client, alice).get(reverse("profile")).content.decode()
    assert "You have no token yet." in html and "Create a token" in html


def test_the_profile_shows_the_token_and_regenerating_changes_it(client, alice):
    login(client, alice)
    client.post(reverse("profile"))
    first = Token.objects.get(user=alice).key
    html = client.get(reverse("profile")).content.decode()
    assert f'value="{first}"' in html and "Regenerate token" in html
    response = client.post(reverse("profile"), follow=True)
    second = Token.objects.get(user=alice).key
    assert second != first
    html = response.content.decode()
    assert f'value="{second}"' in html and first not in html
    assert "the old one no longer works" in html
    assert Token.objects.filter(user=alice).count() == 1


def test_the_new_token_works_on_the_api_and_the_old_one_not(client, alice, project):
    login(client, alice)
    client.post(reverse("profile"))
    old = Token.objects.get(user=alice).key
    client.post(reverse("profile"))
    new = Token.objects.get(user=alice).key
    api = client.__class__()
    assert api.get("/api/projects/", headers={"Authorization": f"Token {new}"}).status_code == 200
    assert api.get("/api/projects/", headers={"Authorization": f"Token {old}"}).status_code == 401


def test_only_people_with_assignments_are_offered_their_next_document(
    client, alice, rita, mia, project, document
):
    for user, offered in ((alice, True), (rita, False), (mia, False)):
        html = login(client, user).get(reverse("dashboard", args=[project.slug])).content.decode()
        assert ("Annotate my next document" in html) is offered, user.username


# Favicon ------------------------------------------------------------------------------------


def test_every_page_names_the_favicon_and_favicon_ico_leads_to_it(client, alice):
    html = login(client, alice).get(reverse("project-list")).content.decode()
    assert '<link rel="icon" href="/static/annotator/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/annotator/favicon.svg"
    assert client.get(response["Location"]).status_code == 200
