"""Documents over the API: bulk import with the import rules, one document with its claims."""

from __future__ import annotations

import json

import pytest

from annotator.models import Assignment, Claim, Document
from annotator.models.workflow import AssignmentStatus
from tests.api.conftest import add_claim
from tests.conftest import SEED_TEXT, span

URL = "/api/projects/syria-2024/documents/"


def test_it_imports_a_list_of_documents(api, project) -> None:
    records = [
        {"id": "a", "title": "A", "text": "First.\r\nLine two 🙂", "meta": {"source": "x"}},
        {"id": "b", "text": "Second.", "url": "https://example.org/b", "published": "2024-12-01"},
    ]
    response = api("mia").post(URL, records, format="json")
    assert response.status_code == 201
    assert response.json() == {"created": 2, "skipped": 0}
    first = Document.objects.get(project=project, external_id="a")
    assert first.text == "First.\r\nLine two 🙂"  # kept exactly as sent
    assert first.meta == {"source": "x"}


def test_it_imports_one_object(api, project) -> None:
    response = api("mia").post(URL, {"id": "one", "text": "Only."}, format="json")
    assert response.status_code == 201
    assert response.json() == {"created": 1, "skipped": 0}


def test_it_skips_a_document_already_there_with_the_same_text(api, document) -> None:
    record = {"id": "seed", "text": SEED_TEXT}
    response = api("mia").post(URL, [record, {"id": "new", "text": "New."}], format="json")
    assert response.json() == {"created": 1, "skipped": 1}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        pytest.param({"id": "c", "text": ""}, "text", id="empty text"),
        pytest.param({"text": "No id."}, "id", id="no id"),
        pytest.param({"id": "c", "text": "T", "published": "yesterday"}, "published", id="date"),
        pytest.param({"id": "c", "text": "T", "meta": [1]}, "meta", id="meta not an object"),
        pytest.param({"id": "seed", "text": "Another text."}, "text", id="changed text"),
        pytest.param({"id": "a", "text": "Other."}, "id", id="id twice in the list"),
        pytest.param("just a string", None, id="not an object"),
    ],
)
def test_it_refuses_the_whole_list_naming_the_bad_item(api, document, bad, field) -> None:
    """One bad item: 400 naming its index (and line), and nothing is imported."""
    records = [{"id": "a", "text": "Fine."}, bad, {"id": "b", "text": "Fine too."}]
    response = api("mia").post(URL, records, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_failed"
    assert "nothing was imported" in body["detail"]
    [error] = body["errors"]
    assert (error["index"], error["line"], error["field"]) == (1, 2, field)
    assert Document.objects.filter(project=document.project).count() == 1


def test_it_lists_every_bad_item(api, project) -> None:
    records = [{"id": "a"}, {"id": "b", "text": "Fine."}, {"text": "no id"}]
    body = api("mia").post(URL, records, format="json").json()
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(0, "text"), (2, "id")]
    assert not Document.objects.exists()


def test_it_refuses_a_body_that_is_neither_object_nor_list(api, project) -> None:
    response = api("mia").post(URL, b'"text"', content_type="application/json")
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_it_returns_a_document_with_text_and_claims(api, alice, document, entity) -> None:
    claim = add_claim(alice, document, speaker={"entity": entity.pk, **span(SEED_TEXT, "US")})
    body = api("alice").get(f"/api/documents/{document.pk}/").json()
    assert body["text"] == SEED_TEXT
    assert (body["external_id"], body["project"]) == ("seed", "syria-2024")
    [shown] = body["claims"]
    assert shown["id"] == claim.pk
    assert shown["speaker"]["entity"] == "United States"
    assert shown["speaker"]["text"] == "US"


def _many_claims(user, document, n: int) -> None:
    words = [i for i in range(len(SEED_TEXT) - 5) if SEED_TEXT[i].isalpha()][:n]
    Claim.objects.bulk_create(
        Claim(document=document, annotator=user, claim_start=i, claim_end=i + 3, stance="oppose")
        for i in words
    )


@pytest.mark.parametrize("username", ["alice", "mia"])
def test_document_get_takes_constant_queries(
    api, users, document, entity, django_assert_num_queries, username
) -> None:
    """Token, document (with the role and assignment), claims: however many claims."""
    client = api(username)
    url = f"/api/documents/{document.pk}/"
    add_claim(users[username], document, speaker={"entity": entity.pk})
    expected = 3
    with django_assert_num_queries(expected):
        assert len(client.get(url).json()["claims"]) == 1
    _many_claims(users[username], document, 150)
    with django_assert_num_queries(expected):
        assert len(client.get(url).json()["claims"]) == 151


def test_claim_post_takes_few_queries(
    api, document, us_claim_payload, django_assert_max_num_queries
) -> None:
    """Token, document, role, assignment check, open assignment, insert, history (+savepoints)."""
    client = api("alice")
    url = f"/api/documents/{document.pk}/claims/"
    client.post(url, us_claim_payload, format="json")  # the first moves the set to in_progress
    with django_assert_max_num_queries(9):
        assert client.post(url, us_claim_payload, format="json").status_code == 201


def test_it_filters_documents(api, project, document, alice, bob) -> None:
    other = Document.objects.create(
        project=project, external_id="x", title="Aleppo falls", text="T"
    )
    Assignment.objects.create(document=other, annotator=bob, status=AssignmentStatus.SUBMITTED)
    Assignment.objects.filter(document=document, annotator=alice).update(
        status=AssignmentStatus.IN_PROGRESS
    )

    def ids(username: str, query: str) -> list[str]:
        response = api(username).get(URL + query)
        assert response.status_code == 200, response.content
        return [d["external_id"] for d in response.json()["results"]]

    assert ids("mia", "") == ["seed", "x"]
    assert ids("mia", "?q=aleppo") == ["x"]
    assert ids("mia", "?annotator=alice") == ["seed"]
    assert ids("mia", "?status=submitted") == ["x"]
    assert ids("mia", "?status=todo") == ["seed"]  # bob's set of seed is still to do
    assert ids("mia", "?status=todo&annotator=alice") == []
    assert ids("mia", "?status=in_progress&annotator=alice") == ["seed"]
    # An annotator's status filter is about their own assignments.
    assert ids("alice", "?status=in_progress") == ["seed"]
    assert ids("alice", "?status=todo") == []
    assert ids("bob", "?status=submitted") == ["x"]
    assert api("mia").get(URL + "?status=lost").status_code == 400


def test_document_list_leaves_out_the_text(api, document) -> None:
    [item] = api("alice").get(URL).json()["results"]
    assert "text" not in item
    assert item["id"] == document.pk


def test_annotators_list_only_their_documents(api, project, document) -> None:
    Document.objects.create(project=project, external_id="other", text="Not assigned.")
    assert [d["external_id"] for d in api("alice").get(URL).json()["results"]] == ["seed"]
    assert api("rita").get(URL).json()["count"] == 2


def test_it_submits_the_annotators_own_set(api, alice, document) -> None:
    response = api("alice").post(f"/api/documents/{document.pk}/submit/")
    assert response.status_code == 200
    body = response.json()
    assert (body["annotator"], body["status"], body["review"]) == ("alice", "submitted", None)
    assert body["submitted_at"]


def _jsonl(*records) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\r\n" for r in records)


def test_it_streams_a_json_lines_body(api, project) -> None:
    body = _jsonl({"id": "a", "text": "Ünïcode 🙂\r\nline two"}, {"id": "b", "text": "B."})
    response = api("mia").post(
        f"/api/projects/{project.slug}/documents/", body, content_type="application/x-ndjson"
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2, "skipped": 0}
    assert Document.objects.get(external_id="a").text == "Ünïcode 🙂\r\nline two"


def test_a_json_lines_body_with_a_bad_line_imports_nothing(api, project) -> None:
    body = _jsonl({"id": "a", "text": "A."}) + b'{"id": "b", "text": \n'
    response = api("mia").post(
        f"/api/projects/{project.slug}/documents/", body, content_type="application/x-ndjson"
    )
    assert response.status_code == 400
    assert "line 2" in response.content.decode()
    assert not Document.objects.exists()


def test_a_json_lines_body_that_is_not_utf8_names_the_line_and_byte(api, project) -> None:
    first = _jsonl({"id": "a", "text": "A."})
    body = first + b'{"id": "b", "text": "caf\xe9"}\n'
    response = api("mia").post(
        f"/api/projects/{project.slug}/documents/", body, content_type="application/x-ndjson"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "index": 1,
        "line": 2,
        "field": None,
        "message": f"not valid UTF-8: byte 0xe9 at offset 24 of the line ({len(first) + 24} "
        "of the file)",
    }
    assert not Document.objects.exists()


def test_a_json_body_that_is_not_utf8_says_so(api, project) -> None:
    response = api("mia").post(
        f"/api/projects/{project.slug}/documents/",
        b'{"id": "b", "text": "caf\xe9"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "the body is not valid UTF-8: byte 0xe9 at offset 24"}


def test_a_nul_in_meta_over_json_lines_is_refused_naming_the_line(api, project) -> None:
    body = b'{"id": "a", "text": "A."}\n{"id": "b", "text": "B.", "meta": {"k": "x\\u0000"}}\n'
    response = api("mia").post(URL, body, content_type="application/x-ndjson")
    assert response.status_code == 400
    assert "line 2" in response.content.decode()
    assert "'meta' must not contain NUL" in response.content.decode()
    assert not Document.objects.filter(project=project).exists()


BIG = 123456789012345678901234567890  # past 64 bits: orjson alone would read it as a float


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"id": "big", "text": "T.", "meta": {"n": %d, "s": "x"}}' % BIG, "application/json"),
        (b'[{"id": "big", "text": "T.", "meta": {"n": %d, "s": "x"}}]' % BIG, "application/json"),
        (
            b'{"id": "big", "text": "T.", "meta": {"n": %d, "s": "x"}}\n' % BIG,
            "application/x-ndjson",
        ),
    ],
    ids=["object", "list", "json-lines"],
)
def test_a_long_integer_in_meta_keeps_every_digit(api, project, body, content_type) -> None:
    response = api("mia").post(URL, body, content_type=content_type)
    assert response.status_code == 201, response.content
    document = Document.objects.get(project=project, external_id="big")
    assert document.meta == {"n": BIG, "s": "x"}
    shown = api("mia").get(f"/api/documents/{document.pk}/")
    assert b"%d" % BIG in shown.content
    assert json.loads(shown.content)["meta"]["n"] == BIG
