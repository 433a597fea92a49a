"""Moving through the assigned documents: next and previous, submit, skip, reopen."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from annotator.models import Assignment, Document
from annotator.models.workflow import AssignmentStatus

HX = {"HX-Request": "true"}


@pytest.fixture
def docs(project, alice, document) -> list[Document]:
    """Three documents assigned to alice: the seed article and two more."""
    more = []
    for n in (2, 3):
        doc = Document.objects.create(project=project, external_id=f"doc-{n}", text=f"Text {n}.")
        Assignment.objects.create(document=doc, annotator=alice)
        more.append(doc)
    return [document, *more]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def status(document, user) -> str:
    return Assignment.objects.get(document=document, annotator=user).status


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def annotate_url(document) -> str:
    return reverse("annotate", args=[document.pk])


def test_next_in_project_opens_the_first_open_document(alice_client, project, docs):
    response = alice_client.get(reverse("annotate-next", args=[project.slug]))
    assert response.status_code == 302
    assert response["Location"] == annotate_url(docs[0])


def test_next_in_project_skips_submitted_documents(alice_client, alice, project, docs):
    Assignment.objects.filter(document=docs[0], annotator=alice).update(status="submitted")
    response = alice_client.get(reverse("annotate-next", args=[project.slug]))
    assert response["Location"] == annotate_url(docs[1])


def test_next_in_project_with_nothing_open_goes_to_the_dashboard(
    alice_client, alice, project, docs
):
    Assignment.objects.filter(annotator=alice).update(status="submitted")
    response = alice_client.get(reverse("annotate-next", args=[project.slug]), follow=True)
    assert response.redirect_chain == [(reverse("dashboard", args=[project.slug]), 302)]
    assert "You have no open documents in this project" in response.content.decode()


def test_next_and_previous_document_move_in_order_and_wrap(alice_client, docs):
    first, second, third = docs
    assert alice_client.get(reverse("document-next", args=[first.pk]))["Location"] == (
        annotate_url(second)
    )
    assert alice_client.get(reverse("document-next", args=[third.pk]))["Location"] == (
        annotate_url(first)
    )
    assert alice_client.get(reverse("document-prev", args=[second.pk]))["Location"] == (
        annotate_url(first)
    )
    assert alice_client.get(reverse("document-prev", args=[first.pk]))["Location"] == (
        annotate_url(third)
    )


def test_next_document_with_htmx_redirects_the_client(alice_client, docs):
    response = alice_client.get(reverse("document-next", args=[docs[0].pk]), headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == annotate_url(docs[1])


def test_next_document_when_this_is_the_only_open_one_stays(alice_client, alice, docs):
    Assignment.objects.filter(annotator=alice).exclude(document=docs[0]).update(status="submitted")
    response = alice_client.get(reverse("document-next", args=[docs[0].pk]), follow=True)
    assert response.redirect_chain == [(annotate_url(docs[0]), 302)]
    assert "No other open document is assigned to you." in response.content.decode()


def test_submit_marks_the_assignment_submitted_and_opens_the_next(alice_client, alice, docs):
    response = alice_client.post(reverse("document-submit", args=[docs[0].pk]))
    assert response.status_code == 302
    assert response["Location"] == annotate_url(docs[1])
    assignment = Assignment.objects.get(document=docs[0], annotator=alice)
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert assignment.submitted_at is not None
    assert any("Submitted" in m for m in messages_of(response))


def test_submit_of_the_last_open_document_goes_to_the_dashboard(
    alice_client, alice, project, document
):
    response = alice_client.post(reverse("document-submit", args=[document.pk]), headers=HX)
    assert response["HX-Redirect"] == reverse("dashboard", args=[project.slug])
    assert status(document, alice) == AssignmentStatus.SUBMITTED


def test_a_submitted_document_offers_reopen_instead_of_submit(alice_client, alice, document):
    alice_client.post(reverse("document-submit", args=[document.pk]))
    html = alice_client.get(annotate_url(document)).content.decode()
    assert 'id="submit-doc"' not in html
    assert "Reopen to edit" in html
    assert 'data-editable="0"' in html


def test_skip_needs_a_reason(alice_client, alice, document):
    response = alice_client.post(
        reverse("document-skip", args=[document.pk]), {"reason": "  "}, follow=True
    )
    assert status(document, alice) == AssignmentStatus.TODO
    assert "say why you skip this document" in response.content.decode()


def test_skip_with_a_reason_keeps_it_for_the_manager(alice_client, alice, project, document):
    response = alice_client.post(
        reverse("document-skip", args=[document.pk]), {"reason": " Not a news article. "}
    )
    assert response["Location"] == reverse("dashboard", args=[project.slug])
    assignment = Assignment.objects.get(document=document, annotator=alice)
    assert (assignment.status, assignment.skip_reason) == ("skipped", "Not a news article.")
    html = alice_client.get(annotate_url(document)).content.decode()
    assert "You skipped this document: “Not a news article.”" in html


def test_skip_of_a_submitted_document_is_refused(alice_client, alice, document):
    alice_client.post(reverse("document-submit", args=[document.pk]))
    response = alice_client.post(
        reverse("document-skip", args=[document.pk]), {"reason": "changed my mind"}, follow=True
    )
    assert status(document, alice) == AssignmentStatus.SUBMITTED
    assert "already submitted" in response.content.decode()


def test_reopen_makes_a_submitted_document_editable_again(alice_client, alice, document):
    alice_client.post(reverse("document-submit", args=[document.pk]))
    response = alice_client.post(reverse("document-reopen", args=[document.pk]))
    assert response["Location"] == annotate_url(document)
    assert status(document, alice) == AssignmentStatus.IN_PROGRESS
    html = alice_client.get(annotate_url(document)).content.decode()
    assert 'id="submit-doc"' in html and 'data-editable="1"' in html


def test_reopen_of_accepted_work_is_refused(alice_client, alice, document):
    Assignment.objects.filter(document=document, annotator=alice).update(
        status="submitted", review="accepted"
    )
    response = alice_client.post(reverse("document-reopen", args=[document.pk]), follow=True)
    assert status(document, alice) == AssignmentStatus.SUBMITTED
    assert "a reviewer has accepted this document" in response.content.decode()
    assert "Reopen to edit" not in response.content.decode()


def test_workflow_posts_refuse_get(alice_client, document):
    for name in ("document-submit", "document-skip", "document-reopen"):
        assert alice_client.get(reverse(name, args=[document.pk])).status_code == 405
