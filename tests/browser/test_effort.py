"""How many actions a claim costs, counted as a person's: key presses and mouse selections or
clicks. Issue 14's target: at most 8 for the first claim and for every later one."""

from __future__ import annotations

import pytest

from annotator.models import Claim, Entity, Suggestion
from annotator.services.suggestions import suggest_documents
from tests.browser.conftest import select_with_mouse, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Effort:
    """Drives the page and counts what the annotator does."""

    def __init__(self, page) -> None:
        self.page = page
        self.actions = 0

    def select(self, needle: str, nth: int = 0) -> None:
        select_with_mouse(self.page, needle, nth)
        self.actions += 1

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.actions += 1
        settled(self.page)

    def click(self, locator) -> None:
        locator.click()
        self.actions += 1
        settled(self.page)

    def role(self, needle: str, key: str, role: str, nth: int = 0) -> None:
        self.select(needle, nth)
        self.key(key)
        self.page.wait_for_function(
            "([r, t]) => document.querySelector(`[data-role-text=${r}]`).textContent === `“${t}”`",
            arg=[role, needle],
        )

    def counted(self) -> int:
        done, self.actions = self.actions, 0
        return done


def test_a_whole_claim_takes_at_most_8_actions_first_and_later(login, live_server, document):
    project = document.project
    project.scheme = {**project.scheme, "stance_saves": True}
    project.save()
    us = Entity.objects.create(project=project, name="United States", aliases=["US"])
    assad = Entity.objects.create(project=project, name="Bashar al-Assad", aliases=["Al Assad"])
    suggest_documents(project, [document.pk])
    page = login("alice")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    effort = Effort(page)

    # The first claim: claim, speaker (entity linked by its name, the cue found beside it),
    # target (entity by its alias), and a stance key that saves.
    effort.role("lost control of Aleppo", "Enter", "claim")
    effort.role("The United States", "s", "speaker")
    effort.role("Al Assad", "t", "target", nth=4)
    effort.key("2")
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    first = effort.counted()
    claim = Claim.objects.get(annotator__username="alice")
    assert (claim.span_text("claim"), claim.span_text("cue"), claim.stance) == (
        "lost control of Aleppo",
        "said",
        "oppose",
    )
    assert (claim.speaker_entity, claim.target_entity) == (us, assad)

    # A later claim costs the same: the role key starts it, nothing to open first.
    effort.role("his country could defeat", "Enter", "claim")
    effort.role("Syrian President Bashar Al Assad", "s", "speaker")
    effort.role("terrorists", "t", "target", nth=1)
    effort.key("2")
    page.get_by_text("Saved. Claim").wait_for()
    later = effort.counted()
    second = Claim.objects.exclude(pk=claim.pk).get(annotator__username="alice")
    assert (second.span_text("speaker"), second.span_text("cue")) == (
        "Syrian President Bashar Al Assad",
        "said",
    )

    # A correct suggestion: pick it, and a stance key accepts it with that stance.
    pending = Suggestion.objects.filter(document=document).exclude(
        claim_start__in=[claim.claim_start, second.claim_start]
    )
    suggestion = pending.order_by("claim_start").first()
    effort.click(page.locator(f"#suggestion-list [data-suggestion-id='{suggestion.pk}']"))
    page.wait_for_selector(f"#claim-form[data-suggestion-id='{suggestion.pk}']")
    effort.key("3")
    page.get_by_text("Suggestion accepted as claim").wait_for()
    accepted = effort.counted()
    assert Claim.objects.get(source="suggestion").stance == "neutral"

    print(f"\nactions per claim: first {first}, later {later}, suggestion {accepted}")
    assert (first, later, accepted) == (7, 7, 2)
