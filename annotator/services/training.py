"""Training a project's own claim suggester, and choosing it over the rules when it is better.

What it learns from, per document: the gold (adjudicated) claims when there are; otherwise
one annotation set that a reviewer accepted; with ``include_submitted``, otherwise one
submitted set (a corpus imported from elsewhere has no reviews here). The documents are
split, by a hash of their id, into training and held-out ones; the model trained on the
first is scored on the second beside the rules, and becomes the project's suggester only
if its claim F1 there beats the rules'.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from annotator.models import Assignment, Claim, Document, Project, TrainedSuggester
from annotator.models.suggestion import Origin
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.errors import DomainError
from annotator.suggest import detect
from annotator.suggest.learned import model as learned
from annotator.suggest.learned.scoring import Found, Tally, Truth, intervals

MIN_DOCUMENTS = 10  # fewer, and the held-out figures say nothing
HELD_OUT = 0.2

Report = Callable[[int, int], None]


def _pieces(claim: Claim, role: str) -> tuple[tuple[int, int], ...]:
    return tuple((p.start, p.end) for p in claim.pieces(role))


def _gold_claim(claim: Claim) -> learned.GoldClaim:
    return learned.GoldClaim(
        _pieces(claim, "claim"), _pieces(claim, "speaker"), _pieces(claim, "cue")
    )


def training_sets(project: Project, include_submitted: bool = False) -> dict[int, list[Claim]]:
    """The claims to learn from, by document id (see the module's docstring)."""
    chosen: dict[int, tuple[bool, int] | None] = {}  # document -> (gold, annotator id)
    gold_docs = set(
        Claim.objects.filter(document__project=project, is_gold=True).values_list(
            "document_id", flat=True
        )
    )
    for document_id in gold_docs:
        chosen[document_id] = (True, 0)
    statuses = Q(review=Decision.ACCEPTED)
    if include_submitted:
        statuses |= Q(status=AssignmentStatus.SUBMITTED, review="")
    sets = (
        Assignment.objects.filter(statuses, document__project=project)
        .exclude(document_id__in=gold_docs)
        .order_by("document_id", "-review", "annotator_id")  # an accepted set first
        .values_list("document_id", "annotator_id")
    )
    for document_id, annotator_id in sets:
        chosen.setdefault(document_id, (False, annotator_id))
    by_document: dict[int, list[Claim]] = {d: [] for d in chosen}
    claims = Claim.objects.filter(document_id__in=list(chosen)).only(
        "document_id", "annotator_id", "is_gold", "fragments",
        *(f"{r}_{e}" for r in ("claim", "speaker", "cue") for e in ("start", "end")),
    )  # fmt: skip
    for claim in claims.iterator(chunk_size=2000):
        gold, annotator_id = chosen[claim.document_id]
        if claim.is_gold if gold else (not claim.is_gold and claim.annotator_id == annotator_id):
            by_document[claim.document_id].append(claim)
    return by_document


def held_out(document_id: int, share: float = HELD_OUT) -> bool:
    """A stable document-level split: the same documents are held out at every training."""
    digest = hashlib.sha256(f"held-out:{document_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _truths(claims: list[Claim]) -> list[Truth]:
    return [
        Truth(
            (c.claim_start, c.claim_end),
            None if c.speaker_start is None else (c.speaker_start, c.speaker_end),
        )
        for c in claims
    ]


def _found(found: Any) -> list[Found]:
    return [
        Found(
            (d.claim.start, d.claim.end),
            tuple((s.start, s.end) for s in (d.speaker, d.speaker_antecedent) if s is not None),
        )
        for d in found
    ]


def train_suggester(
    project: Project,
    *,
    user: AbstractBaseUser | None = None,
    include_submitted: bool = False,
    progress: Report | None = None,
) -> TrainedSuggester:
    """Train, score on the held-out documents, store; active if it beats the rules there."""
    report = progress or (lambda done, total: None)
    sets = training_sets(project, include_submitted)
    texts = dict(Document.objects.filter(pk__in=list(sets)).values_list("pk", "text"))
    train_ids = sorted(d for d in sets if not held_out(d))
    test_ids = sorted(d for d in sets if held_out(d))
    if len(train_ids) < MIN_DOCUMENTS or not test_ids:
        raise DomainError(
            f"training needs at least {MIN_DOCUMENTS} documents with gold or accepted claims "
            f"and some to hold out; this project has {len(sets)}"
            + ("" if include_submitted else " (submitted sets are not counted)")
        )
    iterations = learned.ITERATIONS
    # Steps: features per training document, two CRFs' iterations, scoring per held-out one.
    trained_at = len(train_ids) + sum(iterations.values())
    total = trained_at + len(test_ids)
    offsets = {
        "features": 0,
        "claims": len(train_ids),
        "links": len(train_ids) + iterations["claims"],
    }

    def stage(name: str, done: int, _: int) -> None:
        report(offsets[name] + done, total)

    started = time.perf_counter()
    examples = [learned.Example(texts[d], [_gold_claim(c) for c in sets[d]]) for d in train_ids]
    blob = learned.train(examples, progress=stage)
    seconds = time.perf_counter() - started
    model = learned.load(blob)
    by_document: dict[str, list[Tally]] = {"": [], "rules_": []}  # field prefix -> tallies
    for n, d in enumerate(test_ids, 1):
        truths = _truths(sets[d])
        by_document[""].append(Tally.of(truths, _found(model.predict(texts[d]))))
        by_document["rules_"].append(Tally.of(truths, _found(detect(texts[d]))))
        report(trained_at + n, total)
    trained, rules = Tally.total(by_document[""]), Tally.total(by_document["rules_"])
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one switch at a time
        suggester = TrainedSuggester(
            project=project,
            model=blob,
            created_by=user,
            documents=len(train_ids),
            claims=sum(len(sets[d]) for d in train_ids),
            held_out_documents=len(test_ids),
            held_out_claims=trained.truth,
            seconds=round(seconds, 2),
            precision=trained.precision,
            recall=trained.recall,
            f1=trained.f1,
            speaker=trained.speaker,
            rules_precision=rules.precision,
            rules_recall=rules.recall,
            rules_f1=rules.f1,
            rules_speaker=rules.speaker,
            intervals={
                prefix + name: low_high
                for prefix, documents in by_document.items()
                for name, low_high in intervals(documents).items()
            },
        )
        if suggester.beats_rules:
            TrainedSuggester.objects.filter(project=project, active=True).update(active=False)
            suggester.active = True
        suggester.save()
    return suggester


def active_suggester(project: Project) -> TrainedSuggester | None:
    return TrainedSuggester.objects.filter(project=project, active=True).first()


def held_out_figures(suggester: TrainedSuggester | None, prefix: str) -> dict[str, Any]:
    """The trained model's (prefix "") or the rules' ("rules_") held-out figures, each
    interval beside its figure; all None before any training."""
    figures = ("precision", "recall", "f1", "speaker")
    out = {name: getattr(suggester, prefix + name) if suggester else None for name in figures}
    for name in ("f1", "speaker"):
        out[f"{name}_95"] = suggester.intervals.get(prefix + name) if suggester else None
    return out


def summary(suggester: TrainedSuggester) -> dict[str, Any]:
    """What a dashboard or the API shows of one trained suggester (not its model)."""
    return {
        "id": suggester.pk,
        "created_at": suggester.created_at,
        "active": suggester.active,
        "documents": suggester.documents,
        "claims": suggester.claims,
        "held_out_documents": suggester.held_out_documents,
        "held_out_claims": suggester.held_out_claims,
        "seconds": suggester.seconds,
        "held_out": {
            "trained": held_out_figures(suggester, ""),
            "rules": held_out_figures(suggester, "rules_"),
        },
    }


def suggester_table(project: Project) -> dict[str, Any]:
    """Per suggester (rules, trained): held-out precision and recall — of the active trained
    model, else the latest, and of the rules on its held-out documents — and how annotators
    answered each one's suggestions."""
    from annotator.services.suggestions import usefulness

    shown = active_suggester(project) or TrainedSuggester.objects.filter(project=project).first()
    rows = [
        {
            "name": "Rules (built-in detector)",
            "in_use": shown is None or not shown.active,
            **held_out_figures(shown, "rules_"),
            "answers": usefulness(project, Origin.DETECTOR),
        }
    ]
    if shown is not None:
        rows.append(
            {
                "name": "Trained on this project's claims",
                "in_use": shown.active,
                **held_out_figures(shown, ""),
                "answers": usefulness(project, Origin.TRAINED),
            }
        )
    return {"rows": rows, "trained": shown}
