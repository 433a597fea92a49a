"""The demo: project syria-2024 with the seed article, four users and one example claim."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.models import Assignment, Claim, Document, Entity, Membership, Project, Role
from annotator.models.workflow import AssignmentStatus
from annotator.services.projects import create_project
from annotator.services.suggestions import suggest_documents

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed-article.txt"
SLUG = "syria-2024"
DOCUMENT_ID = "gn-2024-12-01-assad"
USERS = {  # username -> (password, role in the project; None = superuser)
    "admin": ("admin-demo", None),
    "mia": ("mia-demo", Role.MANAGER),
    "rita": ("rita-demo", Role.REVIEWER),
    "alice": ("alice-demo", Role.ANNOTATOR),
    "bob": ("bob-demo", Role.ANNOTATOR),
}
# Staff: rita reviews in the Django admin too, which shows her only her projects.
STAFF = {"rita"}
GUIDELINES = """\
Mark every claim: something a source asserts, in direct or indirect speech.

Claim: the asserted content only, without the quotation marks.
Speaker: who makes the claim, as named in the text; link the entity.
Cue: the reporting verb or phrase ("said", "told", "according to").
Stance: the speaker's stance towards the target: support, oppose or neutral.
Target: whom or what the claim is about; link the entity where there is one.
"""
ENTITIES = {
    "United States": ["The United States", "US", "Washington"],
    "Bashar al-Assad": ["Al Assad", "Bashar Al Assad", "Assad"],
}


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


@transaction.atomic
def load_demo() -> tuple[Project, dict[str, str]]:
    """Create (or refresh) the demo; returns the project and the users' passwords."""
    User = get_user_model()
    users = {}
    for username, (password, role) in USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.is_superuser = role is None
        user.is_staff = role is None or username in STAFF
        user.is_active = True
        user.set_password(password)
        user.save()
        users[username] = user

    project = Project.objects.filter(slug=SLUG).first() or create_project(
        SLUG, name="Syria, December 2024", scheme={"overlap": 2}, guidelines=GUIDELINES
    )
    for username, (_, role) in USERS.items():
        if role is not None:
            Membership.objects.get_or_create(
                project=project, user=users[username], defaults={"role": role}
            )
    entities = {}
    for name, aliases in ENTITIES.items():
        entities[name], _ = Entity.objects.get_or_create(
            project=project, name=name, defaults={"aliases": aliases}
        )

    text = SEED.read_text(encoding="utf-8")
    document, _ = Document.objects.get_or_create(
        project=project,
        external_id=DOCUMENT_ID,
        defaults={"title": text.split("\n", 1)[0], "text": text, "published": "2024-12-01"},
    )
    for username in ("alice", "bob"):
        Assignment.objects.get_or_create(document=document, annotator=users[username])

    claim_start, claim_end = _span(text, "lost control of Aleppo")
    if not Claim.objects.filter(document=document, claim_start=claim_start).exists():
        sentence = text.index("The United States, meanwhile")
        speaker = _span(text, "The United States", sentence)
        cue = _span(text, "said", sentence)
        target = _span(text, "Al Assad", sentence)
        Claim.objects.create(
            document=document,
            annotator=users["alice"],
            claim_start=claim_start,
            claim_end=claim_end,
            speaker_start=speaker[0],
            speaker_end=speaker[1],
            speaker_entity=entities["United States"],
            cue_start=cue[0],
            cue_end=cue[1],
            stance="oppose",
            target_start=target[0],
            target_end=target[1],
            target_entity=entities["Bashar al-Assad"],
            attributes={"quote_type": "direct"},
        )
        Assignment.objects.filter(document=document, annotator=users["alice"]).update(
            status=AssignmentStatus.IN_PROGRESS
        )
    # The built-in detector's suggestions, so annotators can try a and x straight away.
    suggest_documents(project, [document.pk])
    return project, {name: password for name, (password, _) in USERS.items()}
