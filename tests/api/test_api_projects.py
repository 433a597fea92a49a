"""Projects and entities over the API: create, configure, and refuse bad settings."""

from __future__ import annotations

import pytest

from annotator.models import Entity, Membership, Project, Role
from tests.api.conftest import add_claim

URL = "/api/projects/syria-2024/"


def test_the_creator_of_a_project_manages_it(api, outsider) -> None:
    body = {
        "slug": "elections",
        "name": "Elections",
        "description": "Who said what.",
        "scheme": {"stance_labels": ["pro", "con"], "blind": False},
    }
    response = api("outsider").post("/api/projects/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["role"], data["description"]) == ("manager", "Who said what.")
    assert data["scheme"]["stance_labels"] == ["pro", "con"]
    assert data["scheme"]["attributes"] == {"quote_type": ["direct", "indirect", "mixed"]}
    project = Project.objects.get(slug="elections")
    assert Membership.objects.get(project=project, user=outsider).role == Role.MANAGER


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"slug": "Not A Slug"}, "slug", id="bad slug"),
        pytest.param({"slug": "syria-2024"}, "slug", id="taken slug"),
        pytest.param({}, "slug", id="no slug"),
        pytest.param({"slug": 7}, "slug", id="slug not text"),
        pytest.param({"slug": "p", "name": "x" * 201}, "name", id="long name"),
        pytest.param({"slug": "p", "scheme": {"overlap": 0}}, "scheme", id="bad overlap"),
        pytest.param({"slug": "p", "scheme": {"colour": 1}}, "scheme", id="unknown key"),
        pytest.param({"slug": "p", "guidelines": ["x"]}, "guidelines", id="guidelines list"),
    ],
)
def test_it_refuses_a_bad_new_project(api, project, body, field) -> None:
    response = api("mia").post("/api/projects/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Project.objects.count() == 1


def test_projects_list_shows_my_role(api, project) -> None:
    [item] = api("rita").get("/api/projects/").json()["results"]
    assert (item["slug"], item["role"]) == ("syria-2024", "reviewer")
    assert api("outsider").get("/api/projects/").json()["count"] == 0


def test_managers_change_settings(api, project) -> None:
    body = {"name": "Syria", "guidelines": "Mark every claim.", "scheme": {"overlap": 3}}
    response = api("mia").patch(URL, body, format="json")
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.name, project.guidelines) == ("Syria", "Mark every claim.")
    assert project.parsed_scheme.overlap == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"name": ""}, "name", id="empty name"),
        pytest.param({"name": None}, "name", id="null name"),
        pytest.param({"scheme": {"stance_labels": []}}, "scheme", id="no labels"),
        pytest.param({"scheme": "default"}, "scheme", id="scheme not an object"),
        pytest.param({"description": 3}, "description", id="description not text"),
    ],
)
def test_it_refuses_bad_settings(api, project, body, field) -> None:
    response = api("mia").patch(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    project.refresh_from_db()
    assert project.name == "Syria 2024"


def test_it_refuses_to_drop_a_stance_label_in_use(api, alice, project, document) -> None:
    add_claim(alice, document)  # stance "oppose"
    body = {"scheme": {"stance_labels": ["support", "against"]}}
    response = api("mia").patch(URL, body, format="json")
    assert response.status_code == 400
    assert "oppose" in response.json()["scheme"][0]
    body = {"scheme": {"stance_labels": ["oppose", "support"]}}
    assert api("mia").patch(URL, body, format="json").status_code == 200


def test_it_refuses_to_drop_an_attribute_value_in_use(api, alice, project, document) -> None:
    add_claim(alice, document, attributes={"quote_type": "mixed"})
    body = {"scheme": {"attributes": {"quote_type": ["direct", "indirect"]}}}
    response = api("mia").patch(URL, body, format="json")
    assert response.status_code == 400
    assert "quote_type" in response.json()["scheme"][0]
    assert api("mia").patch(URL, {"scheme": {"attributes": {}}}, format="json").status_code == 400


ENTITIES = "/api/projects/syria-2024/entities/"


def test_members_create_entities_one_or_many(api, project) -> None:
    one = api("alice").post(ENTITIES, {"name": "Russia", "aliases": ["Moscow"]}, format="json")
    assert one.status_code == 201
    assert one.json()["aliases"] == ["Moscow"]
    many = api("alice").post(ENTITIES, [{"name": "Iran"}, {"name": "Turkey"}], format="json")
    assert [e["name"] for e in many.json()] == ["Iran", "Turkey"]
    listed = api("bob").get(ENTITIES + "?q=mosc").json()["results"]
    assert [e["name"] for e in listed] == ["Russia"]


def test_a_bad_entity_in_a_list_creates_none(api, project, entity) -> None:
    body = [{"name": "Iran"}, {"name": "united states"}, {"name": ""}, {"name": "Turkey"}]
    response = api("alice").post(ENTITIES, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "name"), (2, "name")]
    assert list(Entity.objects.values_list("name", flat=True)) == ["United States"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"name": "United States"}, "name", id="taken"),
        pytest.param({"aliases": "US"}, "aliases", id="aliases not a list"),
        pytest.param({"name": 5}, "name", id="name not text"),
    ],
)
def test_it_refuses_a_bad_entity_change(api, entity, project, body, field) -> None:
    Entity.objects.create(project=project, name="Other")
    target = Entity.objects.get(name="Other")
    response = api("rita").patch(f"/api/entities/{target.pk}/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_reviewers_rename_entities(api, entity) -> None:
    body = {"name": "USA", "aliases": ["United States", "US"]}
    response = api("rita").patch(f"/api/entities/{entity.pk}/", body, format="json")
    assert response.json() == {
        "id": entity.pk,
        "name": "USA",
        "aliases": ["United States", "US"],
        "wikidata": None,
        "type": None,
    }


def test_entities_of_other_projects_are_not_found(api, entity, outsider) -> None:
    assert api("outsider").get(f"/api/entities/{entity.pk}/").status_code == 404
    assert api("alice").get("/api/entities/999999/").status_code == 404
