#!/usr/bin/env python3
"""Train the trained suggester on a brat corpus and score it (and the rules) on another.

    .venv/bin/python bench/train_eval.py /work/polnear/data/train /work/polnear/data/dev

Each compartment is a brat folder with ``text/NAME.txt`` and ``attributions/NAME_WHO.ann``
(PolNeAR's layout); a document annotated by several people counts once, with the first
annotator's set. Scores use bench/suggest_eval.py's one-to-one overlap matcher: claim
precision, recall and F1, and speaker accuracy on matched claims whose truth has a speaker
(the suggested speaker or its antecedent overlaps it), each with a 95 % bootstrap interval
over the scored documents. Also: training seconds, peak resident memory, and characters a
second of suggesting. Never point it at ``test`` while
tuning. Prints a table, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator.formats import brat, brat_claims  # noqa: E402
from annotator.suggest import detect  # noqa: E402
from annotator.suggest.learned import model as learned  # noqa: E402
from annotator.suggest.learned.scoring import Found, Tally, Truth, intervals, match  # noqa: E402
from annotator.suggest.scoring import overlap  # noqa: E402
from annotator.suggest.tokens import PRONOUNS  # noqa: E402

Pair = tuple[int, int]


def _pieces(span: dict | None) -> tuple[Pair, ...]:
    if not span or span.get("start") is None:
        return ()
    fragments = span.get("fragments") or ()
    return tuple((f["start"], f["end"]) for f in fragments) or ((span["start"], span["end"]),)


def read_corpus(folder: Path, limit: int | None = None) -> list[learned.Example]:
    by_name: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rpartition("_")[0]
        by_name.setdefault(name, ann)
    examples = []
    labels = brat_claims.label_map()
    for name, ann in sorted(by_name.items())[:limit]:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        claims, errors, _extras = brat_claims.read_set(
            brat.parse(ann.read_text(encoding="utf-8"), text),
            text,
            labels,
            file=ann.name,
            document=name,
            annotator=ann.stem.rpartition("_")[2],
            notices=[],
        )
        if errors:
            raise SystemExit(f"{ann}: {errors[0]}")
        gold = [
            learned.GoldClaim(_pieces(c["claim"]), _pieces(c.get("speaker")), _pieces(c.get("cue")))
            for c in claims
        ]
        examples.append(learned.Example(text, gold))
    return examples


def _outer(pieces: tuple[Pair, ...]) -> Pair:
    return (min(s for s, _ in pieces), max(e for _, e in pieces))


def score(examples: list[learned.Example], suggest) -> dict:
    per_document = []
    chars = 0
    seconds = 0.0
    for example in examples:
        t0 = time.perf_counter()
        predicted = suggest(example.text)
        seconds += time.perf_counter() - t0
        chars += len(example.text)
        truths = [Truth(_outer(g.claim), _outer(g.speaker) if g.speaker else None)
                  for g in example.claims if g.claim]  # fmt: skip
        found = [
            Found(
                (p.claim.start, p.claim.end),
                tuple((s.start, s.end) for s in (p.speaker, p.speaker_antecedent) if s),
            )
            for p in predicted
        ]
        per_document.append(Tally.of(truths, found))
    tally = Tally.total(per_document)
    return {
        "documents": len(examples),
        "true_claims": tally.truth,
        "found_claims": tally.found,
        "precision": round(tally.precision, 4),
        "recall": round(tally.recall, 4),
        "f1": round(tally.f1, 4),
        "speaker_accuracy": None if tally.speaker is None else round(tally.speaker, 4),
        **{f"{name}_95": low_high for name, low_high in intervals(per_document).items()},
        "chars_per_second": round(chars / seconds) if seconds else None,
    }


def failures(examples: list[learned.Example], model: learned.Model) -> Counter[str]:
    """What the trained suggester still gets wrong, by kind: true claims it misses, claims
    it finds that are not true ones, and wrong speakers on matched claims."""
    c: Counter[str] = Counter()
    for example in examples:
        golds = [g for g in example.claims if g.claim]
        truth = [_outer(g.claim) for g in golds]
        predicted = model.predict(example.text)
        found = [(p.claim.start, p.claim.end) for p in predicted]
        rules = [(d.claim.start, d.claim.end) for d in detect(example.text)]
        pairs = match(truth, found)
        hit_t, hit_f = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, t in enumerate(truth):
            if i in hit_t:
                continue
            if any(overlap(t, f) for f in found):
                c["missed: merged with or split from a found one"] += 1
            elif any(o != t and o[0] <= t[0] and t[1] <= o[1] for o in truth):
                c["missed: nested in another true claim"] += 1
            elif any(overlap(t, r) for r in rules):
                c["missed: the rules find it"] += 1
            else:
                c["missed: neither finds it"] += 1
        for j, f in enumerate(found):
            if j not in hit_f:
                where = "overlaps a true claim" if any(overlap(t, f) for t in truth) else "none"
                c[f"extra: {where}"] += 1
        for i, j in pairs:
            gold, p = golds[i], predicted[j]
            if not gold.speaker:
                continue
            true = _outer(gold.speaker)
            guesses = [s for s in (p.speaker, p.speaker_antecedent) if s]
            if any(overlap((s.start, s.end), true) for s in guesses):
                continue
            if truth[i] != found[j]:
                c["speaker wrong: the claim's extent differs"] += 1
            elif example.text[true[0] : true[1]].lower() in PRONOUNS:
                c["speaker wrong: the true one is a pronoun"] += 1
            elif p.speaker is None:
                c["speaker wrong: none found"] += 1
            else:
                c["speaker wrong: another mention"] += 1
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", type=Path, help="brat folder to train on (PolNeAR train)")
    ap.add_argument("eval", type=Path, help="brat folder to score on (PolNeAR dev)")
    ap.add_argument("--limit", type=int, help="use only the first N training documents")
    ap.add_argument("--iterations", type=int, default=None, help="CRF iterations")
    ap.add_argument("--save", type=Path, help="write the model bytes here")
    ap.add_argument("--load", type=Path, help="score this saved model instead of training")
    ap.add_argument("--failures", action="store_true", help="count what still fails, by kind")
    args = ap.parse_args()

    train_set = [] if args.load else read_corpus(args.train, args.limit)
    eval_set = read_corpus(args.eval)
    params = {"max_iterations": args.iterations} if args.iterations else None
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    blob = args.load.read_bytes() if args.load else learned.train(train_set, params=params)
    figures: dict = {
        "training_documents": len(train_set),
        "training_claims": sum(len(e.claims) for e in train_set),
        "training_seconds": round(time.perf_counter() - t0, 1),
        "training_cpu_seconds": round(time.process_time() - cpu0, 1),
        "model_bytes": len(blob),
    }
    if args.save:
        args.save.write_bytes(blob)
    model = learned.load(blob)
    figures["trained"] = score(eval_set, model.predict)
    figures["rules"] = score(eval_set, detect)
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print(f"{'':<8} {'docs':>5} {'true':>6} {'found':>6}  {'P':>6} {'R':>6} {'F1':>6} "
          f"{'speaker':>7} {'chars/s':>9}")  # fmt: skip
    for name in ("rules", "trained"):
        f = figures[name]
        spk = "-" if f["speaker_accuracy"] is None else f"{f['speaker_accuracy']:.3f}"
        print(
            f"{name:<8} {f['documents']:>5} {f['true_claims']:>6} {f['found_claims']:>6}  "
            f"{f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f} {spk:>7} "
            f"{f['chars_per_second']:>9}"
        )
    print(
        f"training: {figures['training_documents']} documents, {figures['training_claims']} "
        f"claims, {figures['training_seconds']} s ({figures['training_cpu_seconds']} s CPU), "
        f"peak {figures['peak_rss_mib']} MiB, model {figures['model_bytes'] / 1e6:.1f} MB"
    )
    for name in ("rules", "trained"):
        f = figures[name]
        print(f"{name}: 95% interval over documents, F1 {f['f1_95']}, speaker {f['speaker_95']}")
    if args.failures:
        figures["failures"] = dict(sorted(failures(eval_set, model).items()))
        for kind, n in figures["failures"].items():
            print(f"  {kind:<48} {n:>5}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
