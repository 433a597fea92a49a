"""The claim explorer page, its charts, an entity's page and the export of a view."""

from __future__ import annotations

import csv
import io

import orjson
import pytest
from django.urls import reverse

from annotator.models import Claim, Document, Entity
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.review import take_into_gold
from tests.conftest import SEED_TEXT, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, document, alice, bob, rita, us_claim_payload):
    """alice's US claim (oppose, about Assad), bob's claim on another sentence, and a gold
    copy of alice's claim; the seed article is dated 2024-12-01."""
    document.published = "2024-12-01T08:00:00+00:00"
    document.url = "https://example.org/assad"
    document.meta = {"publisher": "guardian"}
    document.save()
    us = Entity.objects.create(project=project, name="United States", wikidata="Q30")
    assad = Entity.objects.create(project=project, name="Bashar al-Assad", type="person")
    mine = create_claim(
        access_to(alice, project),
        document,
        {
            **us_claim_payload,
            "speaker": {**us_claim_payload["speaker"], "entity": us.pk},
            "target": {**us_claim_payload["target"], "entity": assad.pk},
        },
    )
    theirs = create_claim(
        access_to(bob, project),
        document,
        {"claim": span(SEED_TEXT, "Aleppo"), "stance": "support", "note": "bob's"},
    )
    take_into_gold(access_to(rita, project), mine)
    gold = Claim.objects.get(is_gold=True)
    return {"us": us, "assad": assad, "alice": mine, "bob": theirs, "gold": gold}


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_a_manager_sees_every_claim_and_the_gold(client, mia, project, world):
    response = _get(client, mia, "explorer", project.slug)
    assert response.status_code == 200
    page = response.context["page"]
    assert {r["id"] for r in page.rows} == {world["alice"].pk, world["bob"].pk, world["gold"].pk}
    html = response.content.decode()
    assert "lost control of Aleppo" in html and "United States" in html
    # Each row opens its claim in the article, at its block.
    assert f"?claim={world['alice'].pk}#block-" in html
    assert f"?gold=1&amp;claim={world['gold'].pk}#block-" in html


def test_a_blind_annotator_sees_only_their_own_claims(client, bob, project, world):
    response = _get(client, bob, "explorer", project.slug)
    assert [r["id"] for r in response.context["page"].rows] == [world["bob"].pk]
    html = response.content.decode()
    assert "lost control of Aleppo" not in html
    # Nor through the charts, nor by asking for alice's claims or gold by name.
    charts = _get(client, bob, "explorer-charts", project.slug)
    assert charts.context["time"]["stats"]["total"] == 1
    assert charts.context["matrix"]["cells"] == []  # alice's US → Assad pair is not shown
    assert "Bashar al-Assad" not in charts.content.decode()
    for params in ({"annotator": "alice"}, {"status": "gold"}, {"speaker": world["us"].pk}):
        assert _get(client, bob, "explorer", project.slug, **params).context["page"].count == 0


def test_the_speaker_filter_lists_the_us_claims_only(client, mia, project, world):
    response = _get(client, mia, "explorer", project.slug, speaker=world["us"].pk)
    assert {r["id"] for r in response.context["page"].rows} == {
        world["alice"].pk,
        world["gold"].pk,
    }
    assert response.context["f"].speaker == world["us"].pk


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stance": "support"}, {"bob"}),
        ({"stance": "oppose", "status": "work"}, {"alice"}),
        ({"status": "gold"}, {"gold"}),
        ({"target": "ASSAD"}, None),  # refused: an id is needed
        ({"q": "LOST control"}, {"alice", "gold"}),
        ({"date_from": "2024-12-01", "date_to": "2024-12-01"}, {"alice", "bob", "gold"}),
        ({"date_to": "2024-11-30"}, set()),
        ({"publisher": "guardian", "annotator": "bob"}, {"bob"}),
        ({"meta": "publisher=reuters"}, set()),
        # Keys named as lookups are keys: no "gt" key, nothing greater than "a".
        ({"meta": "gt=a"}, set()),
        ({"meta": "isnull=x,regex=["}, set()),
        ({"speaker_type": "person"}, set()),
        ({"target_type": "person"}, {"alice", "gold"}),
    ],
)
def test_the_filters(client, mia, project, world, params, expected):
    response = _get(client, mia, "explorer", project.slug, **params)
    ids = {r["id"] for r in response.context["page"].rows}
    if expected is None:
        assert response.context["error"].startswith("target:")
        return
    assert ids == {world[name].pk for name in expected}


def test_accepted_means_accepted_alone_or_in_an_accepted_set(client, mia, project, world):
    Claim.objects.filter(pk=world["bob"].pk).update(review="accepted")
    response = _get(client, mia, "explorer", project.slug, status="accepted")
    assert [r["id"] for r in response.context["page"].rows] == [world["bob"].pk]


def test_htmx_gets_the_region_and_history_restore_the_page(client, mia, project, world):
    client.force_login(mia)
    url = reverse("explorer", args=[project.slug])
    region = client.get(url, {"stance": "support"}, HTTP_HX_REQUEST="true").content.decode()
    assert region.lstrip().startswith('<div id="explorer">')
    assert "<html" not in region
    restored = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()


def test_sorting_and_paging(client, mia, project, world, alice):
    extra = Document.objects.create(
        project=project, external_id="two", title="Zeta", text="Alpha said no. " * 60
    )
    extra.assignments.create(annotator=alice)
    access = access_to(alice, project)
    for i in range(55):
        create_claim(access, extra, {"claim": {"start": i * 15, "end": i * 15 + 5}})
    first = _get(client, mia, "explorer", project.slug, sort="title")
    page = first.context["page"]
    assert (page.count, page.num_pages, len(page.rows)) == (58, 2, 50)
    assert first.context["pages"]["next"].endswith("sort=title&page=2")
    second = client.get(first.context["pages"]["next"]).context["page"]
    assert len(second.rows) == 8
    assert not {r["id"] for r in page.rows} & {r["id"] for r in second.rows}
    assert [r["document__title"] for r in page.rows][:1] == [world["alice"].document.title]


def test_the_page_costs_the_same_number_of_queries_however_many_claims(
    client, mia, project, world, alice, django_assert_max_num_queries
):
    client.force_login(mia)
    url = reverse("explorer", args=[project.slug])
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    access = access_to(alice, project)
    for i in range(30):
        create_claim(access, world["alice"].document, {"claim": {"start": i, "end": i + 3}})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_page_asks_for_its_charts_with_its_filters(client, mia, project, world):
    html = _get(client, mia, "explorer", project.slug, stance="oppose").content.decode()
    url = reverse("explorer-charts", args=[project.slug])
    assert f'hx-get="{url}?stance=oppose&amp;period=month" hx-trigger="load"' in html
    assert 'data-chart="stance-time"' not in html  # drawn by that second request
    charts = _get(client, mia, "explorer-charts", project.slug, stance="oppose")
    assert charts.context["time"]["stats"]["total"] == 2
    assert 'id="explorer-charts"' in charts.content.decode()


def test_the_stance_over_time_chart_draws_the_months(client, mia, project, world):
    response = _get(client, mia, "explorer-charts", project.slug)
    time = response.context["time"]
    assert [r["label"] for r in time["stats"]["rows"]] == ["2024-12"]
    assert time["stats"]["rows"][0]["counts"] == {
        "support": 1,
        "oppose": 2,
        "neutral": 0,
        "none": 0,
    }
    html = response.content.decode()
    assert 'data-chart="stance-time"' in html and "2024-12: 2 oppose" in html
    assert " style=" not in html  # the CSP allows no inline style
    week = _get(client, mia, "explorer-charts", project.slug, period="week").context["time"]
    assert [r["label"] for r in week["stats"]["rows"]] == ["2024-W48"]


def test_the_matrix_cell_opens_the_filtered_table(client, mia, project, world):
    response = _get(client, mia, "explorer-charts", project.slug)
    (cell,) = response.context["matrix"]["cells"]
    assert cell["n"] == 2 and cell["cls"] == "bal-o3"
    assert f"speaker={world['us'].pk}" in cell["href"]
    assert f"target={world['assad'].pk}" in cell["href"]
    listed = client.get(cell["href"]).context["page"]
    assert {r["id"] for r in listed.rows} == {world["alice"].pk, world["gold"].pk}


def test_an_outsider_gets_404(client, outsider, project, world):
    assert _get(client, outsider, "explorer", project.slug).status_code == 404
    assert _get(client, outsider, "explorer-charts", project.slug).status_code == 404
    assert _get(client, outsider, "explorer-export", project.slug, "jsonl").status_code == 404
    assert _get(client, outsider, "entity", project.slug, world["us"].pk).status_code == 404


def _export(client, user, project, fmt, **params):
    response = _get(client, user, "explorer-export", project.slug, fmt, **params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_export_holds_exactly_the_filtered_claims(client, mia, project, world):
    body = _export(client, mia, project, "jsonl", speaker=world["us"].pk, status="work")
    lines = [orjson.loads(line) for line in body.splitlines()]
    assert [line["claim_id"] for line in lines] == [world["alice"].uid]
    (line,) = lines
    assert line["schema"] == "claims/1-flat"
    assert line["published"] == "2024-12-01T08:00:00+00:00"
    assert line["url"] == "https://example.org/assad"
    assert line["title"] == world["alice"].document.title
    assert line["speaker"]["entity"] == "United States"
    assert line["speaker"]["wikidata"] == "Q30"
    assert line["target"]["type"] == "person"
    text = world["alice"].document.text
    for role in ("claim", "speaker", "cue", "target", "context"):
        assert text[line[role]["start"] : line[role]["end"]] == line[role]["text"]


def test_the_csv_export_has_a_header_and_a_row_per_claim(client, mia, project, world):
    body = _export(client, mia, project, "csv", stance="oppose").decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["annotator"] for r in rows) == ["alice", "rita"]
    assert {r["claim"] for r in rows} == {"lost control of Aleppo"}
    assert {r["speaker_wikidata"] for r in rows} == {"Q30"}
    assert {r["status"] for r in rows} == {"in_progress", "gold"}


def test_a_blind_annotators_export_holds_only_their_claims(client, bob, project, world):
    lines = _export(client, bob, project, "jsonl").splitlines()
    assert [orjson.loads(line)["claim_id"] for line in lines] == [world["bob"].uid]
    body = _export(client, bob, project, "csv", annotator="alice").decode()
    assert body.count("\n") == 1  # the header only


def test_the_entity_page_draws_it_as_speaker_and_target(client, bob, mia, project, world):
    response = _get(client, mia, "entity", project.slug, world["us"].pk)
    speaker, target = response.context["roles"]
    assert speaker["time"]["stats"]["total"] == 2 and target["time"]["stats"]["total"] == 0
    assert f"speaker={world['us'].pk}" in speaker["href"]
    # bob sees the page, but none of alice's claims in it.
    blind = _get(client, bob, "entity", project.slug, world["us"].pk)
    assert blind.context["roles"][0]["time"]["stats"]["total"] == 0


def test_a_reviewer_sets_the_wikidata_id_and_type(client, rita, alice, project, world):
    client.force_login(rita)
    url = reverse("entity-links", args=[project.slug, world["assad"].pk])
    client.post(url, {"wikidata": "Q44461", "type": "person"})
    world["assad"].refresh_from_db()
    assert (world["assad"].wikidata, world["assad"].type) == ("Q44461", "person")
    refused = client.post(url, {"wikidata": "Q0123", "type": "person"}, follow=True)
    assert "Wikidata id is Q and a number" in refused.content.decode()
    world["assad"].refresh_from_db()
    assert world["assad"].wikidata == "Q44461"
    client.force_login(alice)
    assert client.post(url, {"wikidata": "", "type": ""}).status_code == 403


def test_the_entities_page_links_the_counts_to_the_explorer(client, mia, project, world):
    html = _get(client, mia, "entities", project.slug).content.decode()
    assert f"?speaker={world['us'].pk}" in html
    assert reverse("entity", args=[project.slug, world["us"].pk]) in html
    assert 'value="Q30"' in html


def test_the_annotate_page_shows_someone_elses_claim_read_only(client, mia, bob, world):
    claim = world["alice"]
    client.force_login(mia)
    html = client.get(reverse("annotate", args=[claim.document_id]), {"claim": claim.pk})
    assert "alice's claim" in html.content.decode()
    # A blind annotator asking for alice's claim sees nothing of it.
    client.force_login(bob)
    html = client.get(reverse("annotate", args=[claim.document_id]), {"claim": claim.pk})
    assert "alice's claim" not in html.content.decode()


def test_the_dashboard_draws_progress_stances_and_suggestions(client, mia, project, world):
    response = _get(client, mia, "dashboard", project.slug)
    html = response.content.decode()
    for chart in ("progress", "stances", "suggestions"):
        assert f'data-chart="{chart}"' in html
    assert " style=" not in html
    bars = {b["label"]: b["total"] for b in response.context["stance_chart"]["bars"]}
    assert bars == {"support": 1, "oppose": 1, "neutral": 0, "none": 0}  # gold not counted
