#!/usr/bin/env python3
"""Score the built-in claim detector (annotator.suggest) against known claims.

Sources of truth:
  * synthetic articles from ../shared/bench/make_corpus.py (generated into a temp dir), whose
    records carry the true claim, speaker and target offsets of each quote;
  * claims/1 JSONL (our export; by default tests/data/seed-claims.jsonl, a hand annotation of
    the seed article): the first annotation set of each document, or its gold;
  * brat standoff, e.g. a PolNeAR compartment (``--brat DATA/dev``: ``text/*.txt`` and
    ``attributions/*_ANNOTATOR.ann``, or ``.txt`` and ``.ann`` side by side), read through
    annotator.formats.brat_claims; a document annotated by several people counts once (its
    first annotator by name).

For each: claim-span precision, recall and F1, exact and by overlap (one-to-one matching,
greedy by overlap ratio; discontinuous spans count their fragments' characters), and speaker
accuracy on overlap-matched claims (the detected speaker, or for "he"/"his office" its
antecedent, overlaps the true speaker), split into true speakers that are pronouns and those
that are not. ``--categories`` also scores the detector with its rule categories switched on
one by one (the per-category table). Prints tables, then one JSON object as the last line.

Usage: .venv/bin/python bench/suggest_eval.py [--n 1000] [--seed 0] [--corpus FILE.jsonl]
       .venv/bin/python bench/suggest_eval.py --brat /work/polnear/data/dev --categories
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.formats import brat, brat_claims  # noqa: E402
from annotator.formats.base import Notice  # noqa: E402
from annotator.suggest import RULES, Detected, detect  # noqa: E402
from annotator.suggest.scoring import Pair, Pieces, match  # noqa: E402
from annotator.suggest.scoring import overlap as _overlap  # noqa: E402
from annotator.suggest.tokens import POSSESSIVE_DETERMINERS  # noqa: E402
from annotator.suggest.tokens import PRONOUNS as _SUBJECTS  # noqa: E402

# ../shared beside the checkout, or /work/shared for a worktree under /work/wt.
MAKE_CORPUS = next(
    (
        path / "bench" / "make_corpus.py"
        for path in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
        if (path / "bench" / "make_corpus.py").exists()
    ),
    ROOT.parent / "shared" / "bench" / "make_corpus.py",
)
SEED_CLAIMS = ROOT / "tests" / "data" / "seed-claims.jsonl"

PRONOUNS = _SUBJECTS | POSSESSIVE_DETERMINERS | {"him", "them", "us", "me"}


class Truth:
    """One true claim: the claim's pieces (one, or the fragments), speaker and target spans."""

    __slots__ = ("claim", "pronoun", "speaker", "stance", "target")

    def __init__(
        self,
        claim: Pieces,
        speaker: Pair | None,
        target: Pair | None,
        pronoun: bool = False,
        stance: str | None = None,
    ) -> None:
        self.claim, self.speaker, self.target = claim, speaker, target
        self.pronoun = pronoun  # the true speaker is "he", "they", "his" ...
        self.stance = stance


class Doc:
    __slots__ = ("name", "text", "truths")

    def __init__(self, name: str, text: str, truths: list[Truth]) -> None:
        self.name, self.text, self.truths = name, text, truths


def _span(span) -> Pair | None:
    return None if span is None else (span.start, span.end)


def pieces_of(d: Detected) -> Pieces:
    return tuple((f.start, f.end) for f in d.fragments) or ((d.claim.start, d.claim.end),)


class Score:
    def __init__(self) -> None:
        self.docs = self.truth = self.found = self.chars = 0
        self.exact = self.overlap = 0
        self.speaker = Counter()  # "name"/"pronoun" totals and "name_ok"/"pronoun_ok"
        self.target_total = self.target_ok = 0
        # Stance guesses on matched claims with a true stance: made, right; and claims the
        # detector left without a guess.
        self.stance = Counter()
        self.seconds = 0.0
        self.unmatched: Counter[str] = Counter()  # found claims with no true claim, by text
        self.by_rule: Counter[str] = Counter()  # found claims per rule, and matched ones
        self.missed: list[tuple[str, Truth]] = []  # (document text, truth) not found

    def add(self, truths: list[Truth], found: list[Detected], text: str) -> list[tuple[int, int]]:
        self.docs += 1
        self.chars += len(text)
        self.truth += len(truths)
        self.found += len(found)
        t_spans = [t.claim for t in truths]
        f_spans = [pieces_of(d) for d in found]
        self.exact += len(match(t_spans, f_spans, exact=True))
        pairs = match(t_spans, f_spans, exact=False)
        self.overlap += len(pairs)
        matched = {j for _, j in pairs}
        for j, d in enumerate(found):
            self.by_rule[d.rule] += 1
            if j in matched:
                self.by_rule[d.rule + ":ok"] += 1
            else:
                self.unmatched[text[d.claim.start : d.claim.end][:60]] += 1
        hit = {i for i, _ in pairs}
        self.missed += [(text, t) for i, t in enumerate(truths) if i not in hit]
        for i, j in pairs:
            t, d = truths[i], found[j]
            if t.speaker is not None:
                kind = "pronoun" if t.pronoun else "name"
                self.speaker[kind] += 1
                guesses = [_span(d.speaker), _span(d.speaker_antecedent)]
                self.speaker[kind + "_ok"] += any(g and _overlap(g, t.speaker) for g in guesses)
            if t.stance:
                self.stance["guessed" if d.stance else "unguessed"] += 1
                self.stance["right"] += bool(d.stance) and d.stance == t.stance
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

    def _speaker(self, kind: str | None = None) -> float | None:
        kinds = [kind] if kind else ["name", "pronoun"]
        total = sum(self.speaker[k] for k in kinds)
        return round(sum(self.speaker[k + "_ok"] for k in kinds) / total, 4) if total else None

    def figures(self) -> dict:
        return {
            "documents": self.docs,
            "true_claims": self.truth,
            "found_claims": self.found,
            "exact": self._prf(self.exact, self.truth, self.found),
            "overlap": self._prf(self.overlap, self.truth, self.found),
            "speaker_accuracy": self._speaker(),
            "speaker_name": self._speaker("name"),
            "speaker_pronoun": self._speaker("pronoun"),
            "target_accuracy": round(self.target_ok / self.target_total, 4)
            if self.target_total
            else None,
            "stance_guesses": self.stance["guessed"],
            "stance_guesses_right": self.stance["right"],
            "stance_not_guessed": self.stance["unguessed"],
            "docs_per_second": round(self.docs / self.seconds, 1) if self.seconds else None,
            "chars_per_second": round(self.chars / self.seconds) if self.seconds else None,
            "by_rule": {
                rule: {"found": n, "matched": self.by_rule[rule + ":ok"]}
                for rule, n in sorted(self.by_rule.items())
                if not rule.endswith(":ok")
            },
            # What the false positives are: the most frequent unmatched claim texts.
            "top_unmatched": [[n, t] for t, n in self.unmatched.most_common(3)],
        }


def score_docs(docs: Iterable[Doc], rules: Iterable[str] = RULES, repeat: int = 1) -> Score:
    """Score the detector on documents; the time is the best of ``repeat`` runs per document."""
    rules = frozenset(rules)
    score = Score()
    for doc in docs:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.process_time()
            found = detect(doc.text, None, rules=rules)
            best = min(best, time.process_time() - t0)
        score.seconds += best
        score.add(doc.truths, found, doc.text)
    return score


def corpus_docs(lines: Iterable[str]) -> Iterator[Doc]:
    """make_corpus.py records."""
    for n, line in enumerate(lines):
        record = json.loads(line)
        truths = [
            Truth(((q["claim"][0], q["claim"][1]),), tuple(q["speaker"]), tuple(q["target"]))
            for q in record["quotes"]
        ]
        yield Doc(str(n), record["text"], truths)


def _pair(span: dict | None) -> Pair | None:
    if not span or span.get("start") is None:
        return None
    return (span["start"], span["end"])


def _truth(claim: dict, text: str) -> Truth | None:
    span = claim.get("claim")
    if not span or span.get("start") is None:
        return None
    pieces = tuple((f["start"], f["end"]) for f in span.get("fragments") or ()) or (
        (span["start"], span["end"]),
    )
    speaker = _pair(claim.get("speaker"))
    pronoun = speaker is not None and text[speaker[0] : speaker[1]].lower() in PRONOUNS
    return Truth(pieces, speaker, _pair(claim.get("target")), pronoun, claim.get("stance") or None)


def claims_docs(path: Path) -> Iterator[Doc]:
    """claims/1 JSONL: the gold claims of each document, else its first annotation set."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        sets = record.get("annotations") or []
        claims = record.get("gold") or (sets[0]["claims"] if sets else [])
        if isinstance(claims, dict):
            claims = claims.get("claims", [])
        truths = [t for c in claims if (t := _truth(c, record["text"])) is not None]
        yield Doc(record["id"], record["text"], truths)


def brat_docs(folder: Path) -> Iterator[Doc]:
    """brat standoff: PolNeAR's ``text/`` + ``attributions/`` or ``.txt``/``.ann`` pairs."""
    labels = brat_claims.label_map()
    texts = folder / "text" if (folder / "text").is_dir() else folder
    anns = folder / "attributions" if (folder / "attributions").is_dir() else folder
    chosen: dict[str, Path] = {}
    for ann in sorted(anns.glob("*.ann")):
        if (texts / f"{ann.stem}.txt").exists():
            chosen.setdefault(ann.stem, ann)
        else:  # PolNeAR: NAME_ANNOTATOR.ann; the first annotator by name
            chosen.setdefault(ann.stem.rpartition("_")[0], ann)
    for name, ann in sorted(chosen.items()):
        text = (texts / f"{name}.txt").read_text(encoding="utf-8")
        standoff = brat.parse(ann.read_text(encoding="utf-8"), text)
        notices: list[Notice] = []
        claims, errors, _extras = brat_claims.read_set(
            standoff, text, labels, file=str(ann), document=name, annotator="", notices=notices
        )
        if errors:
            raise SystemExit(f"{ann}: {errors[0]}")
        yield Doc(name, text, [t for c in claims if (t := _truth(c, text)) is not None])


def show_seed(docs: list[Doc]) -> None:
    for doc in docs:
        found = detect(doc.text)
        pairs = dict(match([t.claim for t in doc.truths], [pieces_of(d) for d in found], False))
        for i, t in enumerate(doc.truths):
            mark = "found " if i in pairs else "MISSED"
            print(f"  {mark} {doc.text[t.claim[0][0] : t.claim[-1][1]][:70]!r}")
        for j in sorted(set(range(len(found))) - set(pairs.values())):
            d = found[j].claim
            print(f"  extra      {doc.text[d.start : d.end][:70]!r}")


def generate(n: int, seed: int, out: Path) -> None:
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "--n", str(n), "--seed", str(seed), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(name: str, f: dict) -> str:
    e, o = f["exact"], f["overlap"]
    return (
        f"{name:<8} {f['documents']:>5} {f['true_claims']:>6} {f['found_claims']:>6}  "
        f"{e['precision']:.3f} {e['recall']:.3f} {e['f1']:.3f}  "
        f"{o['precision']:.3f} {o['recall']:.3f} {o['f1']:.3f}  "
        f"{_num(f['speaker_accuracy']):>7} {_num(f['target_accuracy']):>7}"
    )


def category_table(docs: list[Doc], repeat: int) -> list[dict]:
    """The detector with its rule categories switched on one at a time, in order."""
    rows = []
    on: list[str] = []
    for rule in ("base", *RULES[1:]):
        if rule != "base":
            on.append(rule)
        f = score_docs(docs, ["base", *on], repeat).figures()
        own = f["by_rule"].get(rule, {"found": 0, "matched": 0})
        rows.append({"rule": rule, **f, "own": own})
    print(
        f"{'+ rule':<12} {'found':>6} {'own P':>6}  {'P':>5} {'R':>5} {'F1':>5}  "
        f"{'spk':>5} {'name':>5} {'pron':>5} {'chars/s':>9}"
    )
    for row in rows:
        o, own = row["overlap"], row["own"]
        own_p = own["matched"] / own["found"] if own["found"] else None
        print(
            f"{row['rule']:<12} {own['found']:>6} {_num(own_p):>6}  "
            f"{o['precision']:.3f} {o['recall']:.3f} {o['f1']:.3f}  "
            f"{_num(row['speaker_accuracy']):>5} {_num(row['speaker_name']):>5} "
            f"{_num(row['speaker_pronoun']):>5} {row['chars_per_second'] or 0:>9,}"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="synthetic articles to generate")
    ap.add_argument("--seed", type=int, default=0, help="seed for make_corpus.py")
    ap.add_argument("--corpus", type=Path, help="score this make_corpus.py JSONL instead")
    ap.add_argument("--seed-claims", type=Path, default=SEED_CLAIMS, help="claims/1 JSONL")
    ap.add_argument("--brat", type=Path, help="score a brat folder (a PolNeAR compartment) only")
    ap.add_argument("--categories", action="store_true", help="per rule category table")
    ap.add_argument("--repeat", type=int, default=3, help="timing: best of N runs per document")
    ap.add_argument("--show", action="store_true", help="list found/missed seed claims")
    args = ap.parse_args()

    results: dict = {}
    sets: dict[str, list[Doc]] = {}
    if args.brat:
        sets["brat"] = list(brat_docs(args.brat))
    else:
        results.update(n=args.n, seed=args.seed)
        if args.corpus:
            with args.corpus.open(encoding="utf-8") as f:
                sets["corpus"] = list(corpus_docs(f))
        elif MAKE_CORPUS.exists():
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "corpus.jsonl"
                generate(args.n, args.seed, out)
                with out.open(encoding="utf-8") as f:
                    sets["corpus"] = list(corpus_docs(f))
        else:
            print(f"note: {MAKE_CORPUS} not found; scoring the seed article only", file=sys.stderr)
        if args.seed_claims.exists():
            sets["seed"] = list(claims_docs(args.seed_claims))
            if args.show:
                show_seed(sets["seed"])

    for key, docs in sets.items():
        results[key] = score_docs(docs, RULES, args.repeat).figures()
    print(f"{'':<8} {'docs':>5} {'true':>6} {'found':>6}  {'exact P/R/F1':<17}  "
          f"{'overlap P/R/F1':<17}  {'speaker':>7} {'target':>7}")  # fmt: skip
    for key, figures in results.items():
        if isinstance(figures, dict):
            print(_row(key, figures))
            print(
                f"{'':<8} speaker on a name {_num(figures['speaker_name'])}, on a pronoun "
                f"{_num(figures['speaker_pronoun'])}; {figures['chars_per_second'] or 0:,} chars/s"
            )
            if figures["stance_guesses"] or figures["stance_not_guessed"]:
                print(
                    f"{'':<8} stance guessed on {figures['stance_guesses']} matched claims, right "
                    f"on {figures['stance_guesses_right']}; no guess on "
                    f"{figures['stance_not_guessed']}"
                )
    for key, figures in results.items():
        if isinstance(figures, dict):
            for n, claim in figures["top_unmatched"]:
                print(f"{key} unmatched x{n}: {claim!r}")
    if args.categories:
        for key, docs in sets.items():
            print(f"\nper rule category ({key}, cumulative; own P = that rule's claims matched)")
            rows = category_table(docs, args.repeat)
            results[f"{key}_categories"] = [
                {k: r[k] for k in ("rule", "overlap", "speaker_name", "speaker_pronoun",
                                   "chars_per_second", "own")}
                for r in rows
            ]  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
