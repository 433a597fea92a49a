"""The admin scoped to the staff user's projects: rita, a staff user who reviews project A,
against every admin model's objects of project B (where she is no member): never listed,
never opened, never offered by an autocomplete, never touched by an action."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from annotator.models import (
    Assignment,
    Claim,
    Document,
    Entity,
    Job,
    Membership,
    Project,
    Review,
    Role,
)
from annotator.services.projects import create_project

SECRET = "SECRET-B"
MODELS = [Project, Membership, Document, Entity, Claim, Assignment, Review, Job]
# For each model, a foreign key pointing at it, through which the admin's autocomplete
# endpoint offers its objects (Membership and Review have none: no autocomplete offers them).
AUTOCOMPLETE = {
    Project: ("document", "project"),
    Document: ("claim", "document"),
    Entity: ("claim", "speaker_entity"),
    Claim: ("claim", "origin"),
    Assignment: ("review", "assignment"),
    Job: ("job", "parent"),
}


def _objects(project: Project, annotator, reviewer, name: str) -> dict:
    document = Document.objects.create(
        project=project, external_id=f"{name}-doc", title=f"{name} title", text=f"{name} said hi."
    )
    entity = Entity.objects.create(project=project, name=f"{name} entity")
    claim = Claim.objects.create(
        document=document,
        annotator=annotator,
        claim_start=0,
        claim_end=len(name),
        speaker_entity=entity,
        note=f"{name} note",
    )
    assignment = Assignment.objects.create(document=document, annotator=annotator)
    return {
        Project: project,
        Membership: Membership.objects.get(project=project, user=annotator),
        Document: document,
        Entity: entity,
        Claim: claim,
        Assignment: assignment,
        Review: Review.objects.create(
            reviewer=reviewer, claim=claim, decision="accepted", comment=f"{name} comment"
        ),
        Job: Job.objects.create(project=project, kind="import", input_name=f"{name}.jsonl"),
    }


@pytest.fixture
def world(project, users):
    """rita (staff) reviews project A; project B's members are bob and mia only."""
    rita = users["rita"]
    rita.is_staff = True
    rita.save()
    other = create_project("project-b", name=SECRET)
    Membership.objects.create(project=other, user=users["bob"], role=Role.ANNOTATOR)
    Membership.objects.create(project=other, user=users["mia"], role=Role.MANAGER)
    return {
        "a": _objects(project, users["alice"], users["mia"], "Alpha"),
        "b": _objects(other, users["bob"], users["mia"], SECRET),
        "rita": rita,
    }


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:annotator_{model._meta.model_name}_{view}", args=args)


def _snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in MODELS]


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_changelist_lists_project_a_and_never_project_b(client, world, model):
    client.force_login(world["rita"])
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    shown = {o.pk for o in response.context["cl"].result_list}
    assert world["a"][model].pk in shown
    assert world["b"][model].pk not in shown
    assert SECRET not in response.content.decode()  # nor in a filter's choices


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_project_b_objects_do_not_open(client, world, model):
    client.force_login(world["rita"])
    assert client.get(_url(model, "change", world["a"][model].pk)).status_code == 200
    hidden = world["b"][model].pk
    for response in (
        client.get(_url(model, "change", hidden)),
        client.post(_url(model, "change", hidden), {"name": "changed", "note": "changed"}),
    ):
        # 403 where she may change no such object at all (it is refused before any lookup).
        assert response.status_code in (302, 403, 404)
        assert SECRET not in response.content.decode()
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
    history = client.get(_url(model, "history", hidden))
    assert history.status_code in (302, 403, 404)
    assert SECRET not in history.content.decode()


@pytest.mark.parametrize("model", list(AUTOCOMPLETE), ids=lambda m: m.__name__)
def test_autocomplete_never_offers_project_b(client, world, model):
    client.force_login(world["rita"])
    source, field = AUTOCOMPLETE[model]
    params = {"app_label": "annotator", "model_name": source, "field_name": field}
    offered = [
        int(r["id"])
        for term in ("", SECRET[:3], SECRET.lower())
        for r in client.get(reverse("admin:autocomplete"), {**params, "term": term}).json()[
            "results"
        ]
    ]
    assert world["a"][model].pk in offered
    assert world["b"][model].pk not in offered


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_action_touches_project_b(client, world, model):
    client.force_login(world["rita"])
    names = ["delete_selected", *(a.__name__ for a in admin.site._registry[model].actions)]
    hidden = world["b"][model].pk
    before = _snapshot()
    for name in names:
        response = client.post(
            _url(model, "changelist"),
            {
                "action": name,
                "_selected_action": [hidden],
                "apply": "1",
                "comment": "decided",
                "into": hidden,
                "post": "yes",
            },
        )
        assert response.status_code in (200, 302)
        assert SECRET not in _body(response)
    assert _snapshot() == before


def test_the_claim_decision_page_of_project_b_does_not_open(client, world):
    client.force_login(world["rita"])
    hidden = world["b"][Claim].pk
    url = reverse("admin:annotator_claim_decide", args=[hidden, "rejected"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"apply": "1", "comment": "no"}).status_code == 404
    assert not Review.objects.filter(claim=hidden, reviewer=world["rita"]).exists()


def test_form_choices_offer_only_the_users_projects(client, world):
    client.force_login(world["rita"])
    claim = world["a"][Claim]
    form = client.get(_url(Claim, "change", claim.pk)).context["adminform"].form
    assert set(form.fields["annotator"].queryset.values_list("username", flat=True)) == {
        "alice",
        "bob",
        "rita",
        "mia",
    }  # project A's members
    assert list(form.fields["document"].queryset) == [world["a"][Document]]
    assert world["b"][Entity] not in form.fields["speaker_entity"].queryset


def test_a_staff_annotator_sees_no_project_in_the_admin(client, world, users):
    alice = users["alice"]
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Claims" not in index.content.decode()
    assert client.get(_url(Claim, "changelist")).status_code == 403


def test_a_superuser_sees_both_projects(client, world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.org", "pw-root-1")
    client.force_login(root)
    shown = {c.pk for c in client.get(_url(Claim, "changelist")).context["cl"].result_list}
    assert {world["a"][Claim].pk, world["b"][Claim].pk} <= shown
