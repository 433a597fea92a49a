"""manage.py suggest and import_annotations --as-suggestions."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Claim, Entity, Suggestion
from annotator.models.suggestion import Origin

pytestmark = pytest.mark.django_db


def test_it_stores_the_detectors_suggestions_and_writes_them_as_claims_1(document, tmp_path):
    Entity.objects.create(project=document.project, name="United States", aliases=["US"])
    out = tmp_path / "suggestions.jsonl"
    call_command("suggest", document.project.slug, "-o", str(out), stdout=StringIO())
    stored = Suggestion.objects.filter(document=document, origin=Origin.DETECTOR)
    us = stored.get(claim_start=2504, claim_end=2526)
    assert (us.speaker_start, us.speaker_end, us.cue_start) == (2459, 2476, 2489)
    assert us.speaker_entity.name == "United States"
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    [annotation_set] = line["annotations"]
    assert annotation_set["annotator"] == "suggestions"
    assert len(annotation_set["claims"]) == stored.count()
    for claim in annotation_set["claims"]:
        for role in ("claim", "speaker", "cue", "target"):
            span = claim[role]
            if span and span["start"] is not None:
                assert line["text"][span["start"] : span["end"]] == span["text"]
    assert not Claim.objects.exists()  # suggestions are not anybody's claims


def test_running_it_again_keeps_one_suggestion_per_span(document):
    call_command("suggest", document.project.slug, stdout=StringIO())
    first = Suggestion.objects.count()
    call_command("suggest", document.project.slug, "--documents", "seed", stdout=StringIO())
    assert Suggestion.objects.count() == first > 0


def test_it_refuses_an_unknown_document(document):
    with pytest.raises(CommandError, match="unknown document"):
        call_command("suggest", document.project.slug, "--documents", "nope", stdout=StringIO())


def test_imported_pre_annotations_become_suggestions(document, tmp_path, us_claim_payload):
    line = {
        "id": "seed",
        "text": document.text,
        "annotations": [{"annotator": "model-v2", "claims": [us_claim_payload]}],
    }
    path = tmp_path / "pre.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    for _ in range(2):  # the second import adds nothing
        call_command(
            "import_annotations",
            document.project.slug,
            str(path),
            "--as-suggestions",
            stdout=StringIO(),
        )
    suggestion = Suggestion.objects.get(origin=Origin.IMPORT)
    assert (suggestion.claim_start, suggestion.stance) == (2504, "oppose")
    assert not suggestion.stance_is_guess
    assert not Claim.objects.exists()
