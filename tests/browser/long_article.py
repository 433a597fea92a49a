"""A long article with 200 claims (nested and overlapping), as bench/long_document.py makes."""

from __future__ import annotations

import random

from annotator.models import Assignment, Claim, Document, Entity, Project

WORDS = ["the", "minister", "said", "that", "reform", "will", "cost", "ordinary", "households"]


def long_article(project: Project, user, *, length: int = 20_000, claims: int = 200) -> Document:
    rng = random.Random(0)
    text = ""
    while len(text) < length:
        text += " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
        text += ". " if rng.random() < 0.8 else ".\n"
    text = text[:length]
    document = Document.objects.create(project=project, external_id="long", title="Long", text=text)
    Assignment.objects.create(document=document, annotator=user, status="in_progress")
    speaker, _ = Entity.objects.get_or_create(
        project=project, name="The Minister", defaults={"aliases": ["minister"]}
    )
    rows = []
    for _ in range(claims):
        start = rng.randrange(40, length - 200)
        end = start + rng.randint(20, 180)
        rows.append(
            Claim(
                document=document,
                annotator=user,
                claim_start=start,
                claim_end=end,
                speaker_start=start - 30,
                speaker_end=start - 18,
                speaker_entity=speaker,
                cue_start=start - 12,
                cue_end=start - 8,
                target_start=start,
                target_end=start + 10,
                stance="oppose",
            )
        )
    Claim.objects.bulk_create(rows)
    return document
