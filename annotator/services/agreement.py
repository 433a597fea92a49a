"""Agreement over a project: the database turned into plain records for annotator.agreement.

Counts documents where at least two annotators submitted their work (submitted, accepted or
rejected sets); in-progress and skipped sets are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from annotator.agreement import ClaimRecord, compute
from annotator.models import Assignment, Claim, Project
from annotator.models.workflow import AssignmentStatus

CHUNK = 2000


def _key(entity_id: int | None, start: int | None, end: int | None) -> tuple | None:
    if entity_id is not None:
        return ("entity", entity_id)
    if start is not None:
        return ("span", start, end)
    return None


def _documents(project: Project) -> Iterator[dict[str, list[ClaimRecord]]]:
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
            )
        )
        for doc_id, user_id, start, end, stance, se, ss, sn, te, ts, tn in rows:
            name = submitted[doc_id].get(user_id)
            if name is None:  # a set still in progress
                continue
            sets[doc_id][name].append(
                ClaimRecord(start, end, stance or None, _key(se, ss, sn), _key(te, ts, tn))
            )
        yield from (sets[d] for d in chunk)


def project_agreement(project: Project) -> dict[str, Any]:
    """The agreement figures of a project (see annotator.agreement for their definitions)."""
    result = compute(_documents(project), project.parsed_scheme.stance_labels)
    return {"project": project.slug, **result}
