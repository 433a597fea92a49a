"""GET /api/projects/{slug}/claims/ and its stats: the explorer's filters and visibility."""

from __future__ import annotations

import pytest

from annotator.models import Claim, Entity
from annotator.services.access import access_to
from annotator.services.review import take_into_gold
from tests.api.conftest import add_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, document, alice, bob, rita, us_claim_payload):
    document.published = "2024-12-01"
    document.save()
    us = Entity.objects.create(project=project, name="United States", type="country")
    mine = add_claim(
        alice,
        document,
        stance="oppose",
        speaker={**us_claim_payload["speaker"], "entity": "United States"},
    )
    theirs = add_claim(bob, document, "Aleppo", stance="support")
    take_into_gold(access_to(rita, project), mine)
    return {"us": us, "alice": mine, "bob": theirs, "gold": Claim.objects.get(is_gold=True)}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["results"]}


def test_it_lists_the_projects_claims_with_their_documents(api, project, world):
    response = api("mia").get(f"/api/projects/{project.slug}/claims/")
    assert _ids(response) == {world["alice"].pk, world["bob"].pk, world["gold"].pk}
    body = response.json()
    assert body["count"] == 3
    claim = next(c for c in body["results"] if c["id"] == world["alice"].pk)
    assert claim["claim"]["text"] == "lost control of Aleppo"
    assert claim["speaker"]["entity"] == "United States"
    assert (claim["document_id"], claim["published"]) == ("seed", "2024-12-01")


def test_it_filters_as_the_page_does(api, project, world):
    client = api("rita")
    url = f"/api/projects/{project.slug}/claims/"
    assert _ids(client.get(url, {"speaker": world["us"].pk, "status": "work"})) == {
        world["alice"].pk
    }
    assert _ids(client.get(url, {"stance": "support"})) == {world["bob"].pk}
    assert _ids(client.get(url, {"speaker_type": "country", "status": "gold"})) == {
        world["gold"].pk
    }
    assert _ids(client.get(url, {"date_from": "2024-12-02"})) == set()


@pytest.mark.parametrize(
    "params",
    [{"stance": "angry"}, {"date_from": "yesterday"}, {"status": "all"}, {"speaker": "US"}],
)
def test_bad_filters_get_400(api, project, world, params):
    response = api("mia").get(f"/api/projects/{project.slug}/claims/", params)
    assert response.status_code == 400
    assert set(params) & set(response.json())


def test_a_blind_annotator_sees_only_their_own_claims_and_counts(api, project, world):
    client = api("bob")
    assert _ids(client.get(f"/api/projects/{project.slug}/claims/")) == {world["bob"].pk}
    assert _ids(client.get(f"/api/projects/{project.slug}/claims/?annotator=alice")) == set()
    for group in ("month", "week", "stance"):
        stats = client.get(f"/api/projects/{project.slug}/claims/stats/", {"group": group})
        assert stats.status_code == 200
        assert stats.json()["total"] == 1, group
    speakers = client.get(f"/api/projects/{project.slug}/claims/stats/?group=speaker").json()
    assert speakers["rows"] == []  # alice's US claim is not counted


def test_stats_per_month_and_speaker(api, project, world):
    url = f"/api/projects/{project.slug}/claims/stats/"
    month = api("mia").get(url, {"group": "month"}).json()
    assert month["series"] == ["support", "oppose", "neutral", "none"]
    assert month["rows"] == [
        {
            "key": "2024-12-01",
            "label": "2024-12",
            "counts": {"support": 1, "oppose": 2, "neutral": 0, "none": 0},
            "total": 3,
        }
    ]
    speaker = api("mia").get(url, {"group": "speaker", "status": "work"}).json()
    assert [(r["label"], r["total"], r["type"]) for r in speaker["rows"]] == [
        ("United States", 1, "country")
    ]
    assert api("mia").get(url, {"group": "year"}).status_code == 400
    assert api("mia").get(url).status_code == 400


def test_outsiders_and_anonymous_get_nothing(api, project, world):
    assert api("outsider").get(f"/api/projects/{project.slug}/claims/").status_code == 404
    stats = f"/api/projects/{project.slug}/claims/stats/?group=month"
    assert api("outsider").get(stats).status_code == 404
    assert api(None).get(stats).status_code == 401


def test_the_list_costs_a_fixed_number_of_queries(
    api, project, world, alice, django_assert_max_num_queries
):
    client = api("mia")
    url = f"/api/projects/{project.slug}/claims/"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        add_claim(alice, world["alice"].document, "Aleppo")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 23


def test_entities_carry_their_wikidata_id_and_type(api, project, world):
    client = api("rita")
    response = client.patch(f"/api/entities/{world['us'].pk}/", {"wikidata": "Q30"}, format="json")
    assert response.status_code == 200
    assert (response.json()["wikidata"], response.json()["type"]) == ("Q30", "country")
    bad = client.patch(f"/api/entities/{world['us'].pk}/", {"wikidata": "30"}, format="json")
    assert bad.status_code == 400
