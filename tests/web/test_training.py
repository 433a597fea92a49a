"""The dashboard's suggesters section and its training button (managers only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.models import Assignment, Document, Job, Suggestion
from annotator.models.suggestion import Origin
from annotator.services.suggestions import run_detector
from annotator.services.training import train_suggester
from tests.learned_corpus import load_into

BUTTON = "Train a suggester on this project's claims"


def test_a_manager_starts_a_training_job_from_the_dashboard(client, project, mia):
    client.force_login(mia)
    page = client.get(reverse("dashboard", args=[project.slug])).content.decode()
    assert BUTTON in page and "No suggester has been trained" in page
    response = client.post(
        reverse("job-start", args=[project.slug]),
        {"kind": "train_suggester", "include_submitted": "1"},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.params, job.owner) == (
        "train_suggester",
        {"include_submitted": True},
        mia,
    )


@pytest.mark.parametrize("username", ["alice", "rita", "outsider"])
def test_nobody_else_can_start_one(client, project, users, username):
    client.force_login(users[username])
    response = client.post(reverse("job-start", args=[project.slug]), {"kind": "train_suggester"})
    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


def test_reviewers_see_the_figures_without_the_button_and_annotators_neither(
    client, project, rita, alice, mia
):
    load_into(project, rita)
    suggester = train_suggester(project, user=mia)
    client.force_login(rita)
    page = client.get(reverse("dashboard", args=[project.slug])).content.decode()
    assert "Trained on this project" in page and BUTTON not in page
    assert f"{suggester.recall:.3f}" in page and f"{suggester.rules_recall:.3f}" in page
    assert f"on {suggester.documents} documents" in page
    low, high = suggester.intervals["f1"]
    assert f"{suggester.f1:.3f} ({low:.3f}–{high:.3f})" in page
    assert "Suggestions use the trained suggester." in page
    client.force_login(alice)
    page = client.get(reverse("dashboard", args=[project.slug])).content.decode()
    assert "Suggesters" not in page and BUTTON not in page


def test_a_trained_suggestion_says_where_it_comes_from(client, project, rita, mia, alice):
    load_into(project, rita)
    train_suggester(project, user=mia)
    text = "In Jonas Berg's reading, the harbour plan needs a second vote."
    document = Document.objects.create(project=project, external_id="new", text=text)
    Assignment.objects.create(document=document, annotator=alice)
    run_detector(project, ["new"])
    suggestion = Suggestion.objects.get(document=document)
    assert suggestion.origin == Origin.TRAINED
    client.force_login(alice)
    card = client.get(reverse("suggestion", args=[suggestion.pk]), follow=True).content.decode()
    assert "Proposed by the suggester trained on this project" in card
    assert "“the harbour plan needs a second vote”" in card and "“Jonas Berg”" in card
