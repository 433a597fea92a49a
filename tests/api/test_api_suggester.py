"""The API's view of the trained suggester, and training as a job started through it."""

from __future__ import annotations

from tests.jobs.conftest import work
from tests.learned_corpus import load_into


def test_a_manager_trains_through_the_api_and_reviewers_read_the_status(api, project, rita):
    url = f"/api/projects/{project.slug}/suggester/"
    assert api("rita").get(url).json() == {"in_use": "rules", "trained": None}
    load_into(project, rita)
    jobs_url = f"/api/projects/{project.slug}/jobs/"
    start = {"kind": "train_suggester", "params": {"include_submitted": True}}
    assert api("rita").post(jobs_url, start, format="json").status_code == 403
    answer = api("mia").post(jobs_url, start, format="json")
    assert answer.status_code == 202
    work()
    assert api("mia").get(f"/api/jobs/{answer.json()['id']}/").json()["state"] == "done"
    status = api("rita").get(url).json()
    assert status["in_use"] == "trained" and status["trained"]["active"] is True
    figures = status["trained"]["held_out"]
    assert figures["trained"]["f1"] > figures["rules"]["f1"]
    assert set(figures["trained"]) == {
        "precision",
        "recall",
        "f1",
        "speaker",
        "f1_95",
        "speaker_95",
    }
    low, high = figures["trained"]["f1_95"]
    assert low <= figures["trained"]["f1"] <= high
    assert status["trained"]["documents"] + status["trained"]["held_out_documents"] == 40


def test_annotators_and_outsiders_do_not_see_it(api, project):
    url = f"/api/projects/{project.slug}/suggester/"
    assert api("alice").get(url).status_code == 403
    assert api("outsider").get(url).status_code == 404
