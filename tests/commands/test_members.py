"""add_member and assign: a new project's team and its work, from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Assignment, Document, Membership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_member_adds_a_user_and_changes_a_role(project, outsider):
    assert run("add_member", project.slug, "outsider", "annotator") == (
        "outsider is annotator of syria-2024\n"
    )
    run("add_member", project.slug, "outsider", "reviewer")
    assert Membership.objects.get(project=project, user=outsider).role == "reviewer"


def test_add_member_names_what_is_wrong(project):
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run("add_member", project.slug, "nobody", "annotator")
    with pytest.raises(CommandError, match="unknown project 'nope'"):
        run("add_member", "nope", "alice", "annotator")
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        run("add_member", project.slug, "alice", "boss")


def test_assign_spreads_documents_over_the_annotators(project, alice, bob):
    for i in range(4):
        Document.objects.create(project=project, external_id=f"d{i}", text=f"text {i}")
    assert run("assign", project.slug, "--overlap", "1") == "4 assignments made in syria-2024\n"
    load = sorted(Assignment.objects.values_list("annotator__username", flat=True))
    assert load == ["alice", "alice", "bob", "bob"]
    # Existing assignments are kept: a second run with overlap 2 adds the other annotator.
    assert run("assign", project.slug, "--overlap", "2").startswith("4 assignments")
    assert Assignment.objects.count() == 8


def test_assign_to_named_annotators_only(project, alice, bob):
    make_user("carol")
    run("add_member", project.slug, "carol", "annotator")
    Document.objects.create(project=project, external_id="d", text="text")
    run("assign", project.slug, "--overlap", "1", "--annotators", "carol")
    assert list(Assignment.objects.values_list("annotator__username", flat=True)) == ["carol"]
    with pytest.raises(CommandError, match="not annotators of this project: mia"):
        run("assign", project.slug, "--annotators", "mia")
