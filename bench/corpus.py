#!/usr/bin/env python
"""Our own generator of news-like articles, used when ../shared/bench/make_corpus.py is absent.

Same record shape: {"doc_id", "title", "text", "quotes": [{"claim": [s, e], "speaker": [s, e],
"target": [s, e], "stance"}]}, ~3,000 characters per article, deterministic in (n, seed).
"""

import argparse
import json
import random

PEOPLE = ["Ana Ruiz", "Tom Berg", "Lina Haddad", "Kofi Mensah", "Mei Lin", "Ivan Petrov"]
TOPICS = ["the tax plan", "the rail link", "the housing bill", "the port deal", "the wage rise"]
CLAIMS = {
    "support": ["will create jobs across the region", "is the right thing to do"],
    "oppose": ["will cost households far more than it saves", "was rushed through"],
    "neutral": ["will be reviewed in the spring", "needs a closer look"],
}
FILLER = [
    "Officials said details would follow later this month.",
    "The debate has divided both main parties.",
    "A vote is expected before the end of the session.",
]


def article(rng: random.Random, index: int) -> dict:
    parts: list[str] = []
    quotes = []
    length = 0

    def add(piece: str) -> int:
        nonlocal length
        start = length
        parts.append(piece)
        length += len(piece)
        return start

    topic = rng.choice(TOPICS)
    while length < 2940:
        if rng.random() < 0.45:
            stance = rng.choice(list(CLAIMS))
            claim = f"{topic[0].upper()}{topic[1:]} {rng.choice(CLAIMS[stance])}"
            add("\u201c")
            c0 = add(claim)
            add(",\u201d ")
            speaker = rng.choice(PEOPLE)
            s0 = add(speaker)
            add(" said. ")
            quotes.append(
                {
                    "claim": [c0, c0 + len(claim)],
                    "speaker": [s0, s0 + len(speaker)],
                    "target": [c0, c0 + len(topic)],
                    "stance": stance,
                }
            )
        else:
            add(rng.choice(FILLER) + " ")
    text = "".join(parts).rstrip()
    return {
        "doc_id": f"art-{index:06d}",
        "title": f"Debate over {topic}",
        "text": text,
        "quotes": quotes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=11000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.n):
            out.write(json.dumps(article(rng, i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
