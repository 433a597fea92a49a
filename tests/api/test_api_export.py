"""The streamed export equals the export_jsonl command; agreement has its figures."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotator.services.access import access_to
from annotator.services.workflow import submit
from tests.api.conftest import add_claim

EXPORT = "/api/projects/syria-2024/export.jsonl"


@pytest.fixture
def annotated(alice, bob, document, entity):
    add_claim(alice, document, speaker={"entity": entity.pk})
    add_claim(bob, document, stance="support")
    add_claim(bob, document, "Al Assad")
    submit(access_to(alice, document.project), document)
    submit(access_to(bob, document.project), document)
    return document


def _cli(tmp_path, *args: str) -> bytes:
    out = tmp_path / "out.jsonl"
    call_command("export_jsonl", "syria-2024", "-o", str(out), *args)
    return out.read_bytes()


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("", ()),
        ("?per=claim", ("--per", "claim")),
        ("?status=submitted", ("--status", "submitted")),
        ("?status=accepted,in_progress", ("--status", "accepted,in_progress")),
        ("?gold=true", ("--gold",)),
    ],
)
def test_the_export_equals_the_command(api, annotated, tmp_path, query, args) -> None:
    response = api("rita").get(EXPORT + query)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == _cli(tmp_path, *args)


def test_the_export_holds_the_claims(api, annotated) -> None:
    response = api("mia").get(EXPORT, HTTP_ACCEPT="application/x-ndjson")
    [line] = b"".join(response.streaming_content).splitlines()
    record = json.loads(line)
    assert [a["annotator"] for a in record["annotations"]] == ["alice", "bob"]
    assert record["annotations"][0]["claims"][0]["speaker"]["entity"] == "United States"


@pytest.mark.parametrize(
    ("query", "field"),
    [("?per=sentence", "per"), ("?status=done", "status"), ("?gold=maybe", "gold")],
)
def test_it_refuses_bad_export_options(api, project, query, field) -> None:
    response = api("mia").get(EXPORT + query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_claim_has_the_export_claim_shape(api, annotated) -> None:
    """A claim from the API is an export claim plus document, annotator, version, gold."""
    response = api("mia").get(EXPORT)
    record = json.loads(b"".join(response.streaming_content))
    exported = {c["id"]: c for a in record["annotations"] for c in a["claims"]}
    shown = api("mia").get(f"/api/documents/{annotated.pk}/").json()["claims"]
    assert {c["uid"] for c in shown} == set(exported)
    for claim in shown:
        extra = {k: claim.pop(k) for k in ("id", "document", "annotator", "version", "gold")}
        claim["id"] = claim.pop("uid")  # the export's id is the API's uid
        assert {**claim, "reviews": []} == exported[claim["id"]]
        assert extra["document"] == annotated.pk


def test_agreement_returns_the_figures(api, annotated) -> None:
    response = api("rita").get("/api/projects/syria-2024/agreement/")
    assert response.status_code == 200
    body = response.json()
    for key in ("project", "documents", "annotators", "pairs", "span_f1", "stance"):
        assert key in body
    assert body["documents"] == 1
    assert body["annotators"] == ["alice", "bob"]
    assert body["span_f1"]["exact"] == pytest.approx(2 / 3, abs=1e-3)
