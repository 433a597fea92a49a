"""manage.py demo: project syria-2024, its users and DESIGN.md's example claim."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotator.models import Assignment, Claim, Document, Entity, Membership, Project

pytestmark = pytest.mark.django_db

MODELS = (get_user_model(), Project, Membership, Document, Entity, Assignment, Claim)


def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_project_with_the_seed_article():
    demo()
    project = Project.objects.get(slug="syria-2024")
    document = Document.objects.get(project=project)
    assert document.external_id == "gn-2024-12-01-assad"
    assert document.text[2504:2526] == "lost control of Aleppo"
    assert project.guidelines


def test_it_creates_the_users_with_their_roles():
    out = demo()
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["alice"] == roles["bob"] == "annotator"
    assert roles["rita"] == "reviewer"
    assert "admin" not in roles
    for name in ("admin", "alice", "bob", "rita"):
        user = User.objects.get(username=name)
        assert user.is_active
        assert not user.is_superuser or name == "admin"
        # rita reviews in the admin as well (scoped to her projects); annotators stay out.
        assert user.is_staff == (name in ("admin", "rita"))
        assert name in out
    assert "password" in out
    assert User.objects.get(username="alice").check_password(_password(out, "alice"))


def _password(out: str, username: str) -> str:
    line = next(line for line in out.splitlines() if line.split()[:1] == [username])
    return line.split("password", 1)[1].split()[0]


def test_it_annotates_the_us_claim_as_in_the_design():
    demo()
    claim = Claim.objects.get()
    text = claim.document.text
    assert claim.annotator.username == "alice"
    assert (claim.claim_start, claim.claim_end) == (2504, 2526)
    assert (claim.speaker_start, claim.speaker_end) == (2459, 2476)
    assert (claim.cue_start, claim.cue_end) == (2489, 2493)
    assert (claim.target_start, claim.target_end) == (2494, 2502)
    assert claim.span_text("claim") == text[2504:2526] == "lost control of Aleppo"
    assert claim.span_text("speaker") == "The United States"
    assert claim.span_text("cue") == "said"
    assert claim.span_text("target") == "Al Assad"
    assert claim.stance == "oppose"
    assert claim.speaker_entity.name == "United States"
    assert claim.target_entity.name == "Bashar al-Assad"
    assert claim.attributes == {"quote_type": "direct"}


def test_alice_and_bob_are_assigned_the_article():
    demo()
    assert set(Assignment.objects.values_list("annotator__username", flat=True)) == {
        "alice",
        "bob",
    }


def test_the_demo_exports_as_in_the_design(tmp_path):
    demo()
    path = tmp_path / "demo.jsonl"
    call_command("export_jsonl", "syria-2024", "-o", str(path), stderr=StringIO())
    (line,) = [json.loads(raw) for raw in path.read_bytes().splitlines()]
    assert line["id"] == "gn-2024-12-01-assad"
    (claim,) = line["annotations"][0]["claims"]
    assert claim["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert claim["speaker"] == {
        "start": 2459,
        "end": 2476,
        "text": "The United States",
        "entity": "United States",
    }
    assert claim["cue"] == {"start": 2489, "end": 2493, "text": "said"}
    assert claim["target"] == {
        "start": 2494,
        "end": 2502,
        "text": "Al Assad",
        "entity": "Bashar al-Assad",
    }
    assert claim["stance"] == "oppose"


def test_running_the_demo_twice_creates_no_duplicates():
    demo()
    before = {model.__name__: model.objects.count() for model in MODELS}
    demo()
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert before["Claim"] == 1
    assert before["Project"] == 1
