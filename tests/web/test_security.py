"""Untrusted text stays text (escaped everywhere), a strict CSP, and CSRF on every POST."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from annotator.models import Assignment, Claim, Document, Entity
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from tests.conftest import PASSWORD

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# How each looks once escaped: by the highlighter (quotes kept) and by Django templates.
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"
TEXT = f"Intro {SCRIPT} middle {IMG} and the minister said peace is near."


@pytest.fixture
def hostile(project, alice, bob):
    """A document whose title, text, claim note and entity name all carry markup."""
    document = Document.objects.create(
        project=project, external_id="x", title=f"Title {SCRIPT}{IMG}", text=TEXT
    )
    Assignment.objects.create(document=document, annotator=alice)
    entity = Entity.objects.create(project=project, name=f"Entity {SCRIPT}{IMG}")
    start = TEXT.index("peace is near")
    claim = create_claim(
        access_to(alice, project),
        document,
        {
            "claim": {"start": start, "end": start + 13},
            "speaker": {"entity": entity.pk},
            "note": f"Note {SCRIPT}{IMG}",
            "stance": "support",
        },
    )
    Assignment.objects.filter(document=document, annotator=alice).update(status="submitted")
    return document, claim


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<script>alert" not in html
    assert IMG not in html and "<img" not in html
    assert "onerror=alert(1)>" not in html
    assert ESCAPED_SCRIPT in html
    assert ESCAPED_IMG in html


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_annotate_page_escapes_title_text_note_and_entity(alice, hostile):
    document, claim = hostile
    html = page(alice, reverse("annotate", args=[document.pk]) + f"?claim={claim.pk}")
    assert_escaped(html)
    title = f"Title {ESCAPED_SCRIPT}{ESCAPED_IMG}"
    assert f'<h1 class="doc-title">{title}</h1>' in html
    article = html[html.index('<div id="article"') :]
    article = article[: article.index("</div>")]
    assert_escaped(article)
    # The note in the claim form, the entity in the form and in the claim list.
    assert f"Note {ESCAPED_SCRIPT}{ESCAPED_IMG}</textarea>" in html
    assert f'<strong class="entity-chip">Entity {ESCAPED_SCRIPT}{ESCAPED_IMG}</strong>' in html
    assert html.count(f"Entity {ESCAPED_SCRIPT}") == 2


def test_the_annotate_fragments_escape_too(alice, hostile):
    document, claim = hostile
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("claim-form", args=[claim.pk]), headers={"HX-Request": "true"})
    assert_escaped(response.content.decode())
    search = client.get(
        reverse("entity-search", args=[document.project.slug]), {"speaker_entity_q": "entity"}
    ).content.decode()
    assert_escaped(search)


def test_the_dashboard_escapes_titles(rita, project, hostile):
    html = page(rita, reverse("dashboard", args=[project.slug]))
    assert_escaped(html)


def test_the_review_pages_escape_title_text_note_and_entity(rita, project, hostile):
    document, _ = hostile
    html = page(rita, reverse("review-document", args=[document.pk]))
    assert_escaped(html)
    assert f"<dd>Note {ESCAPED_SCRIPT}{ESCAPED_IMG}</dd>" in html
    assert f"— → Entity {ESCAPED_SCRIPT}{ESCAPED_IMG}" in html
    queue = page(rita, reverse("review-queue", args=[project.slug]))
    assert_escaped(queue)


def test_a_hostile_text_in_a_claim_span_is_escaped_in_the_claim_list(alice, project, hostile):
    document, _ = hostile
    Assignment.objects.filter(annotator=alice).update(status="in_progress")
    start = TEXT.index(SCRIPT)
    create_claim(
        access_to(alice, project), document, {"claim": {"start": start, "end": start + len(SCRIPT)}}
    )
    html = page(alice, reverse("annotate", args=[document.pk]))
    claim_list = html[html.index('id="claim-list"') :]
    claim_list = claim_list[: claim_list.index("</section>")]
    assert f'<span class="claim-text">{ESCAPED_SCRIPT}</span>' in claim_list


# Content-Security-Policy --------------------------------------------------------------------


def csp_of(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("url", ["/login/", "/"])
def test_every_page_has_a_strict_content_security_policy(client, alice, url):
    client.force_login(alice)
    policy = csp_of(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_the_annotate_page_has_the_policy_and_no_inline_script(alice, hostile):
    document, _ = hostile
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("annotate", args=[document.pk]))
    assert csp_of(response)["script-src"] == ["'self'"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(' src="/static/' in tag for tag in scripts)
    bodies = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert len(bodies) == len(scripts) and not any(b.strip() for b in bodies)  # no inline code
    assert re.search(r"\son[a-z]+=", html.replace("onerror=alert(1)&gt;", "")) is None
    assert '"allowEval": false' in html and '"allowScriptTags": false' in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_htmx_fragments_have_the_policy_too(alice, project, document):
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("claim-new", args=[document.pk]), headers={"HX-Request": "true"})
    assert csp_of(response)["script-src"] == ["'self'"]


def test_the_admin_and_the_api_docs_may_use_inline_styles_but_never_inline_scripts(
    admin_client, alice
):
    for url in ["/admin/login/", "/admin/", "/admin/annotator/project/", "/api/docs/"]:
        policy = csp_of(admin_client.get(url))
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["script-src"] == ["'self'"], url
    admin_client.force_login(alice)
    assert "'unsafe-inline'" not in csp_of(admin_client.get("/"))["style-src"]


# CSRF ---------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def test_a_post_without_a_csrf_token_is_refused(csrf_client, document):
    response = csrf_client.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_start": 0, "claim_end": 5},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_a_post_with_the_pages_csrf_token_in_the_htmx_header_works(csrf_client, document):
    html = csrf_client.get(reverse("annotate", args=[document.pk])).content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html).group(1)
    response = csrf_client.post(
        reverse("claim-save", args=[document.pk]),
        {"claim_start": 0, "claim_end": 5},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["document-submit", "document-skip", "document-reopen", "gold-status"]
)
def test_workflow_posts_without_a_csrf_token_are_refused(csrf_client, alice, document, name):
    response = csrf_client.post(reverse(name, args=[document.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Assignment.objects.get(document=document, annotator=alice).status == "todo"


def test_the_login_form_without_a_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_profile_token_cannot_be_regenerated_by_another_site(csrf_client, alice):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=alice)
    assert csrf_client.post(reverse("profile")).status_code == 403
    assert Token.objects.get(user=alice).key == token.key
