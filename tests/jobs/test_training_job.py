"""The suggester training as a job: a manager's kind that reports progress and returns the
held-out figures."""

from __future__ import annotations

import orjson
import pytest
from django.core.exceptions import PermissionDenied

from annotator.models import JobState, TrainedSuggester
from annotator.services import jobs
from annotator.services.access import access_to
from tests.jobs.conftest import work
from tests.learned_corpus import load_into


def test_a_training_job_stores_the_suggester_and_returns_its_figures(project, mia, rita):
    load_into(project, rita)
    job = jobs.enqueue(project, "train_suggester", owner=mia, params={"include_submitted": False})
    work()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    suggester = TrainedSuggester.objects.get()
    assert suggester.active and suggester.created_by == mia
    assert job.result["id"] == suggester.pk and job.result["active"] is True
    assert job.result["held_out"]["trained"]["f1"] == suggester.f1
    assert job.result["held_out"]["rules"]["recall"] == suggester.rules_recall
    assert job.total and job.done == job.total and job.unit == "steps"
    assert orjson.loads(orjson.dumps(job.result)) == job.result


def test_a_training_job_on_too_little_fails_with_the_reason(project, mia):
    job = jobs.enqueue(project, "train_suggester", owner=mia)
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "at least 10 documents" in job.message
    assert not TrainedSuggester.objects.exists()


@pytest.mark.parametrize("username", ["alice", "rita"])
def test_only_managers_may_start_one(project, users, username):
    with pytest.raises(PermissionDenied):
        jobs.require_role(access_to(users[username], project), "train_suggester")
    jobs.require_role(access_to(users["mia"], project), "train_suggester")
