"""A manager trains the project's suggester from the dashboard: the button queues the job,
its page follows it, and once a worker has run it the dashboard's Suggesters table shows the
trained one in use with its held-out figures."""

from __future__ import annotations

import pytest

from annotator.models import Job, JobState, TrainedSuggester
from tests.jobs.conftest import work
from tests.learned_corpus import load_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_trains_the_suggester_from_the_dashboard(login, live_server, project, rita):
    load_into(project, rita)
    page = login("mia")
    page.goto(f"{live_server.url}/p/{project.slug}/")
    table = page.locator("#suggesters")
    assert "No suggester has been trained" in table.inner_text()
    table.get_by_role("button", name="Train a suggester on this project's claims").click()
    job = Job.objects.get(kind="train_suggester")
    page.wait_for_url(f"{live_server.url}/jobs/{job.pk}/")
    page.get_by_text("Suggester training").first.wait_for()

    work()  # a worker runs it
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    suggester = TrainedSuggester.objects.get()

    page.goto(f"{live_server.url}/p/{project.slug}/")
    trained_row = table.get_by_role("row", name="Trained on this project's claims")
    assert trained_row.get_by_role("cell").first.inner_text() == "yes"
    assert f"{suggester.recall:.3f}" in trained_row.inner_text()
    rules_row = table.get_by_role("row", name="Rules (built-in detector)")
    assert rules_row.get_by_role("cell").first.inner_text() == "no"
    assert "Suggestions use the trained suggester." in table.inner_text()
