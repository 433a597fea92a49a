"""Suggested claims: running the detector, accepting and dismissing, and how useful they were.

Suggestions belong to a document; each annotator decides on them for themselves, so in a
blind project two annotators still see the same suggestions and answer independently. The
suggestions come from the project's active trained suggester (services/training.py) when it
has one that beat the rules on its held-out documents, else from the rule-based detector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from annotator.models import (
    Claim,
    Document,
    Entity,
    Project,
    Suggestion,
    SuggestionDecision,
    TrainedSuggester,
)
from annotator.models.claim import Source
from annotator.models.content import CONTENT_FIELDS
from annotator.models.suggestion import Origin
from annotator.offsets import ROLES
from annotator.services.access import Access
from annotator.services.claims import create_claim
from annotator.services.errors import DomainError
from annotator.suggest import Detected, detect
from annotator.suggest.entities import EntityLinker
from annotator.suggest.learned import model as learned

CHUNK = 200
Action = SuggestionDecision.Action


def _entity_maps(project: Project) -> tuple[dict[str, list[str]], dict[str, int]]:
    names: dict[str, list[str]] = {}
    ids: dict[str, int] = {}
    for pk, name, aliases in Entity.objects.filter(project=project).values_list(
        "pk", "name", "aliases"
    ):
        names[name] = list(aliases)
        ids[name] = pk
    return names, ids


def _from_detected(document: Document, found: Detected, entity_ids: dict[str, int]) -> Suggestion:
    # A pronoun speaker ("he", "his office") is named earlier: that mention is the speaker.
    speaker = found.speaker_antecedent or found.speaker
    return Suggestion(
        document=document,
        origin=Origin.DETECTOR,
        claim_start=found.claim.start,
        claim_end=found.claim.end,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        speaker_entity_id=entity_ids.get(found.speaker_entity or ""),
        cue_start=found.cue.start if found.cue else None,
        cue_end=found.cue.end if found.cue else None,
        target_start=found.target.start if found.target else None,
        target_end=found.target.end if found.target else None,
        target_entity_id=entity_ids.get(found.target_entity or ""),
        stance=found.stance or "",
        stance_is_guess=found.stance is not None,
        attributes={"quote_type": found.kind},
        # A quotation split by its cue keeps its pieces; accepting it keeps them too.
        fragments={"claim": [[f.start, f.end] for f in found.fragments]} if found.fragments else {},
    )


def _from_suggested(
    document: Document,
    found: learned.Suggested,
    linker: EntityLinker,
    entity_ids: dict[str, int],
) -> Suggestion:
    speaker = found.speaker_antecedent or found.speaker
    text = document.text
    return Suggestion(
        document=document,
        origin=Origin.TRAINED,
        claim_start=found.claim.start,
        claim_end=found.claim.end,
        fragments={"claim": [[f.start, f.end] for f in found.fragments]} if found.fragments else {},
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        speaker_entity_id=entity_ids.get(linker.name_of(text, speaker) or ""),
        cue_start=found.cue.start if found.cue else None,
        cue_end=found.cue.end if found.cue else None,
        target_start=found.target.start if found.target else None,
        target_end=found.target.end if found.target else None,
        target_entity_id=entity_ids.get(linker.name_of(text, found.target) or ""),
        stance=found.stance or "",
        stance_is_guess=found.stance is not None,
        attributes={"quote_type": found.kind},
    )


_MACHINE = (Origin.DETECTOR, Origin.TRAINED)
_MODELS: dict[int, learned.Model] = {}  # loaded trained models, by suggester id


def _trained_model(project: Project) -> learned.Model | None:
    """The project's active trained model, loaded once per process."""
    row = TrainedSuggester.objects.filter(project=project, active=True).values_list("pk").first()
    if row is None:
        return None
    if row[0] not in _MODELS:
        blob = TrainedSuggester.objects.values_list("model", flat=True).get(pk=row[0])
        if len(_MODELS) >= 4:
            _MODELS.clear()
        try:
            _MODELS[row[0]] = learned.load(bytes(blob))
        except ValueError:  # a model stored by an older release: the rules until retrained
            return None
    return _MODELS[row[0]]


def suggest_documents(project: Project, document_ids: Iterable[int]) -> int:
    """Run the project's suggester over documents, replacing their undecided machine
    suggestions (a span someone already answered is not suggested again)."""
    entity_names, entity_ids = _entity_maps(project)
    labels = set(project.parsed_scheme.stance_labels)
    attributes = project.parsed_scheme.attributes
    model = _trained_model(project)
    linker = EntityLinker(entity_names)
    made = 0
    documents = Document.objects.filter(project=project, pk__in=list(document_ids))
    for document in documents.only("pk", "text"):
        with transaction.atomic():
            kept = set(
                Suggestion.objects.filter(document=document, origin__in=_MACHINE)
                .filter(decisions__isnull=False)
                .values_list("claim_start", "claim_end")
            )
            Suggestion.objects.filter(
                document=document, origin__in=_MACHINE, decisions__isnull=True
            ).delete()
            new = []
            if model is not None:
                found_all = [
                    _from_suggested(document, f, linker, entity_ids)
                    for f in model.predict(document.text)
                ]
            else:
                found_all = [
                    _from_detected(document, f, entity_ids)
                    for f in detect(document.text, entity_names)
                ]
            for suggestion in found_all:
                span = (suggestion.claim_start, suggestion.claim_end)
                if span in kept:
                    continue
                kept.add(span)
                kind = suggestion.attributes.get("quote_type")
                if suggestion.stance not in labels:  # a project without that label
                    suggestion.stance, suggestion.stance_is_guess = "", False
                if kind not in attributes.get("quote_type", ()):
                    suggestion.attributes = {}
                new.append(suggestion)
            Suggestion.objects.bulk_create(new)
            made += len(new)
    return made


def document_ids(project: Project, external_ids: list[str] | None = None) -> list[int]:
    """The ids of the project's documents, or of those named; unknown names are an error."""
    documents = Document.objects.filter(project=project)
    if external_ids:
        documents = documents.filter(external_id__in=external_ids)
        missing = set(external_ids) - set(documents.values_list("external_id", flat=True))
        if missing:
            raise DomainError(f"unknown document id(s): {', '.join(sorted(missing))}")
    return list(documents.order_by("id").values_list("id", flat=True))


def run_detector(
    project: Project,
    external_ids: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """The detector over the project's documents, here and now, CHUNK documents at a time
    (the "suggest" job runs the same chunks on workers); returns (documents, suggestions)."""
    ids = document_ids(project, external_ids)
    made = 0
    for start in range(0, len(ids), CHUNK):
        made += suggest_documents(project, ids[start : start + CHUNK])
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids))
    return len(ids), made


def pending(access: Access, document: Document) -> QuerySet[Suggestion]:
    """Suggestions on the document this user has not answered yet."""
    answered = SuggestionDecision.objects.filter(suggestion=OuterRef("pk"), annotator=access.user)
    return (
        Suggestion.objects.filter(document=document)
        .exclude(Exists(answered))
        .select_related("speaker_entity", "target_entity")
    )


def _payload(suggestion: Suggestion) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "stance": suggestion.stance,
        "attributes": suggestion.attributes,
        "note": "",
    }
    for role in ROLES:
        span = suggestion.span(role)
        value = {"start": span.start, "end": span.end} if span else None
        if value is not None and (fragments := suggestion.fragments_of(role)):
            value["fragments"] = [{"start": f.start, "end": f.end} for f in fragments]
        entity = getattr(suggestion, f"{role}_entity_id", None)
        if entity is not None:
            value = {**(value or {}), "entity": entity}
        payload[role] = value
    return payload


def _decide(access: Access, suggestion: Suggestion, action: str, claim: Claim | None) -> None:
    try:
        with transaction.atomic():
            SuggestionDecision.objects.create(
                suggestion=suggestion, annotator=access.user, action=action, claim=claim
            )
    except IntegrityError:
        raise DomainError("you have already answered this suggestion") from None


def _check(access: Access, suggestion: Suggestion) -> None:
    if suggestion.document.project_id != access.project.pk:
        raise DomainError("no such suggestion")


@transaction.atomic
def accept(access: Access, suggestion: Suggestion, stance: str | None = None) -> Claim:
    """The suggestion becomes the annotator's own claim, editable like any other; with
    ``stance``, the annotator's stance instead of the suggested one (in the same step)."""
    _check(access, suggestion)
    payload = _payload(suggestion)
    if stance is not None:
        payload["stance"] = stance
    claim = create_claim(access, suggestion.document, payload, source=Source.SUGGESTION)
    _decide(access, suggestion, Action.ACCEPTED, claim)
    return claim


def dismiss(access: Access, suggestion: Suggestion) -> None:
    """Answer "no" to a suggestion; the annotator's claims are left as they are."""
    _check(access, suggestion)
    _decide(access, suggestion, Action.DISMISSED, None)


_COMPARED = CONTENT_FIELDS


def usefulness(project: Project, origin: str | None = None) -> dict[str, int]:
    """How annotators answered suggestions (of one origin, or all): accepted as they were,
    accepted then edited, dismissed, and still open (suggestions nobody answered)."""
    counts = {"accepted": 0, "edited": 0, "dismissed": 0}
    decisions = SuggestionDecision.objects.filter(suggestion__document__project=project)
    suggestions = Suggestion.objects.filter(document__project=project)
    if origin is not None:
        decisions = decisions.filter(suggestion__origin=origin)
        suggestions = suggestions.filter(origin=origin)
    accepted = decisions.filter(action=Action.ACCEPTED).select_related("suggestion", "claim")
    for decision in accepted.iterator(chunk_size=1000):
        claim, suggestion = decision.claim, decision.suggestion
        edited = claim is None or any(
            getattr(claim, f) != getattr(suggestion, f) for f in _COMPARED
        )
        counts["edited" if edited else "accepted"] += 1
    counts["dismissed"] = decisions.filter(action=Action.DISMISSED).count()
    counts["open"] = suggestions.filter(decisions__isnull=True).count()
    return counts
