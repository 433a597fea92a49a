# Run by bench/run.py through `manage.py shell -c`: a 20,000-character article with 200 claims
# of the user "bench" in project "bench" (overlapping and nested spans, entities); prints its id.
import random

from django.contrib.auth import get_user_model

from annotator.models import Assignment, Claim, Document, Entity, Project

rng = random.Random(0)
project = Project.objects.get(slug="bench")
user = get_user_model().objects.get(username="bench")
words = ["the", "minister", "said", "that", "reform", "will", "cost", "ordinary", "households"]
text = ""
while len(text) < 20_000:
    text += " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + ". "
text = text[:20_000]
document = Document.objects.create(
    project=project, external_id="long-article", title="Long", text=text
)
Assignment.objects.create(document=document, annotator=user, status="in_progress")
speaker = Entity.objects.create(project=project, name="The Minister", aliases=["minister"])
claims = []
for _ in range(200):
    start = rng.randrange(0, 19_800)
    end = start + rng.randint(20, 180)
    claims.append(
        Claim(
            document=document,
            annotator=user,
            claim_start=start,
            claim_end=end,
            speaker_start=max(0, start - 30),
            speaker_end=max(0, start - 30) + 12,
            speaker_entity=speaker,
            cue_start=max(0, start - 12),
            cue_end=max(0, start - 12) + 4,
            target_start=start,
            target_end=start + 10,
            stance="oppose",
        )
    )
Claim.objects.bulk_create(claims)
print(document.pk)
