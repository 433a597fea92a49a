#!/usr/bin/env python
"""PolNeAR through the app: import, brat round trip, claims round trip, agreement.

    python bench/polnear.py /path/to/PolNeAR/data            # SQLite, fresh database
    DATABASE_URL=postgres://… python bench/polnear.py DATA   # PostgreSQL (a fresh database)

Uses the ``train`` and ``dev`` compartments (and ``annotator-training`` for agreement);
never ``test``. Steps, each through the app's own commands:

1. import ``train`` and ``dev`` as brat (with ``metadata.tsv``): documents, claims, seconds,
   peak resident memory of the import process;
2. export the project as brat and compare every ``dev`` file with its original: the set of
   (label, fragments, text) spans and the set of events (type, arguments as (label,
   fragments)); the files that differ are explained by what the import left out or joined;
3. export as claims/1, import into an empty project, export again: byte-identical but for
   the project slug?
4. ``agreement --json`` on the multi-annotated articles of train + dev, and with the
   annotator-training articles added, beside PolNeAR's published figures.

Prints a table and one JSON object of figures as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import drop_database, fresh_database, run_measured, show  # noqa: E402

from annotator.formats import brat  # noqa: E402

IGNORED = {"Discuss", "Discard"}
EVENTS = {"Attribution", "Attribution-no-source"}


def manage(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    return run_measured([sys.executable, str(ROOT / "manage.py"), *args], env)


def imported(output: str) -> tuple[int, int]:
    found = re.search(r"(\d+) documents added, (\d+) claims imported", output)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def spans(standoff: brat.Standoff, text: str) -> set[tuple]:
    return {
        (t.label, tuple(sorted(t.fragments)), brat.span_text(text, tuple(sorted(t.fragments))))
        for t in standoff.textbounds.values()
    }


def events(standoff: brat.Standoff) -> set[tuple]:
    found = set()
    for event in standoff.events.values():
        arguments = []
        for role, ref in event.arguments:
            span = standoff.textbounds[ref]
            arguments.append((re.sub(r"\d+$", "", role), span.label, tuple(sorted(span.fragments))))
        found.add((event.type, tuple(sorted(arguments))))
    return found


def why(original: brat.Standoff) -> list[str]:
    """What in an original file the import leaves out or joins (so its export differs)."""
    reasons = []
    labels = Counter(t.label for t in original.textbounds.values())
    if any(labels[label] for label in IGNORED):
        reasons.append("Discuss/Discard marks (left out by the default label map)")
    used = {ref for e in original.events.values() for _, ref in e.arguments}
    used |= {e.trigger for e in original.events.values()}
    if any(
        t.label not in IGNORED | EVENTS and ident not in used
        for ident, t in original.textbounds.items()
    ):
        reasons.append("a span tied to no event")
    if any(
        not any(original.textbounds[r].label == "Content" for _, r in e.arguments)
        for e in original.events.values()
    ):
        reasons.append("an event without a Content (no claim)")
    if any(re.search(r"\d$", role) for e in original.events.values() for role, _ in e.arguments):
        reasons.append("Content + Content2 joined into one discontinuous span")
    for t in original.textbounds.values():
        pieces = t.fragments
        if any(b[0] < a[1] for a, b in zip(sorted(pieces), sorted(pieces)[1:], strict=False)):
            reasons.append("overlapping fragments merged")
            break
    for e in original.events.values():
        has_source = any(original.textbounds[r].label == "Source" for _, r in e.arguments)
        if (e.type == "Attribution") != has_source:
            reasons.append("an event type that contradicts its arguments (no-source with a Source)")
            break
    for e in original.events.values():
        trigger = original.textbounds.get(e.trigger or "")
        cues = [
            original.textbounds[r] for _, r in e.arguments if original.textbounds[r].label == "Cue"
        ]
        if trigger and (not cues or trigger.fragments != cues[0].fragments):
            reasons.append("an event trigger not on its cue (we anchor triggers on the cue)")
            break
    return reasons or ["unexplained"]


def compare_brat(data: Path, exported: Path, compartment: str) -> dict:
    identical, differing, reasons = 0, 0, Counter()
    texts = data / compartment / "text"
    for ann in sorted((data / compartment / "attributions").glob("*.ann")):
        name, _, who = ann.stem.rpartition("_")
        text = (texts / f"{name}.txt").read_text(encoding="utf-8")
        original = brat.parse(ann.read_text(encoding="utf-8"), text)
        written = exported / who / f"{name}.ann"
        again = (
            brat.parse(written.read_text(encoding="utf-8"), text)
            if written.exists()
            else brat.Standoff()
        )
        if spans(original, text) == spans(again, text) and events(original) == events(again):
            identical += 1
            continue
        differing += 1
        for reason in why(original):
            reasons[reason] += 1
    return {
        "files": identical + differing,
        "identical": identical,
        "differing": differing,
        "reasons": dict(reasons),
    }


def agreement(env: dict[str, str], slug: str) -> dict:
    _, _, out = manage(env, "agreement", slug, "--json")
    result = json.loads(out)
    return {
        "documents": result["documents"],
        "token_alpha": result["attribution"]["token_alpha"],
        "tokens": result["attribution"]["tokens"],
        "agr": result["attribution"]["agr"],
        "claim_span_f1_overlap": result["span_f1"]["overlap"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="PolNeAR's data/ folder")
    args = parser.parse_args()
    data: Path = args.data
    figures: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="polnear-bench-"))
    url = fresh_database(tmp)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": "bench"}
    try:
        manage(env, "migrate", "-v0")
        manage(env, "create_project", "polnear")
        total = {"documents": 0, "claims": 0, "seconds": 0.0, "peak_rss_mib": 0.0}
        for compartment in ("train", "dev"):
            seconds, peak, out = manage(
                env,
                "import_annotations",
                "polnear",
                str(data / compartment),
                "--format",
                "brat",
                "--create-users",
                "--metadata",
                str(data / "metadata.tsv"),
            )
            documents, claims = imported(out)
            figures[f"import_{compartment}"] = {
                "documents": documents,
                "claims": claims,
                "seconds": round(seconds, 2),
                "peak_rss_mib": round(peak, 1),
            }
            show(
                f"import {compartment} (brat)",
                f"{seconds:.1f} s",
                f"{documents} documents, {claims} claims, peak {peak:.0f} MiB",
            )
            total["documents"] += documents
            total["claims"] += claims
            total["seconds"] += seconds
            total["peak_rss_mib"] = max(total["peak_rss_mib"], peak)
        figures["import_train_dev"] = {**total, "seconds": round(total["seconds"], 2)}

        exported = tmp / "brat"
        seconds, peak, _ = manage(
            env, "export_jsonl", "polnear", "--format", "brat", "-o", str(exported)
        )
        figures["export_brat"] = {"seconds": round(seconds, 2), "peak_rss_mib": round(peak, 1)}
        show("export brat (train + dev)", f"{seconds:.1f} s", f"peak {peak:.0f} MiB")
        figures["brat_round_trip_dev"] = compare_brat(data, exported, "dev")
        rt = figures["brat_round_trip_dev"]
        show(
            "brat round trip, dev files identical",
            f"{rt['identical']}/{rt['files']}",
            json.dumps(rt["reasons"]),
        )

        first, second = tmp / "first.jsonl", tmp / "second.jsonl"
        manage(env, "export_jsonl", "polnear", "-o", str(first))
        manage(env, "create_project", "polnear-copy")
        seconds, peak, _ = manage(env, "import_annotations", "polnear-copy", str(first))
        manage(env, "export_jsonl", "polnear-copy", "-o", str(second))
        same = second.read_bytes() == first.read_bytes().replace(
            b'"project":"polnear"', b'"project":"polnear-copy"'
        )
        figures["claims_round_trip"] = {
            "byte_identical": same,
            "bytes": first.stat().st_size,
            "import_seconds": round(seconds, 2),
        }
        show(
            "claims/1 round trip byte-identical", str(same), f"{first.stat().st_size / 1e6:.1f} MB"
        )

        figures["agreement_train_dev"] = agreement(env, "polnear")
        manage(
            env,
            "import_annotations",
            "polnear",
            str(data / "annotator-training"),
            "--format",
            "brat",
            "--create-users",
            "--metadata",
            str(data / "metadata.tsv"),
        )
        figures["agreement_train_dev_training"] = agreement(env, "polnear")
        figures["agreement_published"] = {"token_alpha": 0.754, "agr": 0.923}
        for key in ("agreement_train_dev", "agreement_train_dev_training"):
            a = figures[key]
            show(
                key,
                f"α {a['token_alpha']}",
                f"agr {a['agr']} on {a['documents']} documents (published α 0.754, agr 0.923)",
            )
    finally:
        drop_database(url)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
