"""Saving claims: validation against the text and the scheme, optimistic locking, history.

A claim payload has the shape of a claim in the JSONL export: spans as
``{"start", "end", "text"?, "entity"?, "fragments"?}`` (text, when given, must match the
offsets; fragments are the pieces of a discontinuous span, see annotator.offsets),
``stance``, ``attributes`` and ``note``. Every change goes through ``save()`` so
django-simple-history records who changed what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from annotator.models import Assignment, Claim, Document, Entity, Project
from annotator.models.claim import Source
from annotator.models.document import GoldStatus
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.offsets import ROLES, OffsetError, check_fragments, check_span
from annotator.scheme import SchemeError
from annotator.services.access import Access, forget_assignment
from annotator.services.entities import entity_type, wikidata_id
from annotator.services.errors import DomainError, Gone, NotAllowed, StaleVersion

ENTITY_ROLES = ("speaker", "target")
MAX_NOTE = 10_000


class EntityResolver:
    """Finds a project's entities by id, name or alias, remembering what it found."""

    def __init__(self, project: Project, *, create_missing: bool = False) -> None:
        self.project = project
        self.create_missing = create_missing
        self._cache: dict[object, Entity] = {}

    def resolve(
        self, ref: object, field: str, details: Mapping[str, Any] | None = None
    ) -> Entity | None:
        """The entity named; one created from a name (imports) takes the span's
        ``wikidata`` and ``type`` along, so exported files come back as they were."""
        if ref is None or ref == "":
            return None
        if not isinstance(ref, str | int) or isinstance(ref, bool):
            raise DomainError("an entity is named by its id or its name", field=field)
        key = ref.strip().lower() if isinstance(ref, str) else ref
        if key in self._cache:
            return self._cache[key]
        entity = self._find(ref, field, details or {})
        self._cache[key] = entity
        return entity

    def _find(self, ref: object, field: str, details: Mapping[str, Any]) -> Entity:
        entities = Entity.objects.filter(project=self.project)
        if isinstance(ref, int) and not isinstance(ref, bool):
            entity = entities.filter(pk=ref).first()
        elif isinstance(ref, str):
            name = ref.strip()
            entity = entities.filter(name__iexact=name).first()
            if entity is None:
                # An alias is one line of the lower-cased search field.
                needle = name.lower()
                candidates = entities.filter(search__contains=needle)
                entity = next(
                    (e for e in candidates if needle in e.search.split("\n")),
                    None,
                )
            if entity is None and self.create_missing and name:
                entity = Entity.objects.create(
                    project=self.project,
                    name=name,
                    wikidata=wikidata_id(details.get("wikidata")),
                    type=entity_type(details.get("type")),
                )
        else:
            raise DomainError("an entity is named by its id or its name", field=field)
        if entity is None:
            raise DomainError(f"unknown entity {ref!r}", field=field, code="unknown_entity")
        return entity


def _span_fields(role: str, value: object, text: str, resolver: EntityResolver) -> dict[str, Any]:
    fields: dict[str, Any] = {f"{role}_start": None, f"{role}_end": None}
    fields["fragments"] = {role: None}
    if role in ENTITY_ROLES:
        fields[f"{role}_entity"] = None
    if value is None:
        if role == "claim":
            raise DomainError("a claim needs its claim span", field=role, code="required")
        return fields
    if not isinstance(value, Mapping):
        raise DomainError(f"{role} must be an object with start and end", field=role)
    start, end = value.get("start"), value.get("end")
    pieces = value.get("fragments")
    # None: this role has no fragments (any it had are dropped); see merge_fragments.
    fields["fragments"] = {role: None}
    if pieces is not None:
        try:
            span, fragments = check_fragments(text, pieces, start, end, value.get("text"))
        except OffsetError as exc:
            raise DomainError(f"{role}: {exc}", field=role, code="bad_span") from None
        fields[f"{role}_start"], fields[f"{role}_end"] = span.start, span.end
        if fragments:
            fields["fragments"] = {role: [[f.start, f.end] for f in fragments]}
    elif start is not None or end is not None or role in ("claim", "cue"):
        try:
            span = check_span(text, start, end, value.get("text"))
        except OffsetError as exc:
            raise DomainError(f"{role}: {exc}", field=role, code="bad_span") from None
        fields[f"{role}_start"], fields[f"{role}_end"] = span.start, span.end
    if role in ENTITY_ROLES:
        fields[f"{role}_entity"] = resolver.resolve(value.get("entity"), role, value)
    return fields


def claim_fields(
    project: Project,
    text: str,
    data: Mapping[str, Any],
    resolver: EntityResolver,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    """Model field values from a claim payload; raises DomainError naming the field."""
    if not isinstance(data, Mapping):
        raise DomainError("a claim must be a JSON object")
    fields: dict[str, Any] = {}
    fragments: dict[str, list | None] = {}
    for role in ROLES:
        if role in data or not partial:
            role_fields = _span_fields(role, data.get(role), text, resolver)
            fragments |= role_fields.pop("fragments")
            fields |= role_fields
    if fragments:
        # Partial payloads carry None for the roles they name: merge_fragments applies them.
        fields["fragments"] = fragments if partial else merge_fragments({}, fragments)
    scheme = project.parsed_scheme
    try:
        if "stance" in data or not partial:
            fields["stance"] = scheme.check_stance(data.get("stance"))
        if "attributes" in data or not partial:
            fields["attributes"] = scheme.check_attributes(data.get("attributes"))
    except SchemeError as exc:
        field = "stance" if "stance" in str(exc) else "attributes"
        raise DomainError(str(exc), field=field, code="bad_scheme_value") from None
    if "note" in data or not partial:
        note = data.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise DomainError(f"note must be text of at most {MAX_NOTE} characters", field="note")
        fields["note"] = note
    return fields


def merge_fragments(old: Mapping[str, Any], new: Mapping[str, list | None]) -> dict[str, Any]:
    """A claim's fragments after a change to some roles (None: the role has none now)."""
    merged = {role: value for role, value in old.items() if role not in new}
    merged |= {role: value for role, value in new.items() if value is not None}
    return {role: merged[role] for role in ROLES if role in merged}


def _open_assignment(access: Access, document: Document) -> Assignment:
    """The user's assignment on the document, which must still be open for editing, locked
    until the transaction ends: a submit locks it too, so every change to the set lands
    wholly before the submit or is refused after it."""
    assignment = (
        Assignment.objects.select_for_update()
        .filter(document=document, annotator=access.user)
        .first()
    )
    if assignment is None:
        if not access.can_review:
            raise NotAllowed("this document is not assigned to you")
        # Managers and reviewers may annotate any document; their set gets an assignment.
        assignment, _ = Assignment.objects.get_or_create(
            document=document,
            annotator=access.user,
            defaults={"status": AssignmentStatus.IN_PROGRESS},
        )
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        forget_assignment(document)
    if assignment.status == AssignmentStatus.SUBMITTED and assignment.review != Decision.REJECTED:
        raise NotAllowed("you have submitted this document; reopen it to change its claims")
    if assignment.status in (AssignmentStatus.TODO, AssignmentStatus.SKIPPED):
        assignment.status = AssignmentStatus.IN_PROGRESS
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.IN_PROGRESS)
        forget_assignment(document)
    return assignment


def _check_editable(access: Access, claim: Claim) -> None:
    """Whether the user may change the claim; call it inside the change's transaction (it
    locks the annotator's assignment)."""
    if claim.is_gold:
        access.require_reviewer()
    elif claim.annotator_id != access.user.pk:
        raise NotAllowed("only the annotator who made a claim can change it")
    else:
        _open_assignment(access, claim.document)


def create_claim(
    access: Access,
    document: Document,
    data: Mapping[str, Any],
    *,
    source: str = Source.MANUAL,
    resolver: EntityResolver | None = None,
    gold: bool = False,
) -> Claim:
    """Add a claim to the user's own annotation set of the document, or (reviewers) to its
    gold set."""
    resolver = resolver or EntityResolver(access.project)
    fields = claim_fields(access.project, document.text, data, resolver)
    with transaction.atomic():
        if gold:
            access.require_reviewer()
            source = Source.GOLD
            Document.objects.filter(pk=document.pk, gold_status=GoldStatus.NONE).update(
                gold_status=GoldStatus.DRAFT, gold_by=access.user
            )
        else:
            _open_assignment(access, document)
        claim = Claim(
            document=document, annotator=access.user, source=source, is_gold=gold, **fields
        )
        claim.save()
    return claim


def _locked(claim: Claim, version: object) -> Claim:
    """The claim as it is now, locked, if nobody has changed it since ``version``."""
    if type(version) is not int:
        raise DomainError("send the version of the claim you are changing", field="version")
    current = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("document__project", "speaker_entity", "target_entity")
        .filter(pk=claim.pk)
        .first()
    )
    if current is None:
        raise Gone("this claim has been deleted meanwhile")
    if current.version != version:
        raise StaleVersion(current)
    return current


def update_claim(access: Access, claim: Claim, data: Mapping[str, Any], version: object) -> Claim:
    """Change a claim if nobody else has since ``version``; partial payloads allowed."""
    with transaction.atomic():
        _check_editable(access, claim)
        fields = claim_fields(
            access.project, claim.document.text, data, EntityResolver(access.project), partial=True
        )
        current = _locked(claim, version)
        if "fragments" in fields:
            fields["fragments"] = merge_fragments(current.fragments, fields["fragments"])
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
    return current


def delete_claim(access: Access, claim: Claim, version: object) -> None:
    with transaction.atomic():
        _check_editable(access, claim)
        _locked(claim, version).delete()
