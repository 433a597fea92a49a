"""Who may see and do what: every view and endpoint gets its objects through here.

Non-members get Http404 (a project they are not in does not exist for them); members whose
role does not allow an action get PermissionDenied (403). Superusers act as managers
everywhere. Annotators see only the documents assigned to them, and in blind projects only
their own claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.http import Http404

from annotator.models import (
    Assignment,
    Claim,
    Document,
    Entity,
    Membership,
    Project,
    Role,
    Suggestion,
)

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Access:
    """A user's standing in one project."""

    user: AbstractBaseUser
    project: Project
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def can_review(self) -> bool:
        return self.role in (Role.MANAGER, Role.REVIEWER)

    @property
    def sees_all_claims(self) -> bool:
        return self.can_review or not self.project.parsed_scheme.blind

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied("your role in this project does not allow this")

    def require_manager(self) -> None:
        self.require(Role.MANAGER)

    def require_reviewer(self) -> None:
        self.require(Role.MANAGER, Role.REVIEWER)

    def documents(self) -> QuerySet[Document]:
        """The project's documents this user may open."""
        documents = Document.objects.filter(project=self.project)
        if self.can_review:
            return documents
        return documents.filter(assignments__annotator=self.user)

    def claims(self, document: Document) -> QuerySet[Claim]:
        """The claims on a document this user may see (gold only for reviewers)."""
        claims = Claim.objects.filter(document=document)
        if self.can_review:
            return claims
        claims = claims.filter(is_gold=False)
        if not self.sees_all_claims:
            claims = claims.filter(annotator=self.user)
        return claims

    def project_claims(self) -> QuerySet[Claim]:
        """The claims across the project this user may see: everything for reviewers; for
        annotators the same as on each document (Access.claims) of the documents assigned to
        them: no gold, and in blind projects only their own."""
        claims = Claim.objects.filter(document__project=self.project)
        if self.can_review:
            return claims
        claims = claims.filter(
            Exists(Assignment.objects.filter(document=OuterRef("document"), annotator=self.user)),
            is_gold=False,
        )
        if not self.sees_all_claims:
            claims = claims.filter(annotator=self.user)
        return claims

    def check_document(self, document: Document) -> None:
        if self.can_review:
            return
        if own_assignment(self.user, document) is None:
            raise PermissionDenied("this document is not assigned to you")


_UNKNOWN = object()


def own_assignment(user: AbstractBaseUser, document: Document) -> Assignment | None:
    """The user's assignment on the document, for reading (status, review, skip reason):
    read with the document by document_access, so asking again costs no query. It is a
    partial copy; code that saves an assignment reads it whole."""
    found = getattr(document, "_own_assignment", _UNKNOWN)
    if found is _UNKNOWN:
        found = Assignment.objects.filter(document=document, annotator=user).first()
        document._own_assignment = found  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]


def forget_assignment(document: Document) -> None:
    """After the assignment changed: the next own_assignment() reads it again."""
    document.__dict__.pop("_own_assignment", None)


def _role(user: User, project: Project) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MANAGER
    return (
        Membership.objects.filter(user=user, project=project).values_list("role", flat=True).first()
    )


def project_access(user: User, slug: str) -> Access:
    """The user's access to a project, or Http404 if they are not a member."""
    project = Project.objects.filter(slug=slug).first()
    role = _role(user, project) if project else None
    if project is None or role is None:
        raise Http404("No such project.")
    return Access(user, project, role)  # type: ignore[arg-type]


def access_to(user: User, project: Project) -> Access:
    role = _role(user, project)
    if role is None:
        raise Http404("No such project.")
    return Access(user, project, role)  # type: ignore[arg-type]


def document_access(user: User, document_id: int) -> tuple[Access, Document]:
    """A document and the user's access to its project; 404 if not a member, 403 if not
    assigned to an annotator. One query reads the document, its project, the user's role
    and the user's assignment."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such document.")
    row = (
        Document.objects.select_related("project")
        .annotate(
            member=FilteredRelation(
                "project__memberships", condition=Q(project__memberships__user=user)
            ),
            mine=FilteredRelation("assignments", condition=Q(assignments__annotator=user)),
        )
        .annotate(
            _role=F("member__role"),
            _assignment_id=F("mine__id"),
            _assignment_status=F("mine__status"),
            _assignment_review=F("mine__review"),
            _assignment_skip_reason=F("mine__skip_reason"),
            _assignment_submitted_at=F("mine__submitted_at"),
        )
        .filter(pk=document_id)
        .first()
    )
    if row is None:
        raise Http404("No such document.")
    role = Role.MANAGER if user.is_superuser else row._role
    if role is None:
        raise Http404("No such document.")
    row._own_assignment = None
    if row._assignment_id is not None:
        row._own_assignment = Assignment(
            pk=row._assignment_id,
            document=row,
            annotator=user,
            status=row._assignment_status,
            review=row._assignment_review,
            skip_reason=row._assignment_skip_reason,
            submitted_at=row._assignment_submitted_at,
        )
    access = Access(user, row.project, role)  # type: ignore[arg-type]
    access.check_document(row)
    return access, row


def claim_access(user: User, claim_id: int) -> tuple[Access, Claim]:
    """A claim the user may see, with their access; 404 when it is hidden from them."""
    claim = (
        Claim.objects.select_related("document__project", "speaker_entity", "target_entity")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise Http404("No such claim.")
    access = access_to(user, claim.document.project)
    visible = access.can_review or (
        not claim.is_gold and (claim.annotator_id == user.pk or access.sees_all_claims)
    )
    if not visible:
        raise Http404("No such claim.")
    if claim.annotator_id != user.pk:
        access.check_document(claim.document)
    return access, claim


def suggestion_access(user: User, suggestion_id: int) -> tuple[Access, Suggestion]:
    """A suggestion on a document the user may open; 404 otherwise."""
    suggestion = (
        Suggestion.objects.select_related("document__project", "speaker_entity", "target_entity")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion.")
    access = access_to(user, suggestion.document.project)
    access.check_document(suggestion.document)
    return access, suggestion


def entity_access(user: User, entity_id: int) -> tuple[Access, Entity]:
    """An entity and the user's access to its project; 404 if not a member."""
    entity = Entity.objects.select_related("project").filter(pk=entity_id).first()
    if entity is None:
        raise Http404("No such entity.")
    return access_to(user, entity.project), entity


def projects_for(user: User) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)
