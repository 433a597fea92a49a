"""A small synthetic corpus for the trained suggester: a team whose guidelines count an
unusual attribution ("In Nora Vance's reading, the dam will hold.") beside ordinary ones
("Omar Reyes said that …", quotes split by the cue). The rules know only the ordinary ones,
so a suggester trained on this team's claims should beat them on held-out documents."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

NAMES = [
    "Nora Vance", "Omar Reyes", "Ines Kowalski", "Tariq Haddad", "Lena Park", "Felix Moreau",
    "Aisha Bello", "Jonas Berg", "Mara Silva", "Pavel Novak", "Yuki Tanaka", "Zoe Adler",
]  # fmt: skip
SUBJECTS = [
    "the dam", "the new bridge", "the harbour plan", "the tram line", "the budget",
    "the school reform", "the water tax", "the night bus", "the museum", "the rail link",
]  # fmt: skip
PREDICATES = [
    "will hold through the winter", "is far too expensive", "will open before the summer",
    "cannot be finished on time", "has already failed", "needs a second vote",
    "will cost more than planned", "was badly designed", "helps every household",
]  # fmt: skip
FILLERS = [
    "The council met on a rainy Tuesday.", "Rain fell across the valley for most of the week.",
    "About two hundred people came to the hall.", "The meeting lasted nearly three hours.",
    "Local shops closed early that day.", "Tickets for the event sold out quickly.",
]  # fmt: skip


@dataclass
class Doc:
    text: str = ""
    # (claim pieces, speaker (start, end), cue (start, end))
    claims: list[tuple[list[tuple[int, int]], tuple[int, int], tuple[int, int]]] = field(
        default_factory=list
    )

    def add(self, piece: str) -> int:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += piece
        return start


def _sentence(doc: Doc, rng: random.Random) -> None:
    name = rng.choice(NAMES)
    subject, predicate = rng.choice(SUBJECTS), rng.choice(PREDICATES)
    claim = f"{subject} {predicate}"
    style = rng.randrange(4)
    if style == 0:  # the team's own kind: "In X's reading, CLAIM."
        at = doc.add(f"In {name}'s reading, {claim}.")
        cue = (at + 3 + len(name) + 3, at + 3 + len(name) + 3 + len("reading"))
        start = at + len(f"In {name}'s reading, ")
        doc.claims.append(([(start, start + len(claim))], (at + 3, at + 3 + len(name)), cue))
    elif style == 1:  # "X said that CLAIM."
        at = doc.add(f"{name} said that {claim}.")
        start = at + len(f"{name} said that ")
        cue = (at + len(name) + 1, at + len(name) + 5)
        doc.claims.append(([(start, start + len(claim))], (at, at + len(name)), cue))
    elif style == 2:  # a quote split by its cue: one claim of two fragments
        head, second = subject.capitalize(), predicate
        at = doc.add(f"“{head},” {name} said, “{second}.”")
        one = (at + 1, at + 1 + len(head))
        cue_at = at + len(f"“{head},” {name} ")
        two_at = cue_at + len("said, “")
        doc.claims.append(
            ([one, (two_at, two_at + len(second))], (cue_at - len(name) - 1, cue_at - 1),
             (cue_at, cue_at + 4))
        )  # fmt: skip
    else:
        doc.add(rng.choice(FILLERS))


def documents(n: int = 40, seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        doc = Doc()
        for _ in range(rng.randint(4, 7)):
            _sentence(doc, rng)
        docs.append(doc)
    return docs


def load_into(project, adjudicator, n: int = 40) -> list:
    """The corpus as documents of ``project`` with gold claims by ``adjudicator``."""
    from annotator.models import Claim, Document

    made = []
    for i, doc in enumerate(documents(n)):
        document = Document.objects.create(project=project, external_id=f"t{i}", text=doc.text)
        Claim.objects.bulk_create(
            Claim(
                document=document,
                annotator=adjudicator,
                is_gold=True,
                claim_start=pieces[0][0],
                claim_end=pieces[-1][1],
                fragments={"claim": [list(p) for p in pieces]} if len(pieces) > 1 else {},
                speaker_start=speaker[0],
                speaker_end=speaker[1],
                cue_start=cue[0],
                cue_end=cue[1],
            )
            for pieces, speaker, cue in doc.claims
        )
        made.append(document)
    return made
