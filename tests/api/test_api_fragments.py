"""Discontinuous spans over the API: created, shown, kept by partial changes, refused bad."""

from __future__ import annotations

import json

from tests.conftest import SEED_TEXT, span


def pieces(*needles: str) -> list[dict]:
    """Each needle found after the one before it, from the US claim's sentence on."""
    found, after = [], SEED_TEXT.index("The United States, meanwhile")
    for needle in needles:
        found.append(span(SEED_TEXT, needle, after))
        after = found[-1]["end"]
    return found


def test_a_claim_with_fragments_comes_back_with_their_text(api, document) -> None:
    fragments = pieces("lost control", "of Aleppo")
    response = api("alice").post(
        f"/api/documents/{document.pk}/claims/", {"claim": {"fragments": fragments}}, format="json"
    )
    assert response.status_code == 201, response.content
    claim = response.json()["claim"]
    assert (claim["start"], claim["end"]) == (fragments[0]["start"], fragments[1]["end"])
    assert SEED_TEXT[claim["start"] : claim["end"]] == claim["text"]
    assert [f["text"] for f in claim["fragments"]] == ["lost control", "of Aleppo"]


def test_a_partial_change_keeps_the_fragments_of_other_roles(api, document) -> None:
    client = api("alice")
    body = {"claim": {"fragments": pieces("lost control", "of Aleppo")}}
    created = client.post(f"/api/documents/{document.pk}/claims/", body, format="json").json()
    change = {"version": 1, "cue": span(SEED_TEXT, "said")}
    changed = client.patch(f"/api/claims/{created['id']}/", change, format="json").json()
    assert changed["claim"] == created["claim"]
    # Setting the claim as one piece drops its fragments.
    plain = {"version": 2, "claim": span(SEED_TEXT, "lost control of Aleppo")}
    changed = client.patch(f"/api/claims/{created['id']}/", plain, format="json").json()
    assert "fragments" not in changed["claim"]


def test_fragments_reach_the_export(api, document) -> None:
    body = {"speaker": {"fragments": pieces("The United", "States")}, "claim": pieces("Aleppo")[0]}

    api("alice").post(f"/api/documents/{document.pk}/claims/", body, format="json")
    response = api("mia").get("/api/projects/syria-2024/export.jsonl")
    (line,) = [json.loads(raw) for raw in b"".join(response.streaming_content).splitlines()]
    speaker = line["annotations"][0]["claims"][0]["speaker"]
    assert [f["text"] for f in speaker["fragments"]] == ["The United", "States"]
    for fragment in speaker["fragments"]:
        assert SEED_TEXT[fragment["start"] : fragment["end"]] == fragment["text"]


def test_it_refuses_overlapping_or_unordered_fragments(api, document) -> None:
    overlapping = [span(SEED_TEXT, "lost control"), span(SEED_TEXT, "control of Aleppo")]
    for bad in (overlapping, overlapping[::-1]):
        response = api("alice").post(
            f"/api/documents/{document.pk}/claims/", {"claim": {"fragments": bad}}, format="json"
        )
        assert response.status_code == 400
        assert "text order" in json.dumps(response.json())
