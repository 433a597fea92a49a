"""Annotation imports at the same moment, on PostgreSQL, many rounds: the same file twice
into one project, and files naming the same new annotator into two projects."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from annotator.models import Claim, Document
from annotator.services.annotations_import import import_annotations
from annotator.services.projects import create_project
from tests.races import ROUNDS, together

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

TEXT = 'The mayor said the bridge "is safe".'


def line(round_: int, annotator: str, n: int = 0) -> dict:
    start = TEXT.index("is safe")
    return {
        "id": f"r{round_}-{n}",
        "text": TEXT,
        "annotations": [
            {
                "annotator": annotator,
                "status": "submitted",
                "claims": [{"claim": {"start": start, "end": start + 7}, "stance": "support"}],
            }
        ],
    }


def load(project, records: list[dict]) -> object:
    lines = list(enumerate(records, 1))
    return import_annotations(project, lines, source="f.jsonl", create_users=True)


def test_the_same_file_imported_twice_at_once_adds_its_claims_once():
    project = create_project("p1")
    wrong = []
    for round_ in range(ROUNDS):
        records = [line(round_, f"ann{round_}", n) for n in range(3)]
        results = together(*[lambda records=records: load(project, records)] * 3)
        failed = [r for r in results if isinstance(r, Exception)]
        claims = Claim.objects.filter(document__external_id__startswith=f"r{round_}-").count()
        if failed or claims != 3 or sorted(r.claims for r in results) != [0, 0, 3]:
            wrong.append((round_, failed, claims))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"


def test_two_projects_importing_the_same_new_annotator_at_once_share_the_account():
    projects = [create_project("p1"), create_project("p2")]
    wrong = []
    for round_ in range(ROUNDS):
        records = [line(round_, f"new{round_}")]
        results = together(*[lambda p=p, r=records: load(p, r) for p in projects])
        failed = [r for r in results if isinstance(r, Exception)]
        accounts = get_user_model().objects.filter(username=f"new{round_}").count()
        documents = Document.objects.filter(external_id=f"r{round_}-0").count()
        if failed or accounts != 1 or documents != 2:
            wrong.append((round_, failed, accounts, documents))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds went wrong: {wrong}"
