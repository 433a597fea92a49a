"""What changed on a document's claims: who, when, which fields (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from annotator.models import Claim, Document
from annotator.models.content import CONTENT_FIELDS

TRACKED = (*CONTENT_FIELDS, "attributes", "note", "review")
_KIND = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    claim_id: int
    when: datetime
    who: str
    kind: str
    fields: tuple[str, ...]
    gold: bool


def claim_history(document: Document, limit: int = 50) -> list[Change]:
    """The newest changes first; one bounded query, diffs computed between consecutive
    records of a claim (a change whose previous record is older than the window is listed
    without its fields)."""
    window = (
        Claim.history.filter(document_id=document.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * 4]
    )
    records = sorted(window, key=lambda r: (r.id, r.history_date, r.history_id))
    changes: list[Change] = []
    previous: dict[int, object] = {}
    for record in records:
        before = previous.get(record.id)
        fields: tuple[str, ...] = ()
        if before is not None and record.history_type == "~":
            fields = tuple(
                name.removesuffix("_id")
                for name in TRACKED
                if getattr(record, name) != getattr(before, name)
            )
        previous[record.id] = record
        user = record.history_user
        changes.append(
            Change(
                claim_id=record.id,
                when=record.history_date,
                who=user.get_username() if user else "system",
                kind=_KIND.get(record.history_type, record.history_type),
                fields=fields,
                gold=record.is_gold,
            )
        )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
