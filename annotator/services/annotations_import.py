"""Storing ``claims/1`` records: our own export read back, and every other format's reading.

All or nothing per file, like the document import. Documents the project lacks are added;
a document whose text differs from ours is an error. A claim whose ``id`` is already on the
document is the same claim (skipped; with other content, refused); a claim without a known
id that says the same as one already there (same spans, entities, stance, attributes, note,
annotator) is skipped too, so importing the same file twice adds nothing the second time.
Review decisions (per set and per claim) and gold adjudicators come back as exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from annotator.models import (
    Assignment,
    Claim,
    Document,
    Membership,
    Project,
    Review,
    Role,
    Suggestion,
)
from annotator.models.claim import Source
from annotator.models.content import CONTENT_FIELDS
from annotator.models.document import GoldStatus
from annotator.models.suggestion import Origin
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.claims import EntityResolver, claim_fields
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.importing import MAX_ERRORS, lock_for_import
from annotator.services.records import Record, document_fields, meta_json

# What makes an imported claim the same as one already there.
_KEY_FIELDS = (*CONTENT_FIELDS, "note")
MAX_ID = 100

# Called after each record with (records done, records in all or None when unknown).
Progress = Callable[[int, int | None], None]


@dataclass
class AnnotationImportResult:
    documents: int = 0
    claims: int = 0
    skipped: int = 0
    users_created: int = 0
    reviews: int = 0
    lines: int = 0  # documents read, new or not

    def __str__(self) -> str:
        return (
            f"{self.documents} documents added, {self.claims} claims imported, "
            f"{self.skipped} already present (skipped), {self.users_created} users created, "
            f"{self.reviews} review decisions"
        )

    @property
    def empty(self) -> bool:
        return not self.lines


def _frozen(value: Any) -> Any:
    """A JSON value as something hashable (dicts and lists become sorted tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _claim_key(claim: Claim) -> tuple:
    values = (_frozen(getattr(claim, name)) for name in _KEY_FIELDS)
    return (*values, _frozen(claim.attributes))


def _claim_id(value: object, where: str) -> str | None:
    """A claim's exported id as text (older exports used numbers); None: no id given."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DomainError(f"{where}: a claim's id must be a string or a number")
    text = str(value)
    if len(text) > MAX_ID:
        raise DomainError(f"{where}: a claim's id is longer than {MAX_ID} characters")
    return text


class _Importer:
    def __init__(self, project: Project, create_users: bool, as_suggestions: bool) -> None:
        self.project = project
        self.create_users = create_users
        self.as_suggestions = as_suggestions
        self.resolver = EntityResolver(project, create_missing=True)
        self.result = AnnotationImportResult()
        self.users: dict[str, Any] = {}
        self.members = set(
            Membership.objects.filter(project=project).values_list("user_id", flat=True)
        )
        # Documents this import created: nothing of theirs is in the database to look up.
        self.fresh: set[int] = set()
        self.made: list[Claim] = []
        self.assigned: set[tuple[int, int]] = set()

    def user(self, username: object, where: str, role: str = Role.ANNOTATOR) -> Any:
        noun = "reviewer" if role == Role.REVIEWER else "annotator"
        if not isinstance(username, str) or not username.strip():
            raise DomainError(f"{where}: missing {noun} username")
        if username not in self.users:
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                if not self.create_users:
                    raise DomainError(
                        f"{where}: unknown {noun} {username!r} "
                        "(create the account, or import with --create-users)"
                    )
                _check_username(User, username, where)
                # get_or_create: an import into another project may make the same account
                # at the same moment (the import lock is per project).
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"is_active": False, "password": make_password(None)},
                )
                self.result.users_created += created
            self.users[username] = user
        user = self.users[username]
        if user.pk not in self.members:
            Membership.objects.create(project=self.project, user=user, role=role)
            self.members.add(user.pk)
        return user

    def document(self, record: Record, line: int | None) -> Document:
        fields = document_fields(record, line)
        meta_json(fields["meta"], line)  # what a document import refuses in meta
        document = Document.objects.filter(
            project=self.project, external_id=fields["external_id"]
        ).first()
        self.fresh.clear()  # only the record being read can skip lookups
        if document is None:
            document = Document.objects.create(project=self.project, **fields)
            self.fresh.add(document.pk)
            self.made = []
            self.result.documents += 1
        elif document.text != fields["text"]:
            raise DomainError(
                f"document {fields['external_id']!r} exists with a different text", field="text"
            )
        return document

    def reviews(self, data: object, where: str) -> list[Review]:
        """Unsaved reviews from an exported list, oldest first."""
        reviews = []
        for i, item in enumerate(_list(data, f"{where}.reviews")):
            place = f"{where}.reviews[{i}]"
            if not isinstance(item, dict):
                raise DomainError(f"{place} must be an object")
            decision = item.get("decision")
            if decision not in Decision.values:
                raise DomainError(f"{place}: a decision is accepted or rejected")
            comment = item.get("comment") or ""
            if not isinstance(comment, str):
                raise DomainError(f"{place}: comment must be text")
            reviewer = self.user(item.get("reviewer"), place, Role.REVIEWER)
            when = _timestamp(item.get("time"), place, "time") or timezone.now()
            reviews.append(
                Review(reviewer=reviewer, decision=decision, comment=comment, created_at=when)
            )
        return sorted(reviews, key=lambda r: r.created_at)

    def save_reviews(
        self, reviews: list[Review], existing: Iterable[Review], first_sequence: int | None = None
    ) -> None:
        """Add the reviews not already recorded (same reviewer, decision, comment, time);
        decisions on a set are numbered on from ``first_sequence``."""
        seen = {(r.reviewer_id, r.decision, r.comment, r.created_at) for r in existing}
        new = [
            r for r in reviews if (r.reviewer_id, r.decision, r.comment, r.created_at) not in seen
        ]
        if first_sequence is not None:
            for number, review in enumerate(new, first_sequence):
                review.sequence = number
        Review.objects.bulk_create(new)
        self.result.reviews += len(new)

    def claims(
        self, document: Document, user: Any, claims: object, where: str, *, gold: bool
    ) -> None:
        claims = _list(claims, f"{where}.claims")
        # The set the claims join: the user's own, or the document's gold set (whoever
        # adjudicated each gold claim).
        if document.pk in self.fresh:
            present = self.made  # the claims of earlier sets of this record, if any
        else:
            present = list(Claim.objects.filter(document=document))
        mine = [c for c in present if c.is_gold == gold and (gold or c.annotator_id == user.pk)]
        existing = {_claim_key(c) for c in mine}
        by_uid = {c.uid: c.pk for c in present}
        same_uid = {c.uid: _claim_key(c) for c in mine}
        new: list[Claim] = []
        reviews: list[tuple[Claim, list[Review]]] = []
        for i, data in enumerate(claims):
            place = f"{where}.claims[{i}]"
            if isinstance(data, dict) and isinstance(data.get("_at"), str):
                place = data["_at"]  # a reader's own name for the place (file and line)
            owner = user
            if gold and isinstance(data, dict) and data.get("adjudicator") is not None:
                owner = self.user(data["adjudicator"], place, Role.REVIEWER)
            try:
                fields = claim_fields(self.project, document.text, data, self.resolver)
            except DomainError as exc:
                raise DomainError(f"{place}: {exc.message}", field=exc.field) from None
            uid = _claim_id(data.get("id"), place)
            claim = Claim(
                document=document,
                annotator=owner,
                is_gold=gold,
                source=Source.GOLD if gold else Source.IMPORT,
                **fields,
            )
            claim.copy_search_text()
            key = _claim_key(claim)
            if uid is not None and uid in by_uid:
                if same_uid.get(uid) != key:
                    raise DomainError(
                        f"{place}: claim {uid!r} is already on this document with other "
                        "content; nothing was changed"
                    )
                self.result.skipped += 1
                continue
            if key in existing:
                self.result.skipped += 1
                continue
            existing.add(key)
            if uid is not None:
                claim.uid = uid
                by_uid[uid], same_uid[uid] = None, key
            set_reviews = self.reviews(data.get("reviews"), place)
            if set_reviews:
                claim.review = set_reviews[-1].decision
                reviews.append((claim, set_reviews))
            new.append(claim)
        if new:
            bulk_create_with_history(new, Claim, default_change_reason="import")
            self.result.claims += len(new)
            if document.pk in self.fresh:
                self.made += new
        for claim, decisions in reviews:
            for review in decisions:
                review.claim = claim
            self.save_reviews(decisions, ())

    def suggestions(self, document: Document, claims: object, where: str) -> None:
        """Pre-annotations become suggestions that annotators accept or dismiss."""
        claims = _list(claims, f"{where}.claims")
        existing = set(
            Suggestion.objects.filter(document=document, origin=Origin.IMPORT).values_list(
                "claim_start", "claim_end"
            )
        )
        new = []
        for i, data in enumerate(claims):
            try:
                fields = claim_fields(self.project, document.text, data, self.resolver)
            except DomainError as exc:
                raise DomainError(f"{where}.claims[{i}]: {exc.message}", field=exc.field) from None
            fields.pop("note")
            key = (fields["claim_start"], fields["claim_end"])
            if key in existing:
                self.result.skipped += 1
                continue
            existing.add(key)
            new.append(Suggestion(document=document, origin=Origin.IMPORT, **fields))
        Suggestion.objects.bulk_create(new)
        self.result.claims += len(new)

    def annotation_set(self, document: Document, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise DomainError(f"{where} must be an object")
        if self.as_suggestions:
            self.suggestions(document, data.get("claims"), where)
            return
        user = self.user(data.get("annotator"), where)
        status = data.get("status") or AssignmentStatus.SUBMITTED
        if not isinstance(status, str) or status not in {
            *AssignmentStatus.values,
            *Decision.values,
        }:
            raise DomainError(f"{where}: unknown status {status!r}")
        review = status if status in Decision.values else ""
        submitted_at = _timestamp(data.get("submitted_at"), where)
        if review or status == AssignmentStatus.SUBMITTED:
            submitted_at = submitted_at or timezone.now()
        defaults = {
            # A rejected set is back with its annotator (see services/review.py).
            "status": {
                Decision.ACCEPTED: AssignmentStatus.SUBMITTED,
                Decision.REJECTED: AssignmentStatus.IN_PROGRESS,
            }.get(review, status),
            "review": review,
            "submitted_at": submitted_at,
            # A set submitted elsewhere has been submitted once, as far as we know.
            "submission": 1 if submitted_at else 0,
        }
        extras = data.get("extras") or {}
        if not isinstance(extras, dict):
            raise DomainError(f"{where}: extras must be an object")
        key = (document.pk, user.pk)
        if document.pk in self.fresh and key not in self.assigned:
            # A document this import created has no assignment to look up.
            assignment = Assignment.objects.create(
                document=document, annotator=user, extras=extras, **defaults
            )
        else:
            assignment, created = Assignment.objects.get_or_create(
                document=document, annotator=user, defaults={**defaults, "extras": extras}
            )
            kept = merged_extras(assignment.extras, extras)
            if not created and kept != assignment.extras:
                Assignment.objects.filter(pk=assignment.pk).update(extras=kept)
        self.assigned.add(key)
        decisions = self.reviews(data.get("reviews"), where)
        if decisions:
            # The set's decisions go to the submission it is at, in the order they were made.
            present = list(assignment.reviews.all())
            decided = sum(r.submission == assignment.submission for r in present)
            for decision in decisions:
                decision.assignment = assignment
                decision.submission = assignment.submission
            self.save_reviews(decisions, present, first_sequence=decided + 1)
        self.claims(document, user, data.get("claims"), where, gold=False)

    def gold(self, document: Document, data: object) -> None:
        if data is None:
            return
        if not isinstance(data, dict):
            raise DomainError("gold must be an object or null")
        adjudicators = data.get("adjudicators") or []
        claims = _list(data.get("claims"), "gold.claims")
        # A document adjudicated as holding no claims is exported with no adjudicators.
        if not isinstance(adjudicators, list) or (claims and not adjudicators):
            raise DomainError("gold needs its adjudicators (for brat files: --gold-by USER)")
        # The adjudicator who last touched the set is the one no gold claim names.
        named = {c.get("adjudicator") for c in claims if isinstance(c, dict)}
        last = next((a for a in adjudicators if a not in named), None)
        last = last or (adjudicators[0] if adjudicators else None)
        user = self.user(last, "gold", Role.REVIEWER) if last else None
        status = data.get("status") or GoldStatus.DRAFT
        if status not in (GoldStatus.DRAFT, GoldStatus.COMPLETE):
            raise DomainError(f"gold status must be draft or complete, not {status!r}")
        if claims:
            self.claims(document, user, claims, "gold", gold=True)
        if document.gold_status != GoldStatus.COMPLETE:
            Document.objects.filter(pk=document.pk).update(gold_status=status, gold_by=user)

    def record(self, record: Record, line: int | None) -> None:
        self.result.lines += 1
        document = self.document(record, line)
        annotations = _list(record.get("annotations"), "annotations")
        for i, data in enumerate(annotations):
            self.annotation_set(document, data, f"annotations[{i}]")
        if not self.as_suggestions:
            self.gold(document, record.get("gold"))


def merged_extras(old: Any, new: Any) -> Any:
    """A set's extras after importing more of them: objects merge key by key, lists gain
    the items they lack (importing the same file twice changes nothing)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{k: merged_extras(old.get(k), v) for k, v in new.items()}}
    if isinstance(old, list) and isinstance(new, list):
        return old + [item for item in new if item not in old]
    return new


def _check_username(User: Any, username: str, where: str) -> None:
    """A new account's name passes the checks Django's own forms make (characters, length)."""
    field = User._meta.get_field(User.USERNAME_FIELD)
    try:
        field.clean(username, None)
    except ValidationError as exc:
        shown = username if len(username) <= 40 else f"{username[:40]}…"
        raise DomainError(
            f"{where}: cannot create an account named {shown!r}: {' '.join(exc.messages)}",
            field="annotator",
        ) from None


def _list(value: object, where: str) -> list:
    """A list, or None meaning empty; anything else is refused."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise DomainError(f"{where} must be a list")
    return value


def _timestamp(value: object, where: str, name: str = "submitted_at") -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DomainError(f"{where}: {name} must be an ISO 8601 time") from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def import_annotations(
    project: Project,
    records: Iterable[tuple[int | str, Record | DomainError]],
    *,
    source: str,
    create_users: bool = False,
    as_suggestions: bool = False,
    progress: Progress | None = None,
    total: int | None = None,
) -> AnnotationImportResult:
    """Import claims/1 records; raise ImportFailed naming each bad one, writing nothing.

    Each record comes with its place: a line number (JSONL) or a name (a file in a folder).
    With ``as_suggestions`` every claim becomes a suggestion instead (no annotators needed).
    ``progress`` is called after each record, so a job can report how far it is.
    """
    errors: list[DomainError] = []
    done = 0
    with transaction.atomic():
        lock_for_import(project)
        # After the lock: what the importer reads first (members) is then current.
        importer = _Importer(project, create_users, as_suggestions)
        for where, record in records:
            if len(errors) >= MAX_ERRORS:
                break
            line = where if isinstance(where, int) else None
            # A reader's own errors already name their file and line.
            placed = isinstance(record, DomainError)
            try:
                if isinstance(record, DomainError):
                    raise record
                # A savepoint per record keeps the transaction usable after a failed one, so
                # the rest of the file is still checked.
                with transaction.atomic():
                    importer.record(record, line)
            except DomainError as exc:
                if line is not None:
                    exc.line = line
                elif not placed:
                    exc.message = f"{where}: {exc.message}"
                errors.append(exc)
            done += 1
            if progress is not None:
                progress(done, total)
        if errors:
            raise ImportFailed(source, errors)
    return importer.result
