"""The annotate page's rendered-article cache (annotator/views/article_cache.py): a reload is
served from it, yet a changed claim or suggestion shows at once, whatever wrote it, and two
annotators never get each other's highlights."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from annotator.models import Claim, Suggestion
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.views import article_cache
from tests.conftest import SEED_TEXT, span


@pytest.fixture(autouse=True)
def renders(monkeypatch) -> list[int]:
    """How many times the article was rendered (not served from the cache)."""
    caches[article_cache.CACHE].clear()
    calls: list[int] = []
    real = article_cache.render

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(article_cache, "render", counting)
    return calls


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def article_of(client: Client, document, **params) -> str:
    response = client.get(reverse("annotate", args=[document.pk]), params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'<div id="article".*?</div>', html, re.S).group(0)


def owners(article: str) -> set[str]:
    return {o for found in re.findall(r'data-owners="([^"]*)"', article) for o in found.split()}


def claim_piece(article: str, owner: str) -> str:
    """The text of the article's first piece highlighted as ``owner``'s claim."""
    found = re.search(
        rf'class="[^"]*h-claim[^"]*" data-u="\d+" data-owners="{owner}">([^<]*)<', article
    )
    return found.group(1) if found else ""


def claim_on(user, project, document, text: str, at: int = 0) -> Claim:
    return create_claim(
        access_to(user, project), document, {"claim": span(SEED_TEXT, text, at), "stance": "oppose"}
    )


def test_a_reload_is_served_from_the_cache(alice, project, document, renders):
    claim_on(alice, project, document, "lost control of Aleppo")
    client = client_of(alice)
    first = article_of(client, document)
    assert article_of(client, document) == first
    assert len(renders) == 1


def test_a_claim_changed_behind_the_page_shows_at_once(alice, project, document, renders):
    """Even a write that bypasses the model (no save, no version bump, no updated_at)."""
    claim = claim_on(alice, project, document, "lost control of Aleppo")
    client = client_of(alice)
    assert claim_piece(article_of(client, document), f"c{claim.pk}") == "lost control of Aleppo"

    moved = span(SEED_TEXT, "control of Aleppo")
    Claim.objects.filter(pk=claim.pk).update(claim_start=moved["start"], claim_end=moved["end"])
    assert claim_piece(article_of(client, document), f"c{claim.pk}") == "control of Aleppo"

    Claim.objects.filter(pk=claim.pk).update(
        fragments={"claim": [[moved["start"], moved["start"] + 7]]}
    )
    assert claim_piece(article_of(client, document), f"c{claim.pk}") == "control"

    Claim.objects.filter(pk=claim.pk).delete()
    assert owners(article_of(client, document)) == set()

    again = claim_on(alice, project, document, "lost control of Aleppo")
    assert owners(article_of(client, document)) == {f"c{again.pk}"}
    assert len(renders) == 5  # every change rendered anew


def test_two_annotators_never_get_each_others_cached_article(
    alice, bob, project, document, renders
):
    """Blind project: alice and bob mark the very same words; each sees only their own."""
    assert project.parsed_scheme.blind
    hers = claim_on(alice, project, document, "lost control of Aleppo")
    his = claim_on(bob, project, document, "lost control of Aleppo")
    alice_client, bob_client = client_of(alice), client_of(bob)
    for _ in range(2):  # the second round is served from the cache
        assert owners(article_of(alice_client, document)) == {f"c{hers.pk}"}
        assert owners(article_of(bob_client, document)) == {f"c{his.pk}"}
    assert len(renders) == 2

    his.delete()  # bob has nothing left: he gets a bare article, never alice's
    bare = article_of(bob_client, document)
    assert owners(bare) == set() and "h-claim" not in bare
    assert owners(article_of(alice_client, document)) == {f"c{hers.pk}"}


def test_a_dismissed_suggestion_leaves_only_that_annotators_article(alice, bob, project, document):
    at = span(SEED_TEXT, "lost control of Aleppo")
    suggestion = Suggestion.objects.create(
        document=document, claim_start=at["start"], claim_end=at["end"], stance="oppose"
    )
    alice_client, bob_client = client_of(alice), client_of(bob)
    for client in (alice_client, bob_client):
        assert owners(article_of(client, document)) == {f"s{suggestion.pk}"}
    response = alice_client.post(reverse("suggestion-dismiss", args=[suggestion.pk]))
    assert response.status_code in (200, 302)
    assert owners(article_of(alice_client, document)) == set()
    assert owners(article_of(bob_client, document)) == {f"s{suggestion.pk}"}


def test_gold_mode_and_own_claims_are_separate_articles(alice, rita, project, document):
    mine = claim_on(alice, project, document, "lost control of Aleppo")
    gold = Claim.objects.create(
        document=document,
        annotator=rita,
        is_gold=True,
        claim_start=mine.claim_start,
        claim_end=mine.claim_end,
        stance="oppose",
    )
    assert owners(article_of(client_of(alice), document)) == {f"c{mine.pk}"}
    assert owners(article_of(client_of(rita), document, gold="1")) == {f"c{gold.pk}"}
    assert owners(article_of(client_of(alice), document)) == {f"c{mine.pk}"}


def test_the_keyboard_dialog_follows_each_projects_labels(alice, project, document):
    """The `?` dialog is cached too: keyed by the labels, so another scheme shows its own."""
    client = client_of(alice)
    url = reverse("annotate", args=[document.pk])
    assert "1 support, 2 oppose, 3 neutral" in client.get(url).content.decode()
    project.scheme = {**project.scheme, "stance_labels": ["for", "against"], "stance_saves": True}
    project.save()
    html = client.get(url).content.decode()
    assert "1 for, 2 against (saves a complete claim)" in html
    assert "1 support" not in html
