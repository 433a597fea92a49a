"""Merging duplicate entities: aliases kept, claims and suggestions repointed, history
written, refused across projects; the same from the admin and from the entities page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotator.models import Claim, Entity, Membership, Role, Suggestion
from annotator.services.access import access_to
from annotator.services.entities import entity_named, merge_entities
from annotator.services.errors import DomainError
from annotator.services.projects import create_project


@pytest.fixture
def dupes(project, document, alice, bob):
    us = Entity.objects.create(project=project, name="United States", aliases=["Washington"])
    short = Entity.objects.create(project=project, name="US", aliases=["the US"])
    dotted = Entity.objects.create(project=project, name="U.S.")
    assad = Entity.objects.create(project=project, name="Bashar al-Assad")
    claims = [
        Claim.objects.create(
            document=document, annotator=alice, claim_start=0, claim_end=5, speaker_entity=short
        ),
        Claim.objects.create(
            document=document,
            annotator=bob,
            claim_start=10,
            claim_end=20,
            speaker_entity=assad,
            target_entity=dotted,
        ),
        Claim.objects.create(
            document=document, annotator=bob, claim_start=30, claim_end=40, speaker_entity=us
        ),
    ]
    suggestion = Suggestion.objects.create(
        document=document, claim_start=0, claim_end=5, target_entity=short
    )
    return {
        "us": us,
        "short": short,
        "dotted": dotted,
        "assad": assad,
        "claims": claims,
        "suggestion": suggestion,
    }


def test_merging_keeps_names_as_aliases_and_repoints_every_claim(project, rita, dupes):
    us = dupes["us"]
    merge_entities(access_to(rita, project), us, [dupes["short"], dupes["dotted"], us])
    us.refresh_from_db()
    assert us.aliases == ["Washington", "US", "the US", "U.S."]
    assert not Entity.objects.filter(pk__in=[dupes["short"].pk, dupes["dotted"].pk]).exists()
    first, second, third = (Claim.objects.get(pk=c.pk) for c in dupes["claims"])
    assert first.speaker_entity == us
    assert (second.speaker_entity, second.target_entity) == (dupes["assad"], us)
    assert third.speaker_entity == us and third.version == 1  # untouched
    assert (first.version, second.version) == (2, 2)  # a form opened before is stale
    dupes["suggestion"].refresh_from_db()
    assert dupes["suggestion"].target_entity == us
    # The names now find the kept entity, as the annotate page's box and the detector do.
    assert entity_named(project, "U.S.") == us
    assert entity_named(project, "the US") == us


def test_the_merge_is_in_the_claims_and_entities_history(project, rita, dupes):
    merge_entities(access_to(rita, project), dupes["us"], [dupes["short"]])
    record = Claim.history.filter(id=dupes["claims"][0].pk).first()
    assert record.history_user == rita
    assert record.speaker_entity_id == dupes["us"].pk
    assert "merged 'US' into 'United States'" in record.history_change_reason
    previous = record.prev_record
    assert previous.speaker_entity_id == dupes["short"].pk
    gone = Entity.history.filter(id=dupes["short"].pk).first()
    assert gone.history_type == "-" and gone.history_user == rita
    assert "into 'United States'" in gone.history_change_reason
    kept = Entity.history.filter(id=dupes["us"].pk).first()
    assert kept.aliases == ["Washington", "US", "the US"]


def test_merging_across_projects_is_refused_and_changes_nothing(project, rita, mia, dupes):
    other = create_project("other")
    Membership.objects.create(project=other, user=rita, role=Role.REVIEWER)
    stranger = Entity.objects.create(project=other, name="USA")
    with pytest.raises(DomainError, match="same project"):
        merge_entities(access_to(rita, project), dupes["us"], [stranger])
    with pytest.raises(DomainError, match="same project"):
        merge_entities(access_to(rita, other), stranger, [dupes["short"]])
    assert Entity.objects.filter(pk__in=[stranger.pk, dupes["short"].pk]).count() == 2
    dupes["us"].refresh_from_db()
    assert dupes["us"].aliases == ["Washington"]


def test_annotators_cannot_merge(project, alice, dupes):
    with pytest.raises(PermissionDenied):
        merge_entities(access_to(alice, project), dupes["us"], [dupes["short"]])
    assert Entity.objects.filter(pk=dupes["short"].pk).exists()


def test_the_admin_merge_asks_which_to_keep_then_merges(client, project, rita, dupes):
    rita.is_staff = True
    rita.save()
    client.force_login(rita)
    url = reverse("admin:annotator_entity_changelist")
    listed = client.get(url)
    counts = {e.name: (e.as_speaker, e.as_target) for e in listed.context["cl"].result_list}
    assert counts["US"] == (1, 0) and counts["U.S."] == (0, 1) and counts["United States"] == (1, 0)
    picked = [dupes["us"].pk, dupes["short"].pk, dupes["dotted"].pk]
    asked = client.post(url, {"action": "merge_selected", "_selected_action": picked})
    assert asked.status_code == 200 and "Keep" in asked.content.decode()
    client.post(
        url,
        {
            "action": "merge_selected",
            "_selected_action": picked,
            "apply": "1",
            "into": dupes["us"].pk,
        },
    )
    assert list(Entity.objects.filter(project=project).values_list("name", flat=True)) == [
        "Bashar al-Assad",
        "United States",
    ]
    assert Claim.objects.filter(speaker_entity=dupes["us"]).count() == 2


def test_the_entities_page_merges_for_reviewers(client, project, rita, dupes):
    client.force_login(rita)
    page = client.get(reverse("entities", args=[project.slug])).content.decode()
    assert 'id="merge-form"' in page and 'hx-boost="true"' in page
    response = client.post(
        reverse("entities-merge", args=[project.slug]),
        {"merge": [dupes["short"].pk, dupes["dotted"].pk], "into": dupes["dotted"].pk},
        follow=True,
    )
    assert "Merged 1 entities into “U.S.”" in response.content.decode()
    assert Claim.objects.get(pk=dupes["claims"][0].pk).speaker_entity == dupes["dotted"]
    assert not Entity.objects.filter(pk=dupes["short"].pk).exists()


def test_the_entities_page_refuses_annotators_and_a_keep_outside_the_ticked(
    client, project, alice, rita, dupes
):
    url = reverse("entities-merge", args=[project.slug])
    client.force_login(alice)
    assert (
        client.post(url, {"merge": [dupes["short"].pk], "into": dupes["us"].pk}).status_code == 403
    )
    client.force_login(rita)
    response = client.post(
        url, {"merge": [dupes["short"].pk, dupes["dotted"].pk], "into": dupes["us"].pk}, follow=True
    )
    assert "choose the entity to keep" in response.content.decode()
    assert Entity.objects.filter(project=project).count() == 4
