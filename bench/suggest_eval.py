#!/usr/bin/env python3
"""Score the built-in claim detector (annotator.suggest) against known claims.

Two sources of truth:
  * synthetic articles from ../shared/bench/make_corpus.py (generated into a temp dir), whose
    records carry the true claim, speaker and target offsets of each quote;
  * tests/data/seed-claims.jsonl, a hand annotation of the seed article (claims/1 format).

For each: claim-span precision, recall and F1, exact and by overlap (one-to-one matching,
greedy by overlap ratio), and speaker accuracy on overlap-matched claims (the detected speaker,
or for "he"/"his office" its antecedent, overlaps the true speaker). Prints a table, then one
JSON object as the last line.

Usage: .venv/bin/python bench/suggest_eval.py [--n 1000] [--seed 0] [--corpus FILE.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.suggest import Detected, detect  # noqa: E402

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
SEED_CLAIMS = ROOT / "tests" / "data" / "seed-claims.jsonl"

Pair = tuple[int, int]


class Truth:
    """One true claim: spans as (start, end) or None."""

    __slots__ = ("claim", "speaker", "target")

    def __init__(self, claim: Pair, speaker: Pair | None, target: Pair | None) -> None:
        self.claim, self.speaker, self.target = claim, speaker, target


def _overlap(a: Pair, b: Pair) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _span(span) -> Pair | None:
    return None if span is None else (span.start, span.end)


def match(truth: list[Pair], found: list[Pair], exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (truth index, found index); by overlap ratio, best first."""
    candidates = []
    for i, t in enumerate(truth):
        for j, f in enumerate(found):
            if exact:
                if t == f:
                    candidates.append((1.0, i, j))
            elif (shared := _overlap(t, f)) > 0:
                union = max(t[1], f[1]) - min(t[0], f[0])
                candidates.append((shared / union, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_t, used_f, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return pairs


class Score:
    def __init__(self) -> None:
        self.docs = self.truth = self.found = 0
        self.exact = self.overlap = 0
        self.speaker_total = self.speaker_ok = 0
        self.target_total = self.target_ok = 0
        self.seconds = 0.0
        self.unmatched: Counter[str] = Counter()  # found claims with no true claim, by text

    def add(self, truths: list[Truth], found: list[Detected], text: str) -> list[tuple[int, int]]:
        self.docs += 1
        self.truth += len(truths)
        self.found += len(found)
        t_spans = [t.claim for t in truths]
        f_spans = [(d.claim.start, d.claim.end) for d in found]
        self.exact += len(match(t_spans, f_spans, exact=True))
        pairs = match(t_spans, f_spans, exact=False)
        self.overlap += len(pairs)
        matched = {j for _, j in pairs}
        for j, d in enumerate(found):
            if j not in matched:
                self.unmatched[text[d.claim.start : d.claim.end][:60]] += 1
        for i, j in pairs:
            t, d = truths[i], found[j]
            if t.speaker is not None:
                self.speaker_total += 1
                guesses = [_span(d.speaker), _span(d.speaker_antecedent)]
                self.speaker_ok += any(g and _overlap(g, t.speaker) for g in guesses)
            if t.target is not None:
                self.target_total += 1
                self.target_ok += bool(d.target and _overlap(_span(d.target), t.target))
        return pairs

    @staticmethod
    def _prf(hits: int, truth: int, found: int) -> dict[str, float]:
        p = hits / found if found else 0.0
        r = hits / truth if truth else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def figures(self) -> dict:
        return {
            "documents": self.docs,
            "true_claims": self.truth,
            "found_claims": self.found,
            "exact": self._prf(self.exact, self.truth, self.found),
            "overlap": self._prf(self.overlap, self.truth, self.found),
            "speaker_accuracy": round(self.speaker_ok / self.speaker_total, 4)
            if self.speaker_total
            else None,
            "target_accuracy": round(self.target_ok / self.target_total, 4)
            if self.target_total
            else None,
            "docs_per_second": round(self.docs / self.seconds, 1) if self.seconds else None,
            # What the false positives are: the most frequent unmatched claim texts.
            "top_unmatched": [[n, t] for t, n in self.unmatched.most_common(3)],
        }


def _timed_detect(score: Score, text: str, entities=None) -> list[Detected]:
    t0 = time.perf_counter()
    found = detect(text, entities)
    score.seconds += time.perf_counter() - t0
    return found


def score_corpus(lines: Iterable[str]) -> Score:
    score = Score()
    for line in lines:
        record = json.loads(line)
        truths = [
            Truth(tuple(q["claim"]), tuple(q["speaker"]), tuple(q["target"]))
            for q in record["quotes"]
        ]
        score.add(truths, _timed_detect(score, record["text"]), record["text"])
    return score


def _pair(span: dict | None) -> Pair | None:
    if not span or span.get("start") is None:
        return None
    return (span["start"], span["end"])


def score_seed(path: Path, show: bool = False) -> Score:
    score = Score()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        claims = record["annotations"][0]["claims"]
        truths = [Truth(_pair(c["claim"]), _pair(c["speaker"]), _pair(c["target"])) for c in claims]
        found = _timed_detect(score, record["text"])
        pairs = dict(score.add(truths, found, record["text"]))
        if show:
            text = record["text"]
            for i, c in enumerate(claims):
                j = pairs.get(i)
                mark = "found " if j is not None else "MISSED"
                print(f"  {mark} #{c['id']:<2} {c['claim']['text'][:70]!r}")
            for j in sorted(set(range(len(found))) - set(pairs.values())):
                d = found[j].claim
                print(f"  extra      {text[d.start : d.end][:70]!r}")
    return score


def generate(n: int, seed: int, out: Path) -> None:
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "--n", str(n), "--seed", str(seed), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _row(name: str, f: dict) -> str:
    e, o = f["exact"], f["overlap"]
    spk = "-" if f["speaker_accuracy"] is None else f"{f['speaker_accuracy']:.3f}"
    tgt = "-" if f["target_accuracy"] is None else f"{f['target_accuracy']:.3f}"
    return (
        f"{name:<8} {f['documents']:>5} {f['true_claims']:>6} {f['found_claims']:>6}  "
        f"{e['precision']:.3f} {e['recall']:.3f} {e['f1']:.3f}  "
        f"{o['precision']:.3f} {o['recall']:.3f} {o['f1']:.3f}  {spk:>7} {tgt:>7}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="synthetic articles to generate")
    ap.add_argument("--seed", type=int, default=0, help="seed for make_corpus.py")
    ap.add_argument("--corpus", type=Path, help="score this make_corpus.py JSONL instead")
    ap.add_argument("--seed-claims", type=Path, default=SEED_CLAIMS)
    ap.add_argument("--show", action="store_true", help="list found/missed seed claims")
    args = ap.parse_args()

    results: dict = {"n": args.n, "seed": args.seed}
    if args.corpus:
        with args.corpus.open(encoding="utf-8") as f:
            results["corpus"] = score_corpus(f).figures()
    elif MAKE_CORPUS.exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "corpus.jsonl"
            generate(args.n, args.seed, out)
            with out.open(encoding="utf-8") as f:
                results["corpus"] = score_corpus(f).figures()
    else:
        print(f"note: {MAKE_CORPUS} not found; scoring the seed article only", file=sys.stderr)
    if args.seed_claims.exists():
        results["seed_article"] = score_seed(args.seed_claims, show=args.show).figures()

    print(f"{'':<8} {'docs':>5} {'true':>6} {'found':>6}  {'exact P/R/F1':<17}  "
          f"{'overlap P/R/F1':<17}  {'speaker':>7} {'target':>7}")  # fmt: skip
    for key, name in (("corpus", "corpus"), ("seed_article", "seed")):
        if key in results:
            print(_row(name, results[key]))
    for key in ("corpus", "seed_article"):
        for n, claim in results.get(key, {}).get("top_unmatched", []):
            print(f"{key} unmatched x{n}: {claim!r}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
