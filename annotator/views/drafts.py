"""The claim being edited on the annotate page, carried in the form's hidden fields.

Every action on the form (use the selection as the claim, speaker, cue or target; pick or
create an entity; clear a role) posts the whole draft and gets it back re-rendered, so the
server is the one place that turns the browser's UTF-16 selection into code points and
checks it. Nothing is written until the draft is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from annotator.highlights import shown_text
from annotator.models import Claim, Document, Entity
from annotator.offsets import (
    ROLES,
    OffsetError,
    Span,
    Utf16Index,
    add_fragment,
    check_fragments,
    check_span,
    trim,
)
from annotator.services.access import Access
from annotator.services.claims import ENTITY_ROLES, EntityResolver
from annotator.services.entities import create_entity, entity_named
from annotator.services.errors import DomainError
from annotator.suggest.nearby import cue_near


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass
class Draft:
    claim_id: int | None = None
    version: int | None = None
    spans: dict[str, Span | None] = field(default_factory=lambda: dict.fromkeys(ROLES))
    # The pieces of discontinuous spans; () for a span of one piece.
    fragments: dict[str, tuple[Span, ...]] = field(
        default_factory=lambda: {role: () for role in ROLES}
    )
    entities: dict[str, Entity | None] = field(default_factory=lambda: dict.fromkeys(ENTITY_ROLES))
    stance: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    note: str = ""
    active_role: str = "speaker"
    # The role set last: the one the `f` key adds a fragment to.
    last_role: str = "claim"
    problems: list[str] = field(default_factory=list)
    # What the last action filled in by itself (an entity named like the span, the cue
    # beside the speaker), so the form says so and offers to undo it.
    auto: set[str] = field(default_factory=set)

    @classmethod
    def from_claim(cls, claim: Claim) -> Draft:
        return cls(
            claim_id=claim.pk,
            version=claim.version,
            spans=claim.spans(),
            fragments={role: claim.fragments_of(role) for role in ROLES},
            entities={"speaker": claim.speaker_entity, "target": claim.target_entity},
            stance=claim.stance,
            attributes=dict(claim.attributes),
            note=claim.note,
        )

    @classmethod
    def from_post(cls, data: QueryDict, access: Access, document: Document) -> Draft:
        draft = cls(claim_id=_int(data.get("claim_id")), version=_int(data.get("version")))
        text = document.text
        for role in ROLES:
            start, end = _int(data.get(f"{role}_start")), _int(data.get(f"{role}_end"))
            if start is not None and end is not None:
                try:
                    draft.spans[role] = check_span(text, start, end)
                    draft.fragments[role] = _fragments(text, data.get(f"{role}_fragments"))
                except OffsetError as exc:
                    # Never drop a span quietly: saving is refused while this is here.
                    draft.problems.append(f"{role}: {exc}")
        ids = {role: _int(data.get(f"{role}_entity")) for role in ENTITY_ROLES}
        found = Entity.objects.filter(
            project=access.project, pk__in=[i for i in ids.values() if i]
        ).in_bulk()
        draft.entities = {role: found.get(i) if i else None for role, i in ids.items()}
        draft.stance = data.get("stance", "")
        draft.attributes = {
            name: data.get(f"attr_{name}", "")
            for name in access.project.parsed_scheme.attributes
            if data.get(f"attr_{name}")
        }
        draft.note = data.get("note", "")
        if data.get("active_role") in ENTITY_ROLES:
            draft.active_role = data["active_role"]
        if data.get("last_role") in ROLES:
            draft.last_role = data["last_role"]
        return draft

    @property
    def complete(self) -> bool:
        """Enough to save as an attribution: the claim and who says it."""
        return self.spans["claim"] is not None and (
            self.spans["speaker"] is not None or self.entities.get("speaker") is not None
        )

    def payload(self) -> dict[str, Any]:
        """The draft as a claim payload for annotator.services.claims."""
        payload: dict[str, Any] = {
            "stance": self.stance,
            "attributes": self.attributes,
            "note": self.note,
        }
        for role in ROLES:
            span = self.spans[role]
            value: dict[str, Any] | None = None
            if span is not None:
                value = {"start": span.start, "end": span.end}
                if self.fragments[role]:
                    value["fragments"] = [
                        {"start": f.start, "end": f.end} for f in self.fragments[role]
                    ]
            entity = self.entities.get(role)
            if entity is not None:
                value = {**(value or {}), "entity": entity.pk}
            payload[role] = value
        return payload

    def span_texts(self, text: str) -> dict[str, str | None]:
        return {
            role: shown_text(text, s.start, s.end, self.fragments[role]) if s else None
            for role, s in self.spans.items()
        }


def _fragments(text: str, value: str | None) -> tuple[Span, ...]:
    """A role's fragments from its hidden field, "start-end,start-end" in code points."""
    if not value:
        return ()
    try:
        pieces = [
            {"start": int(a), "end": int(b)}
            for a, _, b in (piece.partition("-") for piece in value.split(","))
        ]
    except ValueError:
        raise OffsetError("unreadable fragments") from None
    return check_fragments(text, pieces)[1]


def selection(data: QueryDict, text: str) -> Span:
    """The browser's selection (UTF-16 offsets) as a trimmed code-point span."""
    start, end = _int(data.get("sel_start")), _int(data.get("sel_end"))
    if start is None or end is None or end <= start:
        raise DomainError("select some text in the article first", field="selection")
    index = Utf16Index(text)
    try:
        span = Span(index.to_codepoint(start), index.to_codepoint(end))
        return trim(text, check_span(text, span.start, span.end))
    except OffsetError as exc:
        raise DomainError(f"that selection cannot be used: {exc}", field="selection") from None


def apply_action(draft: Draft, data: QueryDict, access: Access, document: Document) -> None:
    """Apply the button the annotator pressed to the draft (raises DomainError)."""
    if role := data.get("set_role"):
        if role not in ROLES:
            raise DomainError(f"unknown role {role!r}")
        draft.spans[role] = selection(data, document.text)
        draft.fragments[role] = ()
        draft.last_role = role
        if role in ENTITY_ROLES:
            draft.active_role = role
        _fill_in(draft, role, access, document.text)
    elif "add_fragment" in data:
        # Another piece of the role set last (a quote split by "he said").
        role = draft.last_role
        new = selection(data, document.text)
        span = draft.spans[role]
        if span is None:
            draft.spans[role], draft.fragments[role] = new, ()
        else:
            draft.spans[role], draft.fragments[role] = add_fragment(
                span, draft.fragments[role], new
            )
    elif role := data.get("clear_role"):
        if role in ROLES:
            draft.spans[role] = None
            draft.fragments[role] = ()
    elif role := data.get("clear_entity"):
        if role in ENTITY_ROLES:
            draft.entities[role] = None
    elif value := data.get("pick_entity"):
        role, _, entity_id = value.partition(":")
        entity = Entity.objects.filter(project=access.project, pk=_int(entity_id)).first()
        if role not in ENTITY_ROLES or entity is None:
            raise DomainError("that entity does not exist", field="entity")
        draft.entities[role] = entity
        draft.active_role = role
    elif role := data.get("create_entity") or data.get("entity_enter"):
        if role not in ENTITY_ROLES:
            raise DomainError(f"unknown role {role!r}")
        name = data.get(f"{role}_entity_q", "").strip()
        entity = None
        if "entity_enter" in data and name:
            # Enter in the entity box takes the entity of that name or alias, else makes one.
            try:
                entity = EntityResolver(access.project).resolve(name, role)
            except DomainError:
                entity = None
        draft.entities[role] = entity or create_entity(access, {"name": name})
        draft.active_role = role


def _fill_in(draft: Draft, role: str, access: Access, text: str) -> None:
    """After a span is set: link the entity it names, and find the cue beside the speaker."""
    span = draft.spans[role]
    if role in ENTITY_ROLES and span is not None and draft.entities.get(role) is None:
        entity = entity_named(access.project, span.text_in(text))
        if entity is not None:
            draft.entities[role] = entity
            draft.auto.add(f"{role}_entity")
    claim, speaker = draft.spans["claim"], draft.spans["speaker"]
    if role in ("claim", "speaker") and claim and speaker and draft.spans["cue"] is None:
        cue = cue_near(text, claim, speaker)
        if cue is not None:
            draft.spans["cue"] = cue
            draft.auto.add("cue")
