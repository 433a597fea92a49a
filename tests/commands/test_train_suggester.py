"""Training a project's suggester: what it learns from, the held-out figures, the switch to
it, the suggestions it then makes and how their answers are counted; the command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Assignment, Claim, Document, Suggestion, TrainedSuggester
from annotator.models.suggestion import Origin
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services import suggestions
from annotator.services.access import access_to
from annotator.services.errors import DomainError
from annotator.services.suggestions import accept, dismiss, run_detector, usefulness
from annotator.services.training import held_out, suggester_table, train_suggester, training_sets
from annotator.suggest import detect
from tests.learned_corpus import load_into

NEW_TEXT = (
    "The hall was full. In Jonas Berg's reading, the harbour plan needs a second vote. "
    "Lena Park said that the museum was badly designed."
)


@pytest.fixture
def trained_project(project, rita):
    load_into(project, rita)
    return project


def test_training_beats_the_rules_on_held_out_documents_and_takes_over(trained_project, mia):
    steps = []
    suggester = train_suggester(
        trained_project, user=mia, progress=lambda d, t: steps.append((d, t))
    )
    held = [d for d in Document.objects.filter(project=trained_project) if held_out(d.pk)]
    assert suggester.held_out_documents == len(held) > 0
    assert suggester.documents == 40 - len(held)
    assert suggester.held_out_claims == Claim.objects.filter(document__in=held).count()
    assert suggester.precision >= 0.9 and suggester.recall >= 0.9 and suggester.speaker >= 0.9
    # The rules do not know this team's "In X's reading, …": they miss those claims.
    assert suggester.rules_recall < suggester.recall
    # Each held-out figure comes with its bootstrap interval over the held-out documents.
    for name in ("f1", "speaker", "rules_f1", "rules_speaker"):
        low, high = suggester.intervals[name]
        assert low <= round(getattr(suggester, name), 3) <= high
    assert suggester.active and suggester.created_by == mia
    # Progress climbs to its total.
    assert steps[-1][0] == steps[-1][1] and [d for d, _ in steps] == sorted(d for d, _ in steps)

    # Suggestions now come from the trained model, with exact offsets.
    document = Document.objects.create(project=trained_project, external_id="new", text=NEW_TEXT)
    run_detector(trained_project, ["new"])
    made = Suggestion.objects.filter(document=document)
    assert {s.origin for s in made} == {Origin.TRAINED}
    texts = {NEW_TEXT[s.claim_start : s.claim_end]: s for s in made}
    assert set(texts) == {"the harbour plan needs a second vote", "the museum was badly designed"}
    first = texts["the harbour plan needs a second vote"]
    assert NEW_TEXT[first.speaker_start : first.speaker_end] == "Jonas Berg"

    # Answers are counted per suggester.
    alice_access = access_to_document(trained_project, document)
    accept(alice_access, first)
    dismiss(alice_access, texts["the museum was badly designed"])
    assert usefulness(trained_project, Origin.TRAINED) == {
        "accepted": 1, "edited": 0, "dismissed": 1, "open": 0,
    }  # fmt: skip
    assert usefulness(trained_project, Origin.DETECTOR)["accepted"] == 0
    table = suggester_table(trained_project)
    rules, trained = table["rows"]
    assert (rules["in_use"], trained["in_use"]) == (False, True)
    assert trained["recall"] == suggester.recall and rules["recall"] == suggester.rules_recall
    assert trained["answers"]["dismissed"] == 1


def access_to_document(project, document):
    from django.contrib.auth import get_user_model

    alice = get_user_model().objects.get(username="alice")
    Assignment.objects.create(document=document, annotator=alice)
    return access_to(alice, project)


def test_a_new_training_that_loses_to_the_rules_leaves_the_active_one(trained_project):
    first = train_suggester(trained_project)
    # A team whose claims are exactly what the rules find: the rules cannot be beaten.
    Claim.objects.filter(document__project=trained_project).delete()
    rita = trained_project.memberships.get(role="reviewer").user
    for d in Document.objects.filter(project=trained_project):
        Claim.objects.bulk_create(
            Claim(
                document=d,
                annotator=rita,
                is_gold=True,
                claim_start=f.claim.start,
                claim_end=f.claim.end,
            )
            for f in detect(d.text)
        )
    second = train_suggester(trained_project)
    assert second.rules_f1 == 1.0 and not second.active
    first.refresh_from_db()
    assert first.active
    assert TrainedSuggester.objects.filter(project=trained_project, active=True).count() == 1


def test_it_learns_from_gold_then_accepted_sets_and_submitted_ones_only_when_asked(
    project, alice, bob, rita
):
    docs = [
        Document.objects.create(project=project, external_id=f"d{i}", text="x" * 50)
        for i in range(3)
    ]

    def claim(doc, who, gold=False):
        return Claim.objects.create(
            document=doc, annotator=who, is_gold=gold, claim_start=0, claim_end=5
        )

    gold = claim(docs[0], rita, gold=True)
    claim(docs[0], alice)  # the document has gold: alice's set is not used
    Assignment.objects.create(document=docs[1], annotator=alice, status=AssignmentStatus.SUBMITTED)
    Assignment.objects.create(
        document=docs[1], annotator=bob, status=AssignmentStatus.SUBMITTED, review=Decision.ACCEPTED
    )
    claim(docs[1], alice)
    bobs = claim(docs[1], bob)
    Assignment.objects.create(document=docs[2], annotator=alice, status=AssignmentStatus.SUBMITTED)
    submitted = claim(docs[2], alice)
    assert training_sets(project) == {docs[0].pk: [gold], docs[1].pk: [bobs]}
    assert training_sets(project, include_submitted=True)[docs[2].pk] == [submitted]


def test_too_few_documents_is_refused_with_a_reason(project, rita):
    load_into(project, rita, n=5)
    with pytest.raises(DomainError, match="at least 10 documents"):
        train_suggester(project)
    assert not TrainedSuggester.objects.exists()


def test_the_command_trains_and_prints_both_suggesters_figures(trained_project, capsys):
    call_command("train_suggester", trained_project.slug)
    out = capsys.readouterr().out
    suggester = TrainedSuggester.objects.get()
    assert f"trained on {suggester.documents} documents" in out
    assert f"trained  precision {suggester.precision:.3f}" in out
    assert f"rules    precision {suggester.rules_precision:.3f}" in out
    assert "suggestions now use it" in out


def test_the_command_refuses_unknown_projects_and_thin_ones(project):
    with pytest.raises(CommandError, match="unknown project"):
        call_command("train_suggester", "nope")
    with pytest.raises(CommandError, match="at least 10 documents"):
        call_command("train_suggester", project.slug)


def test_the_command_can_queue_a_job(trained_project, capsys):
    call_command("train_suggester", trained_project.slug, "--enqueue", "--include-submitted")
    assert "queued job" in capsys.readouterr().out
    job = trained_project.jobs.get()
    assert job.kind == "train_suggester" and job.params == {"include_submitted": True}


def test_a_stored_model_of_an_older_format_leaves_suggesting_to_the_rules(trained_project):
    suggester = train_suggester(trained_project)
    assert suggester.active
    TrainedSuggester.objects.filter(pk=suggester.pk).update(
        model=b"CLAIMCRF1" + bytes(suggester.model)[len(b"CLAIMCRF2") :]
    )
    suggestions._MODELS.clear()  # as in a process that starts after the upgrade
    document = Document.objects.create(project=trained_project, external_id="new", text=NEW_TEXT)
    run_detector(trained_project, ["new"])
    made = Suggestion.objects.filter(document=document)
    assert made and {s.origin for s in made} == {Origin.DETECTOR}


def test_the_upgrade_retires_models_of_the_older_format(trained_project):
    """Migration 0012: an active model this release cannot load stops being in use, so the
    dashboard's table says the rules make the suggestions; a current model stays."""
    from importlib import import_module

    from django.apps import apps

    from annotator.services.training import suggester_table

    retire = import_module("annotator.migrations.0012_retire_old_trained_models").retire
    suggester = train_suggester(trained_project)
    retire(apps, None)
    assert TrainedSuggester.objects.get(pk=suggester.pk).active
    TrainedSuggester.objects.filter(pk=suggester.pk).update(
        model=b"CLAIMCRF1" + bytes(suggester.model)[len(b"CLAIMCRF2") :]
    )
    retire(apps, None)
    assert not TrainedSuggester.objects.get(pk=suggester.pk).active
    rules, trained = suggester_table(trained_project)["rows"]
    assert rules["in_use"] and not trained["in_use"]
