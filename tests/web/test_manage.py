"""Manager pages: import documents, export the dataset, members and round-robin assignment."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.models import Assignment, Document, Entity, Membership, Role
from annotator.services.access import access_to
from annotator.services.claims import create_claim
from annotator.services.review import set_gold_status, take_into_gold
from tests.conftest import PASSWORD, SEED_TEXT, span

MIXED = "😀 محمد said\r\n“the envoy arrived” e\u0301."


@pytest.fixture
def mia_client(client, mia):
    client.force_login(mia)
    return client


def upload(client, project, name: str, content: bytes, fmt: str = ""):
    data = {"file": SimpleUploadedFile(name, content), "format": fmt}
    return client.post(reverse("import", args=[project.slug]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def jsonl(*records) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


# Import -------------------------------------------------------------------------------------


def test_the_import_page_offers_every_format(mia_client, project):
    html = mia_client.get(reverse("import", args=[project.slug])).content.decode()
    assert 'enctype="multipart/form-data"' in html
    for fmt in ("jsonl", "csv", "txt"):
        assert f'<option value="{fmt}">' in html


def test_it_imports_a_jsonl_upload(mia_client, project):
    content = jsonl(
        {"id": "a", "title": "A", "text": MIXED, "url": "https://example.org/a"},
        {"id": "b", "text": "Second.", "published": "2024-12-01", "meta": {"source": "wire"}},
    )
    response = upload(mia_client, project, "batch.jsonl", content)
    assert response.status_code == 302
    assert response["Location"] == reverse("import", args=[project.slug])
    assert messages_of(response) == ["batch.jsonl: 2 imported, 0 already present (skipped)."]
    a = Document.objects.get(project=project, external_id="a")
    assert a.text == MIXED  # CRLF and combining marks kept as written
    assert (a.title, a.url) == ("A", "https://example.org/a")
    b = Document.objects.get(project=project, external_id="b")
    assert (b.published, b.meta) == ("2024-12-01", {"source": "wire"})


def test_reimporting_the_same_file_skips_every_document(mia_client, project):
    content = jsonl({"id": "a", "text": "Same."})
    upload(mia_client, project, "a.jsonl", content)
    response = upload(mia_client, project, "a.jsonl", content)
    assert messages_of(response)[-1] == "a.jsonl: 0 imported, 1 already present (skipped)."

    assert Document.objects.filter(project=project).count() == 1


def test_a_file_with_bad_lines_lists_them_and_imports_nothing(mia_client, project):
    content = b"\n".join(
        [
            json.dumps({"id": "ok-1", "text": "Fine."}).encode(),
            b"{not json",
            json.dumps({"id": "ok-2", "text": "Also fine."}).encode(),
            json.dumps({"id": "no-text"}).encode(),
            json.dumps({"id": "ok-1", "text": "Different text."}).encode(),
        ]
    )
    response = upload(mia_client, project, "bad.jsonl", content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bad.jsonl was not imported" in html
    errors = response.context["errors"]
    assert len(errors) == 3
    assert errors[0].startswith("bad.jsonl line 2: invalid JSON")
    assert errors[1] == "bad.jsonl line 4: missing 'text' (a non-empty string)"
    assert errors[2].startswith("bad.jsonl line 5: id 'ok-1' already appears on line 1")
    assert "line 2: invalid JSON" in html and "line 4: missing" in html
    assert not Document.objects.filter(project=project).exists()


def test_a_document_that_exists_with_another_text_refuses_the_file(mia_client, project, document):
    content = jsonl({"id": "new", "text": "New."}, {"id": "seed", "text": "Changed text."})
    response = upload(mia_client, project, "update.jsonl", content)
    assert response.context["errors"] == [
        "update.jsonl line 2: document 'seed' already exists with a different text "
        "(a document's text cannot change once imported)"
    ]
    assert not Document.objects.filter(external_id="new").exists()


def test_it_imports_a_csv_upload(mia_client, project):
    content = 'id,title,text,source\r\nc1,One,"Line one\r\nline two",wire\r\nc2,Two,Plain,\r\n'
    response = upload(mia_client, project, "docs.csv", content.encode())
    assert response.status_code == 302
    c1 = Document.objects.get(project=project, external_id="c1")
    assert (c1.title, c1.text, c1.meta) == ("One", "Line one\r\nline two", {"source": "wire"})
    assert Document.objects.get(project=project, external_id="c2").text == "Plain"


def test_a_csv_without_a_text_column_is_refused(mia_client, project):
    response = upload(mia_client, project, "docs.csv", b"id,body\r\nc1,Hello\r\n")
    assert response.context["errors"] == ["docs.csv line 1: the CSV header has no 'text' column"]
    assert "the CSV header has no &#x27;text&#x27; column" in response.content.decode()
    assert not Document.objects.exists()


def test_it_imports_a_txt_upload_as_one_document(mia_client, project):
    text = "\ufeffHeadline here\r\n\r\nBody 😀 text.\r\n"
    response = upload(mia_client, project, "story-7.txt", text.encode("utf-8"))
    assert response.status_code == 302
    document = Document.objects.get(project=project)
    assert document.external_id == "story-7"
    assert document.title == "Headline here"
    assert document.text == text.removeprefix("\ufeff")


def test_a_txt_upload_that_is_not_utf8_is_refused(mia_client, project):
    response = upload(mia_client, project, "latin.txt", "café".encode("latin-1"))
    assert response.context["errors"] == [
        "latin.txt line 1: latin.txt is not valid UTF-8: byte 0xe9 at offset 3"
    ]
    assert "latin.txt was not imported" in response.content.decode()
    assert not Document.objects.exists()


def test_the_format_field_overrides_the_file_name(mia_client, project):
    response = upload(mia_client, project, "export.data", jsonl({"id": "x", "text": "X."}), "jsonl")
    assert response.status_code == 302
    assert Document.objects.filter(external_id="x").exists()


def test_an_import_without_a_file_says_so(mia_client, project):
    response = mia_client.post(reverse("import", args=[project.slug]), {})
    assert "Choose a file to import." in response.content.decode()


# Export -------------------------------------------------------------------------------------


@pytest.fixture
def annotated(project, document, alice, bob, rita, us_claim_payload):
    """alice's US claim (submitted, with entities) and bob's claim (in progress)."""
    us = Entity.objects.create(project=project, name="United States", aliases=["US"])
    payload = {**us_claim_payload, "speaker": {**us_claim_payload["speaker"], "entity": us.pk}}
    by_alice = create_claim(access_to(alice, project), document, payload)
    by_bob = create_claim(
        access_to(bob, project),
        document,
        {"claim": span(SEED_TEXT, "Syria continues"), "stance": "support"},
    )
    Assignment.objects.filter(annotator=alice).update(status="submitted")
    return {"alice": by_alice, "bob": by_bob}


def download(client, project, **params) -> tuple[object, list[dict]]:
    response = client.get(reverse("export", args=[project.slug]), {"download": "1", **params})
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode()
    return response, [json.loads(line) for line in body.splitlines()]


def check_spans(text: str, claim: dict) -> None:
    for role in ("claim", "speaker", "cue", "target"):
        value = claim[role]
        if value is not None and value["start"] is not None:
            assert text[value["start"] : value["end"]] == value["text"]


def test_the_export_page_offers_the_choices(mia_client, project):
    html = mia_client.get(reverse("export", args=[project.slug])).content.decode()
    assert 'name="per" value="document" checked' in html and 'name="per" value="claim"' in html
    for status in ("submitted", "accepted", "rejected"):
        assert f'name="status" value="{status}"' in html
    assert 'name="gold" value="1"' in html


def test_it_exports_one_line_per_document(mia_client, project, document, annotated):
    response, lines = download(mia_client, project)
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response["Content-Disposition"] == 'attachment; filename="syria-2024.jsonl"'
    [line] = lines
    assert (line["schema"], line["project"], line["id"]) == ("claims/1", "syria-2024", "seed")
    assert line["text"] == SEED_TEXT
    sets = {a["annotator"]: a for a in line["annotations"]}
    assert sets["alice"]["status"] == "submitted" and sets["bob"]["status"] == "in_progress"
    [claim] = sets["alice"]["claims"]
    assert claim["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert claim["speaker"]["entity"] == "United States"
    for a in line["annotations"]:
        for c in a["claims"]:
            check_spans(line["text"], c)
    assert line["gold"] is None


def test_it_exports_one_flat_line_per_claim(mia_client, project, document, annotated):
    response, lines = download(mia_client, project, per="claim")
    assert response["Content-Disposition"] == 'attachment; filename="syria-2024-claims.jsonl"'
    assert {(line["annotator"], line["claim"]["text"]) for line in lines} == {
        ("alice", "lost control of Aleppo"),
        ("bob", "Syria continues"),
    }
    assert len({tuple(line) for line in lines}) == 1  # every line has the same keys
    for line in lines:
        assert line["schema"] == "claims/1-flat"
        check_spans(SEED_TEXT, line)
        context = line["context"]
        assert SEED_TEXT[context["start"] : context["end"]] == context["text"]
        assert context["start"] <= line["claim"]["start"] < line["claim"]["end"] <= context["end"]


def test_it_exports_only_the_sets_with_the_chosen_status(mia_client, project, document, annotated):
    _, lines = download(mia_client, project, per="claim", status="submitted")
    assert [line["annotator"] for line in lines] == ["alice"]
    _, lines = download(mia_client, project, status=["accepted", "rejected"])
    assert lines == []


def test_it_refuses_an_unknown_status(mia_client, project, annotated):
    response = mia_client.get(
        reverse("export", args=[project.slug]), {"download": "1", "status": "finished"}
    )
    assert response.status_code == 400
    assert "unknown status finished" in response.content.decode()


def test_it_exports_the_gold_claims_of_gold_complete_documents(
    mia_client, rita, project, document, annotated
):
    access = access_to(rita, project)
    take_into_gold(access, annotated["bob"])
    other = Document.objects.create(project=project, external_id="draft-gold", text="Draft gold.")
    create_claim(access, other, {"claim": {"start": 0, "end": 5}}, gold=True)
    _, lines = download(mia_client, project, gold="1")
    assert lines == []  # nothing is gold-complete yet
    set_gold_status(access, document, True)
    response, lines = download(mia_client, project, gold="1")
    assert response["Content-Disposition"] == 'attachment; filename="syria-2024-gold.jsonl"'
    [line] = lines
    assert line["id"] == "seed" and line["annotations"] == []
    assert line["gold"]["status"] == "complete" and line["gold"]["adjudicators"] == ["rita"]
    [gold] = line["gold"]["claims"]
    assert gold["claim"]["text"] == "Syria continues"
    check_spans(line["text"], gold)
    _, flat = download(mia_client, project, gold="1", per="claim")
    assert [(f["annotator"], f["status"], f["claim"]["text"]) for f in flat] == [
        ("rita", "gold", "Syria continues")
    ]


# Members and assignment ---------------------------------------------------------------------


def test_the_members_page_lists_members_with_roles(mia_client, project, document):
    html = mia_client.get(reverse("members", args=[project.slug])).content.decode()
    for name, role in (("alice", "Annotator"), ("rita", "Reviewer"), ("mia", "Manager")):
        assert f"<td>{name}</td><td>{role}</td>" in html
    assert "outsider" not in html
    assert "<td>alice</td><td>1</td><td>0</td>" in html  # load: one assigned


def test_it_adds_a_member(mia_client, project, outsider):
    response = mia_client.post(
        reverse("members", args=[project.slug]),
        {"action": "set", "username": " outsider ", "role": "annotator"},
    )
    assert response["Location"] == reverse("members", args=[project.slug])
    assert Membership.objects.get(project=project, user=outsider).role == Role.ANNOTATOR
    assert messages_of(response) == ["outsider is now annotator."]


def test_it_changes_a_role(mia_client, project, alice):
    mia_client.post(
        reverse("members", args=[project.slug]),
        {"action": "set", "username": "alice", "role": "reviewer"},
    )
    assert Membership.objects.get(project=project, user=alice).role == Role.REVIEWER
    assert Membership.objects.filter(project=project, user=alice).count() == 1


def test_it_removes_a_member(mia_client, project, bob):
    mia_client.post(
        reverse("members", args=[project.slug]), {"action": "remove", "username": "bob"}
    )
    assert not Membership.objects.filter(project=project, user=bob).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "set", "username": "nobody", "role": "annotator"}, "no user 'nobody'"),
        ({"action": "set", "username": "outsider", "role": "boss"}, "unknown role 'boss'"),
        ({"action": "remove", "username": "outsider"}, "'outsider' is not a member"),
        ({"action": "assign", "k": "3"}, "3 annotators per document, but only 2 annotators"),
        ({"action": "assign", "k": "many"}, "invalid literal"),
    ],
)
def test_member_actions_report_their_errors(mia_client, project, document, data, message):
    before = set(Membership.objects.values_list("user__username", "role"))
    response = mia_client.post(reverse("members", args=[project.slug]), data, follow=True)
    assert any(message in m for m in messages_of(response)) or message in (
        response.content.decode()
    )
    assert set(Membership.objects.values_list("user__username", "role")) == before
    assert Assignment.objects.count() == 2


def test_round_robin_gives_each_document_k_annotators_evenly(mia_client, project):
    carol = get_user_model().objects.create_user("carol", password=PASSWORD)
    Membership.objects.create(project=project, user=carol, role=Role.ANNOTATOR)
    for n in range(6):
        Document.objects.create(project=project, external_id=f"d{n}", text=f"Document {n}.")
    response = mia_client.post(
        reverse("members", args=[project.slug]), {"action": "assign", "k": "2"}
    )
    assert messages_of(response) == ["12 assignments made (2 annotators per document)."]
    per_document = Counter(Assignment.objects.values_list("document_id", flat=True))
    assert set(per_document.values()) == {2} and len(per_document) == 6
    per_annotator = Counter(Assignment.objects.values_list("annotator__username", flat=True))
    assert per_annotator == {"alice": 4, "bob": 4, "carol": 4}
    # Reviewers and managers are never assigned.
    assert not Assignment.objects.filter(annotator__username__in=["rita", "mia"]).exists()
    # Running it again keeps what is there and adds nothing.
    mia_client.post(reverse("members", args=[project.slug]), {"action": "assign", "k": "2"})
    assert Assignment.objects.count() == 12


def test_round_robin_tops_up_documents_that_already_have_an_annotator(
    mia_client, project, document
):
    Assignment.objects.filter(annotator__username="bob").delete()
    extra = Document.objects.create(project=project, external_id="extra", text="Extra.")
    mia_client.post(reverse("members", args=[project.slug]), {"action": "assign", "k": "1"})
    assert list(
        Assignment.objects.filter(document=document).values_list("annotator__username", flat=True)
    ) == ["alice"]
    # The least loaded annotator gets the new document.
    assert Assignment.objects.get(document=extra).annotator.username == "bob"


def test_an_empty_upload_is_reported_as_holding_no_documents(mia_client, project):
    response = upload(mia_client, project, "empty.jsonl", b"\n\n")
    assert messages_of(response) == ["empty.jsonl held no documents; nothing was imported."]
    assert not Document.objects.exists()
