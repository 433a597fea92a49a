#!/usr/bin/env python3
"""What the rule detector misses on a brat folder (a PolNeAR compartment), by category, and
how often candidate cue words are cues: the analysis behind the rule categories.

Misses (true claims no suggestion matched) fall in three groups:
  * merge/split: a suggestion overlaps the claim but was matched to another true claim;
  * known cue: the claim's cue contains a word or phrase of the lexicon, but the rules did
    not make the claim (structure beyond them);
  * unknown cue: the cue is outside the lexicon.
Listed with the cue's words by frequency, and ``--show N`` examples per group.

``--words w1,w2`` prints, for each word, how often it occurs in the texts, how often inside a
true cue, and that share (the word's precision as a cue) — how lexicon entries were chosen.
``--false`` lists false positives by rule. Use on train and dev, never on test.

Usage: .venv/bin/python bench/suggest_misses.py /work/polnear/data/train [--show 20]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.formats import brat  # noqa: E402
from annotator.suggest import detect  # noqa: E402
from annotator.suggest.lexicon import find_cues  # noqa: E402
from annotator.suggest.scoring import match  # noqa: E402


def _documents(folder: Path):
    """(name, text, [(claim pieces, cue pieces, source pieces)]) per document, first annotator."""
    texts = folder / "text" if (folder / "text").is_dir() else folder
    anns = folder / "attributions" if (folder / "attributions").is_dir() else folder
    chosen: dict[str, Path] = {}
    for ann in sorted(anns.glob("*.ann")):
        key = ann.stem if (texts / f"{ann.stem}.txt").exists() else ann.stem.rpartition("_")[0]
        chosen.setdefault(key, ann)
    for name, ann in sorted(chosen.items()):
        text = (texts / f"{name}.txt").read_text(encoding="utf-8")
        standoff = brat.parse(ann.read_text(encoding="utf-8"), text)
        spans = standoff.textbounds
        claims = []
        for event in standoff.events.values():
            roles: dict[str, list] = defaultdict(list)
            for role, ref in event.arguments:
                if ref in spans:
                    roles[re.sub(r"\d+$", "", role)] += [(f[0], f[1]) for f in spans[ref].fragments]
            if roles["Content"]:
                claims.append(
                    (tuple(sorted(roles["Content"])), roles["Cue"], roles["Source"], event.id)
                )
        yield name, text, claims


def _context(text: str, pieces, width: int = 100) -> str:
    a, b = pieces[0][0], pieces[-1][1]
    line = text[max(0, a - width) : a] + "[[" + text[a:b] + "]]" + text[b : b + 40]
    return line.replace("\n", " ⏎ ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--show", type=int, default=0, help="examples per group")
    ap.add_argument("--group", help="show examples of this group only")
    ap.add_argument("--cue", help="show only misses whose cue contains this word")
    ap.add_argument("--words", help="comma-separated words: share of occurrences inside cues")
    ap.add_argument("--false", action="store_true", help="list false positives by rule")
    ap.add_argument("--speakers", action="store_true", help="list wrong speakers")
    ap.add_argument(
        "--by-cue", action="store_true", help="suggestions and their share matched, by cue word"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=40, help="most frequent whole cues per group")
    args = ap.parse_args()

    groups: dict[str, list] = defaultdict(list)
    cue_words: dict[str, Counter] = defaultdict(Counter)
    in_cue: Counter = Counter()
    occurrences: Counter = Counter()
    wanted = [w.strip().lower() for w in args.words.split(",")] if args.words else []
    false: dict[str, list] = defaultdict(list)
    wrong_speakers: list = []
    by_cue: Counter = Counter()
    by_cue_ok: Counter = Counter()
    total = 0
    for _name, text, claims in _documents(args.folder):
        total += len(claims)
        found = detect(text)
        f_pieces = [
            tuple((f.start, f.end) for f in d.fragments) or ((d.claim.start, d.claim.end),)
            for d in found
        ]
        pairs = match([c[0] for c in claims], f_pieces)
        hit = {i for i, _ in pairs}
        used = {j for _, j in pairs}
        for j, d in enumerate(found):
            if j not in used:
                false[d.rule].append(_context(text, f_pieces[j]))
            key = (d.rule, text[d.cue.start : d.cue.end].lower() if d.cue else "-")
            by_cue[key] += 1
            by_cue_ok[key] += j in used
        for i, j in pairs:
            claim, _cue, source, _ = claims[i]
            d = found[j]
            if source:
                guesses = [g for g in (d.speaker, d.speaker_antecedent) if g]
                ok = any(g.start < s[1] and s[0] < g.end for g in guesses for s in source)
                if not ok:
                    said = text[d.speaker.start : d.speaker.end] if d.speaker else None
                    true = " ".join(text[a:b] for a, b in source)
                    wrong_speakers.append(
                        f"[{d.rule}] true={true!r} ours={said!r}: {_context(text, claim, 80)}"
                    )
        for i, (claim, cue, _source, _) in enumerate(claims):
            if i in hit:
                continue
            overlapping = any(f[0][0] < claim[-1][1] and claim[0][0] < f[-1][1] for f in f_pieces)
            cue_text = " ".join(text[a:b] for a, b in cue).lower()
            known = any(find_cues(text, a, b) for a, b in cue)
            group = "merge/split" if overlapping else "known cue" if known else "unknown cue"
            if not cue:
                group = "no cue"
            groups[group].append((cue_text, _context(text, claim)))
            for word in re.findall(r"[\w’']+", cue_text):
                cue_words[group][word] += 1
        if wanted:
            lowered = text.lower()
            cue_chars = set()
            for _, cue, _, _ in claims:
                for a, b in cue:
                    cue_chars.update(range(a, b))
            for word in wanted:
                for m in re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", lowered):
                    occurrences[word] += 1
                    in_cue[word] += m.start() in cue_chars

    missed = sum(len(v) for v in groups.values())
    print(f"{total} true claims, {missed} missed")
    rng = random.Random(args.seed)
    for group, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {group}: {len(items)}")
        print("   cue words:", ", ".join(f"{w} {n}" for w, n in cue_words[group].most_common(40)))
        cues = Counter(c for c, _ in items)
        print("   cues:", ", ".join(f"{c!r} {n}" for c, n in cues.most_common(args.top)))
        if args.show and (not args.group or args.group == group):
            chosen = [x for x in items if not args.cue or args.cue in x[0].split()]
            for cue_text, context in rng.sample(chosen, min(args.show, len(chosen))):
                print(f"  <{cue_text}> {context}")
    if wanted:
        print("\nword: occurrences, inside a true cue, share")
        for word in wanted:
            n, k = occurrences[word], in_cue[word]
            print(f"  {word:<20} {n:>5} {k:>5} {k / n if n else 0:.2f}")
    if args.false:
        for rule, items in sorted(false.items(), key=lambda kv: -len(kv[1])):
            print(f"\n== false positives of {rule}: {len(items)}")
            for context in rng.sample(items, min(args.show or 10, len(items))):
                print("  ", context)
    if args.by_cue:
        print("\nsuggestions by rule and cue: found, matched, share (worst first)")
        for key, n in sorted(by_cue.items(), key=lambda kv: (by_cue_ok[kv[0]] / kv[1], -kv[1])):
            if n >= 3:
                print(
                    f"  {key[0]:<9} {key[1]:<24} {n:>5} {by_cue_ok[key]:>5} "
                    f"{by_cue_ok[key] / n:.2f}"
                )
    if args.speakers:
        print(f"\n== wrong speakers: {len(wrong_speakers)}")
        for line in rng.sample(wrong_speakers, min(args.show or 20, len(wrong_speakers))):
            print("  ", line)


if __name__ == "__main__":
    main()
