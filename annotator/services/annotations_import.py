"""Reading our own ``claims/1`` export back: round trips, merges and pre-annotations.

All or nothing per file, like the document import. Documents the project lacks are added;
a document whose text differs from ours is an error. Claims already present (same spans,
entities, stance, attributes and note for the same annotator) are skipped, so importing
the same file twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from annotator.models import Assignment, Claim, Document, Membership, Project, Role, Suggestion
from annotator.models.claim import Source
from annotator.models.content import CONTENT_FIELDS
from annotator.models.document import GoldStatus
from annotator.models.suggestion import Origin
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.claims import EntityResolver, claim_fields
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.importing import MAX_ERRORS, lock_for_import
from annotator.services.records import Record, document_fields

# What makes an imported claim the same as one already there.
_KEY_FIELDS = (*CONTENT_FIELDS, "note")


@dataclass
class AnnotationImportResult:
    documents: int = 0
    claims: int = 0
    skipped: int = 0
    users_created: int = 0
    lines: int = 0  # documents read, new or not

    def __str__(self) -> str:
        return (
            f"{self.documents} documents added, {self.claims} claims imported, "
            f"{self.skipped} already present (skipped), {self.users_created} users created"
        )

    @property
    def empty(self) -> bool:
        return not self.lines


def _claim_key(claim: Claim) -> tuple:
    values = (getattr(claim, name) for name in _KEY_FIELDS)
    return (*values, tuple(sorted(claim.attributes.items())))


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

    def user(self, username: object, where: str) -> Any:
        if not isinstance(username, str) or not username.strip():
            raise DomainError(f"{where}: missing annotator username")
        if username not in self.users:
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                if not self.create_users:
                    raise DomainError(
                        f"{where}: unknown annotator {username!r} "
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
            if user.pk not in self.members:
                Membership.objects.create(project=self.project, user=user, role=Role.ANNOTATOR)
                self.members.add(user.pk)
            self.users[username] = user
        return self.users[username]

    def document(self, record: Record, line: int) -> Document:
        fields = document_fields(record, line)
        document = Document.objects.filter(
            project=self.project, external_id=fields["external_id"]
        ).first()
        if document is None:
            document = Document.objects.create(project=self.project, **fields)
            self.result.documents += 1
        elif document.text != fields["text"]:
            raise DomainError(
                f"document {fields['external_id']!r} exists with a different text", field="text"
            )
        return document

    def claims(
        self, document: Document, user: Any, claims: object, where: str, *, gold: bool
    ) -> None:
        if not isinstance(claims, list):
            raise DomainError(f"{where}.claims must be a list")
        existing = {
            _claim_key(c)
            for c in Claim.objects.filter(document=document, annotator=user, is_gold=gold)
        }
        new = []
        for i, data in enumerate(claims):
            try:
                fields = claim_fields(self.project, document.text, data, self.resolver)
            except DomainError as exc:
                raise DomainError(f"{where}.claims[{i}]: {exc.message}", field=exc.field) from None
            key = _claim_key(Claim(**fields))
            if key in existing:
                self.result.skipped += 1
                continue
            existing.add(key)
            source = Source.GOLD if gold else Source.IMPORT
            new.append(
                Claim(document=document, annotator=user, is_gold=gold, source=source, **fields)
            )
        if new:
            bulk_create_with_history(new, Claim, default_change_reason="import")
            self.result.claims += len(new)

    def suggestions(self, document: Document, claims: object, where: str) -> None:
        """Pre-annotations become suggestions that annotators accept or dismiss."""
        if not isinstance(claims, list):
            raise DomainError(f"{where}.claims must be a list")
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
            self.suggestions(document, _list(data.get("claims"), f"{where}.claims"), where)
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
        Assignment.objects.get_or_create(
            document=document,
            annotator=user,
            defaults={
                # A rejected set is back with its annotator (see services/review.py).
                "status": {
                    Decision.ACCEPTED: AssignmentStatus.SUBMITTED,
                    Decision.REJECTED: AssignmentStatus.IN_PROGRESS,
                }.get(review, status),
                "review": review,
                "submitted_at": submitted_at,
            },
        )
        self.claims(document, user, _list(data.get("claims"), f"{where}.claims"), where, gold=False)

    def gold(self, document: Document, data: object) -> None:
        if data is None:
            return
        if not isinstance(data, dict):
            raise DomainError("gold must be an object or null")
        adjudicators = data.get("adjudicators") or []
        claims = _list(data.get("claims"), "gold.claims")
        # A document adjudicated as holding no claims is exported with no adjudicators.
        if not isinstance(adjudicators, list) or (claims and not adjudicators):
            raise DomainError("gold needs its adjudicators")
        user = self.user(adjudicators[0], "gold") if adjudicators else None
        status = data.get("status") or GoldStatus.DRAFT
        if status not in (GoldStatus.DRAFT, GoldStatus.COMPLETE):
            raise DomainError(f"gold status must be draft or complete, not {status!r}")
        if claims:
            self.claims(document, user, claims, "gold", gold=True)
        if document.gold_status != GoldStatus.COMPLETE:
            Document.objects.filter(pk=document.pk).update(gold_status=status, gold_by=user)

    def line(self, record: Record, line: int) -> None:
        self.result.lines += 1
        document = self.document(record, line)
        annotations = _list(record.get("annotations"), "annotations")
        if not isinstance(annotations, list):
            raise DomainError("annotations must be a list")
        for i, data in enumerate(annotations):
            self.annotation_set(document, data, f"annotations[{i}]")
        if not self.as_suggestions:
            self.gold(document, record.get("gold"))


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


def _timestamp(value: object, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DomainError(f"{where}: submitted_at must be an ISO 8601 time") from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def import_annotations(
    project: Project,
    records: Iterable[tuple[int, Record | DomainError]],
    *,
    source: str,
    create_users: bool = False,
    as_suggestions: bool = False,
) -> AnnotationImportResult:
    """Import claims/1 lines; raise ImportFailed naming each bad line, writing nothing.
    With ``as_suggestions`` every claim becomes a suggestion instead (no annotators needed)."""
    errors: list[DomainError] = []
    with transaction.atomic():
        lock_for_import(project)
        # After the lock: what the importer reads first (members) is then current.
        importer = _Importer(project, create_users, as_suggestions)
        for line, record in records:
            if len(errors) >= MAX_ERRORS:
                break
            try:
                if isinstance(record, DomainError):
                    raise record
                # A savepoint per line keeps the transaction usable after a failed line, so
                # the rest of the file is still checked.
                with transaction.atomic():
                    importer.line(record, line)
            except DomainError as exc:
                exc.line = line
                errors.append(exc)
        if errors:
            raise ImportFailed(source, errors)
    return importer.result
