"""Claims over the API: validation of every bad body, optimistic locking, who sees what."""

from __future__ import annotations

import pytest

from annotator.models import Claim
from annotator.services.access import access_to
from annotator.services.projects import update_project
from tests.api.conftest import add_claim
from tests.conftest import SEED_TEXT, span

LENGTH = len(SEED_TEXT)
ARTICLE = SEED_TEXT.index("lost control of Aleppo")


def claims_url(document) -> str:
    return f"/api/documents/{document.pk}/claims/"


def test_it_creates_the_us_claim_with_span_texts(api, document, us_claim_payload) -> None:
    """The server fills in every span's text from the offsets."""
    response = api("alice").post(claims_url(document), us_claim_payload, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert body["speaker"]["text"] == "The United States"
    assert body["cue"]["text"] == "said"
    assert body["target"] == {"start": 2494, "end": 2502, "text": "Al Assad", "entity": None}
    assert (body["annotator"], body["version"], body["document"]) == ("alice", 1, document.pk)


def test_it_resolves_entities_by_id_name_and_alias(api, document, entity) -> None:
    claim = {"start": ARTICLE, "end": ARTICLE + 4}
    client = api("alice")
    for ref in (entity.pk, "united states", "Washington"):
        body = {"claim": claim, "speaker": {"entity": ref}, "target": {"entity": ref}}
        response = client.post(claims_url(document), body, format="json")
        assert response.status_code == 201, response.content
        speaker = response.json()["speaker"]
        assert speaker == {"start": None, "end": None, "text": None, "entity": "United States"}


def test_it_accepts_span_text_that_matches(api, document) -> None:
    claim = {**span(SEED_TEXT, "lost control of Aleppo"), "text": "lost control of Aleppo"}
    response = api("alice").post(claims_url(document), {"claim": claim}, format="json")
    assert response.status_code == 201


BAD_BODIES = [
    ("span past the end", {"claim": {"start": 10, "end": LENGTH + 1}}, "claim"),
    ("negative start", {"claim": {"start": -1, "end": 5}}, "claim"),
    ("end equal to start", {"claim": {"start": 10, "end": 10}}, "claim"),
    ("end before start", {"claim": {"start": 10, "end": 5}}, "claim"),
    ("offsets as strings", {"claim": {"start": "1", "end": "5"}}, "claim"),
    ("text mismatch", {"claim": {"start": ARTICLE, "end": ARTICLE + 4, "text": "won"}}, "claim"),
    ("missing claim span", {"stance": "oppose"}, "claim"),
    ("claim span null", {"claim": None}, "claim"),
    ("claim span not an object", {"claim": [1, 5]}, "claim"),
    ("cue past the end", {"cue": {"start": 0, "end": LENGTH + 5}}, "cue"),
    ("speaker end before start", {"speaker": {"start": 9, "end": 3}}, "speaker"),
    ("unknown stance", {"stance": "sarcastic"}, "stance"),
    ("stance not a string", {"stance": ["oppose"]}, "stance"),
    ("unknown entity name", {"speaker": {"entity": "Atlantis"}}, "speaker"),
    ("unknown entity id", {"target": {"entity": 999999}}, "target"),
    ("entity as a list", {"speaker": {"entity": ["United States"]}}, "speaker"),
    ("entity as an object", {"target": {"entity": {"id": 1}}}, "target"),
    ("unknown attribute", {"attributes": {"tone": "angry"}}, "attributes"),
    ("bad attribute value", {"attributes": {"quote_type": "sung"}}, "attributes"),
    ("attributes not an object", {"attributes": ["direct"]}, "attributes"),
    ("note not text", {"note": 42}, "note"),
    ("note too long", {"note": "x" * 10_001}, "note"),
]


@pytest.mark.parametrize(("body", "field"), [pytest.param(*c[1:], id=c[0]) for c in BAD_BODIES])
def test_it_refuses_a_bad_claim_naming_the_field(api, document, body, field) -> None:
    """Each bad body is a 400 naming the field, and nothing is saved."""
    if "claim" not in body and field != "claim":
        body = {"claim": {"start": ARTICLE, "end": ARTICLE + 4}, **body}
    response = api("alice").post(claims_url(document), body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field], errors
    assert isinstance(errors[field], list)
    assert isinstance(errors[field][0], str)
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        pytest.param(b"[1, 2]", "non_field_errors", id="a list"),
        pytest.param(b"{not json", "detail", id="not JSON"),
        pytest.param(b'{"claim": {"start": 0, "end": 3}, "note": "a\\u0000b"}', "detail", id="NUL"),
    ],
)
def test_it_refuses_a_body_that_is_not_a_claim_object(api, document, raw, key) -> None:
    response = api("alice").post(claims_url(document), raw, content_type="application/json")
    assert response.status_code == 400
    assert key in response.json()
    assert not Claim.objects.exists()


def test_it_refuses_a_stale_patch_with_the_current_claim(api, alice, document) -> None:
    """A PATCH with an old version gets 409, the claim as it is now, and changes nothing."""
    claim = add_claim(alice, document)
    client = api("alice")
    url = f"/api/claims/{claim.pk}/"
    first = client.patch(url, {"version": 1, "note": "first"}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "note": "second", "stance": "support"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_version"
    assert body["current"]["note"] == "first"
    assert body["current"]["version"] == 2
    claim.refresh_from_db()
    assert (claim.note, claim.stance, claim.version) == ("first", "oppose", 2)


def test_it_refuses_a_stale_delete(api, alice, document) -> None:
    claim = add_claim(alice, document)
    client = api("alice")
    client.patch(f"/api/claims/{claim.pk}/", {"version": 1, "note": "x"}, format="json")
    stale = client.delete(f"/api/claims/{claim.pk}/?version=1")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_it_deletes_with_the_version_in_the_body(api, alice, document) -> None:
    claim = add_claim(alice, document)
    response = api("alice").delete(f"/api/claims/{claim.pk}/", {"version": 1}, format="json")
    assert response.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize(
    "query", ["", "?version=abc", "?version=1.5"], ids=["missing", "not a number", "fraction"]
)
def test_it_needs_a_version_to_delete(api, alice, document, query) -> None:
    claim = add_claim(alice, document)
    response = api("alice").delete(f"/api/claims/{claim.pk}/{query}")
    assert response.status_code == 400
    assert "version" in response.json()
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("version", [None, "1", True], ids=["missing", "string", "boolean"])
def test_it_needs_a_whole_number_version_to_patch(api, alice, document, version) -> None:
    claim = add_claim(alice, document)
    body = {"note": "x"} if version is None else {"note": "x", "version": version}
    response = api("alice").patch(f"/api/claims/{claim.pk}/", body, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    claim.refresh_from_db()
    assert claim.version == 1


def test_it_validates_a_patch_like_a_new_claim(api, alice, document) -> None:
    claim = add_claim(alice, document)
    body = {"version": 1, "claim": {"start": 5, "end": 2}}
    response = api("alice").patch(f"/api/claims/{claim.pk}/", body, format="json")
    assert response.status_code == 400
    assert "claim" in response.json()
    claim.refresh_from_db()
    assert (claim.version, claim.claim_end - claim.claim_start) == (1, 22)


def test_it_changes_only_the_fields_sent(api, alice, document, entity) -> None:
    claim = add_claim(alice, document, note="kept")
    body = {"version": 1, "speaker": {"entity": "US"}, "stance": "support"}
    response = api("alice").patch(f"/api/claims/{claim.pk}/", body, format="json")
    assert response.status_code == 400  # "US" is not an alias yet
    entity.aliases = ["US"]
    entity.save()
    response = api("alice").patch(f"/api/claims/{claim.pk}/", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["stance"], data["note"], data["speaker"]["entity"]) == (
        "support",
        "kept",
        "United States",
    )


def test_it_records_history_with_the_token_user(api, alice, document) -> None:
    claim = add_claim(alice, document)
    api("alice").patch(f"/api/claims/{claim.pk}/", {"version": 1, "note": "n"}, format="json")
    latest = claim.history.first()
    assert (latest.history_user, latest.note) == (alice, "n")


def test_blind_annotators_see_only_their_own_claims(api, alice, bob, rita, document) -> None:
    mine, theirs = add_claim(alice, document), add_claim(bob, document)
    shown = {c["id"] for c in api("alice").get(f"/api/documents/{document.pk}/").json()["claims"]}
    listed = {c["id"] for c in api("alice").get(claims_url(document)).json()["results"]}
    assert shown == listed == {mine.pk}
    assert api("alice").get(f"/api/claims/{theirs.pk}/").status_code == 404
    reviewed = {c["id"] for c in api("rita").get(claims_url(document)).json()["results"]}
    assert reviewed == {mine.pk, theirs.pk}


def test_open_projects_show_annotators_each_others_claims(
    api, mia, alice, bob, project, document
) -> None:
    update_project(access_to(mia, project), {"scheme": {**project.scheme, "blind": False}})
    mine, theirs = add_claim(alice, document), add_claim(bob, document)
    shown = {c["id"] for c in api("alice").get(f"/api/documents/{document.pk}/").json()["claims"]}
    assert shown == {mine.pk, theirs.pk}
    assert api("alice").get(f"/api/claims/{theirs.pk}/").status_code == 200
    # Seeing is not changing.
    response = api("alice").patch(f"/api/claims/{theirs.pk}/", {"version": 1}, format="json")
    assert response.status_code == 403


def test_it_filters_claims(api, alice, rita, document, entity) -> None:
    add_claim(alice, document, speaker={"entity": entity.pk})
    add_claim(alice, document, "Al Assad", stance="support")
    add_claim(rita, document, "said", target={"entity": entity.pk})
    client = api("mia")

    def ids(query: str) -> list[str]:
        response = client.get(claims_url(document) + query)
        assert response.status_code == 200, response.content
        return sorted(c["claim"]["text"] for c in response.json()["results"])

    assert ids("?stance=support") == ["Al Assad"]
    assert ids("?annotator=rita") == ["said"]
    assert ids(f"?speaker_entity={entity.pk}") == ["lost control of Aleppo"]
    assert ids(f"?target_entity={entity.pk}") == ["said"]
    assert ids("?annotator=alice&stance=oppose") == ["lost control of Aleppo"]
    assert client.get(claims_url(document) + "?speaker_entity=x").status_code == 400


def test_it_paginates_claims(api, alice, document) -> None:
    for needle in ("lost", "control", "Aleppo"):
        add_claim(alice, document, needle)
    body = api("alice").get(claims_url(document) + "?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_reviewers_annotate_documents_they_are_not_assigned(api, rita, document) -> None:
    body = {"claim": span(SEED_TEXT, "lost control of Aleppo")}
    response = api("rita").post(claims_url(document), body, format="json")
    assert response.status_code == 201
    assert response.json()["annotator"] == "rita"


def test_it_refuses_changes_after_submission(api, alice, document, us_claim_payload) -> None:
    client = api("alice")
    created = client.post(claims_url(document), us_claim_payload, format="json").json()
    assert client.post(f"/api/documents/{document.pk}/submit/").json()["status"] == "submitted"
    response = client.patch(f"/api/claims/{created['id']}/", {"version": 1}, format="json")
    assert response.status_code == 403
    assert client.post(claims_url(document), us_claim_payload, format="json").status_code == 403
