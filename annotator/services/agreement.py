"""Agreement over a project: the database turned into plain records for annotator.agreement.

Counts documents where at least two annotators submitted their work (submitted, accepted or
rejected sets); in-progress and skipped sets are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from annotator.agreement import ClaimRecord, compute
from annotator.agreement.attribution import AttributionTally
from annotator.agreement.gold import against_gold
from annotator.models import Assignment, Claim, Document, Project
from annotator.models.document import GoldStatus
from annotator.models.workflow import AssignmentStatus

CHUNK = 2000


def _key(entity_id: int | None, start: int | None, end: int | None) -> tuple | None:
    if entity_id is not None:
        return ("entity", entity_id)
    if start is not None:
        return ("span", start, end)
    return None


def _pieces(fragments: list | None) -> tuple[tuple[int, int], ...]:
    return tuple((start, end) for start, end in fragments or ())


def _span_pieces(start: int | None, end: int | None, fragments: list | None) -> tuple:
    if start is None:
        return ()
    return _pieces(fragments) or ((start, end),)


def _documents(project: Project) -> Iterator[tuple[str, dict[str, list[ClaimRecord]]]]:
    """(text, annotator -> claims) for each document with two or more submitted sets."""
    submitted: dict[int, dict[int, str]] = defaultdict(dict)
    for doc_id, user_id, username in Assignment.objects.filter(
        document__project=project, status=AssignmentStatus.SUBMITTED
    ).values_list("document_id", "annotator_id", "annotator__username"):
        submitted[doc_id][user_id] = username
    doc_ids = sorted(d for d, users in submitted.items() if len(users) >= 2)
    for i in range(0, len(doc_ids), CHUNK):
        chunk = doc_ids[i : i + CHUNK]
        sets: dict[int, dict[str, list[ClaimRecord]]] = {
            d: {name: [] for name in submitted[d].values()} for d in chunk
        }
        rows = (
            Claim.objects.filter(document_id__in=chunk, is_gold=False)
            .order_by("document_id", "claim_start", "claim_end", "id")
            .values_list(
                "document_id",
                "annotator_id",
                "claim_start",
                "claim_end",
                "stance",
                "speaker_entity_id",
                "speaker_start",
                "speaker_end",
                "target_entity_id",
                "target_start",
                "target_end",
                "cue_start",
                "cue_end",
                "fragments",
            )
        )
        for doc_id, user_id, start, end, stance, se, ss, sn, te, ts, tn, cs, cn, frags in rows:
            name = submitted[doc_id].get(user_id)
            if name is None:  # a set still in progress
                continue
            frags = frags or {}
            sets[doc_id][name].append(
                ClaimRecord(
                    start,
                    end,
                    stance or None,
                    _key(se, ss, sn),
                    _key(te, ts, tn),
                    pieces=_pieces(frags.get("claim")),
                    speaker_pieces=_span_pieces(ss, sn, frags.get("speaker")),
                    cue_pieces=_span_pieces(cs, cn, frags.get("cue")),
                )
            )
        texts = dict(Document.objects.filter(pk__in=chunk).values_list("id", "text"))
        yield from ((texts[d], sets[d]) for d in chunk)


def project_agreement(project: Project) -> dict[str, Any]:
    """The agreement figures of a project (see annotator.agreement for their definitions),
    with PolNeAR's token-wise and attribution-wise measures under ``attribution``."""
    tally = AttributionTally()

    def documents() -> Iterator[dict[str, list[ClaimRecord]]]:
        for text, sets in _documents(project):
            tally.add(text, sets)
            yield sets

    result = compute(documents(), project.parsed_scheme.stance_labels)
    return {"project": project.slug, **result, "attribution": tally.report()}


def _record(row: tuple) -> ClaimRecord:
    start, end, stance, frags = row
    return ClaimRecord(start, end, stance or None, pieces=_pieces((frags or {}).get("claim")))


def gold_scores(project: Project) -> dict[str, dict[str, Any]]:
    """Each annotator's submitted claims against the complete gold sets (see
    annotator.agreement.gold)."""
    gold_docs = set(
        Document.objects.filter(project=project, gold_status=GoldStatus.COMPLETE).values_list(
            "id", flat=True
        )
    )
    submitted: dict[int, dict[int, str]] = defaultdict(dict)
    for doc_id, user_id, username in Assignment.objects.filter(
        document_id__in=gold_docs, status=AssignmentStatus.SUBMITTED
    ).values_list("document_id", "annotator_id", "annotator__username"):
        submitted[doc_id][user_id] = username

    def documents() -> Iterator[tuple[list[ClaimRecord], dict[str, list[ClaimRecord]]]]:
        doc_ids = sorted(submitted)
        for i in range(0, len(doc_ids), CHUNK):
            chunk = doc_ids[i : i + CHUNK]
            gold: dict[int, list[ClaimRecord]] = defaultdict(list)
            sets = {d: {name: [] for name in submitted[d].values()} for d in chunk}
            rows = (
                Claim.objects.filter(document_id__in=chunk)
                .order_by("document_id", "claim_start", "claim_end", "id")
                .values_list(
                    "document_id",
                    "annotator_id",
                    "is_gold",
                    "claim_start",
                    "claim_end",
                    "stance",
                    "fragments",
                )
            )
            for doc_id, user_id, is_gold, *rest in rows:
                if is_gold:
                    gold[doc_id].append(_record(tuple(rest)))
                elif user_id in submitted[doc_id]:
                    sets[doc_id][submitted[doc_id][user_id]].append(_record(tuple(rest)))
            yield from ((gold[d], sets[d]) for d in chunk)

    return against_gold(documents())
