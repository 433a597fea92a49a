"""What the API sends back: plain dicts in the shape of the JSONL export.

Claims look exactly like a claim of the ``claims/1`` export (span text sliced from the
document's text, fragments of discontinuous spans) plus ``document``, ``annotator``,
``version`` and ``gold``; ``id`` is the API's own id, ``uid`` the claim's id in exports.
Built by hand rather than by serializers: the hot endpoints (claim POST, document GET)
spend their time here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from annotator.models import Claim, Document, Entity, Project
from annotator.models.workflow import Assignment
from annotator.services.exporting import span_json as span

# The columns a claim's shape needs, read with .values() for lists: no model instances.
CLAIM_VALUES = (
    "id",
    "document_id",
    "is_gold",
    "version",
    "claim_start",
    "claim_end",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "target_start",
    "target_end",
    "stance",
    "attributes",
    "note",
    "annotator__username",
    "speaker_entity__name",
    "target_entity__name",
    "uid",
    "fragments",
)


def shape(v: dict[str, Any], text: str) -> dict[str, Any]:
    """A claim from its CLAIM_VALUES and its document's text."""
    speaker, target = v["speaker_entity__name"], v["target_entity__name"]
    pieces = v["fragments"] or {}
    return {
        "id": v["id"],
        "uid": v["uid"],
        "claim": span(text, v["claim_start"], v["claim_end"], fragments=pieces.get("claim")),
        "speaker": span(
            text,
            v["speaker_start"],
            v["speaker_end"],
            speaker,
            entity_role=True,
            fragments=pieces.get("speaker"),
        ),
        "cue": span(text, v["cue_start"], v["cue_end"], fragments=pieces.get("cue")),
        "stance": v["stance"] or None,
        "target": span(
            text,
            v["target_start"],
            v["target_end"],
            target,
            entity_role=True,
            fragments=pieces.get("target"),
        ),
        "attributes": v["attributes"],
        "note": v["note"],
        "document": v["document_id"],
        "annotator": v["annotator__username"],
        "version": v["version"],
        "gold": v["is_gold"],
    }


def claims_json(claims: QuerySet[Claim], text: str) -> list[dict[str, Any]]:
    """The claims of one document (whose text is given), in one query."""
    return [shape(v, text) for v in claims.values(*CLAIM_VALUES)]


def claim_json(claim: Claim, text: str | None = None, annotator: str | None = None) -> dict:
    """One claim; pass the document text and username when already at hand."""
    values = {name: getattr(claim, name) for name in CLAIM_VALUES if "__" not in name}
    speaker = claim.speaker_entity if claim.speaker_entity_id is not None else None
    target = claim.target_entity if claim.target_entity_id is not None else None
    values["annotator__username"] = annotator or claim.annotator.username
    values["speaker_entity__name"] = speaker.name if speaker is not None else None
    values["target_entity__name"] = target.name if target is not None else None
    return shape(values, claim.document.text if text is None else text)


def document_summary(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "external_id": document.external_id,
        "title": document.title,
        "url": document.url or None,
        "published": document.published or None,
        "meta": document.meta,
        "gold_status": document.gold_status or None,
        "created_at": document.created_at,
    }


def document_json(document: Document, project: Project, claims: QuerySet[Claim]) -> dict:
    return {
        **document_summary(document),
        "project": project.slug,
        "text": document.text,
        "claims": claims_json(claims, document.text),
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "name": entity.name,
        "aliases": entity.aliases,
        "wikidata": entity.wikidata or None,
        "type": entity.type or None,
    }


def project_json(project: Project, role: str | None) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "name": project.name,
        "description": project.description,
        "guidelines": project.guidelines,
        "scheme": project.scheme,
        "role": role,
        "created_at": project.created_at,
    }


def assignment_json(assignment: Assignment, username: str) -> dict[str, Any]:
    return {
        "document": assignment.document_id,
        "annotator": username,
        "status": assignment.status,
        "review": assignment.review or None,
        "submitted_at": assignment.submitted_at,
    }
