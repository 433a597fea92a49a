#!/usr/bin/env python
"""brat → app → brat, per file: does every ``.ann`` come back with the same annotations?

    python bench/brat_round_trip.py /work/polnear/data/dev
    DATABASE_URL=postgres://… python bench/brat_round_trip.py DATA/dev   # a fresh PG database

Takes a folder of brat files (PolNeAR's layout: ``text/NAME.txt`` and
``attributions/NAME_ANNOTATOR.ann``, or ``NAME.txt`` beside ``NAME.ann``), imports it into a
fresh project with the app's own command, exports the project back to brat and compares
every original file with its export. Two files are the same when they hold the same set of
spans (label, fragments, text) and the same set of events (type, trigger as (label,
fragments), arguments as (role, label, fragments) — role names as written, ``Content2``
included). Ids, line order and notes' targets may differ.

Then the same through our own format: the project exported as claims/1, imported into a
second, empty project, exported to brat from there and compared again.

Each differing file is listed with what is missing from the export and what it added.
Prints a table and one JSON object of figures as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import drop_database, fresh_database, run_measured, show  # noqa: E402

from annotator.formats import brat  # noqa: E402

SHOWN = 10  # differing files listed in full


def manage(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    return run_measured([sys.executable, str(ROOT / "manage.py"), *args], env)


def _pieces(fragments) -> tuple:
    return tuple(sorted(tuple(f) for f in fragments))


def spans(standoff: brat.Standoff, text: str) -> set[tuple]:
    return {
        (t.label, _pieces(t.fragments), brat.span_text(text, _pieces(t.fragments)))
        for t in standoff.textbounds.values()
    }


def events(standoff: brat.Standoff) -> set[tuple]:
    tb = standoff.textbounds
    found = set()
    for event in standoff.events.values():
        trigger = tb.get(event.trigger or "")
        arguments = tuple(
            sorted(
                (role, tb[ref].label, _pieces(tb[ref].fragments))
                for role, ref in event.arguments
                if ref in tb
            )
        )
        head = (trigger.label, _pieces(trigger.fragments)) if trigger else None
        found.add((event.type, head, arguments))
    return found


def originals(folder: Path) -> list[tuple[Path, Path, str]]:
    """(the .ann, its .txt, whose work) for each file of the folder."""
    found = []
    for ann in sorted(folder.rglob("*.ann")):
        beside = ann.with_suffix(".txt")
        if beside.exists():
            found.append((ann, beside, ann.parent.name))
            continue
        name, _, who = ann.stem.rpartition("_")
        for txt in (ann.parent / f"{name}.txt", ann.parent.parent / "text" / f"{name}.txt"):
            if txt.exists():
                found.append((ann, txt, who))
                break
    return found


def compare(folder: Path, exported: Path) -> dict:
    identical, differing = 0, []
    for ann, txt, who in originals(folder):
        text = txt.read_text(encoding="utf-8")
        original = brat.parse(ann.read_text(encoding="utf-8"), text)
        written = exported / who / f"{txt.stem}.ann"
        again = (
            brat.parse(written.read_text(encoding="utf-8"), text)
            if written.exists()
            else brat.Standoff()
        )
        a, b = spans(original, text), spans(again, text)
        c, d = events(original), events(again)
        if a == b and c == d:
            identical += 1
            continue
        differing.append(
            {
                "file": ann.name,
                "spans_missing": sorted(map(str, a - b)),
                "spans_added": sorted(map(str, b - a)),
                "events_missing": sorted(map(str, c - d)),
                "events_added": sorted(map(str, d - c)),
            }
        )
    return {"files": identical + len(differing), "identical": identical, "differing": differing}


def report(label: str, result: dict) -> None:
    show(label, f"{result['identical']}/{result['files']}", "files identical")
    for item in result["differing"][:SHOWN]:
        show(f"  differs: {item['file']}", "", "")
        for key in ("spans_missing", "spans_added", "events_missing", "events_added"):
            for value in item[key][:5]:
                show(f"    {key}", "", value[:160])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of brat files (e.g. PolNeAR's dev)")
    args = parser.parse_args()
    folder: Path = args.folder.resolve()
    figures: dict = {"folder": str(folder)}
    tmp = Path(tempfile.mkdtemp(prefix="brat-round-trip-"))
    url = fresh_database(tmp)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": "bench"}
    try:
        manage(env, "migrate", "-v0")
        manage(env, "create_project", "original")
        seconds, peak, out = manage(
            env,
            "import_annotations",
            "original",
            str(folder),
            "--format",
            "brat",
            "--create-users",
        )
        show("import (brat)", f"{seconds:.1f} s", out.strip()[:120])
        figures["import"] = {"seconds": round(seconds, 2), "peak_rss_mib": round(peak, 1)}
        seconds, peak, _ = manage(
            env, "export_jsonl", "original", "--format", "brat", "-o", str(tmp / "brat")
        )
        figures["export_seconds"] = round(seconds, 2)
        figures["brat_app_brat"] = compare(folder, tmp / "brat")
        report("brat → app → brat", figures["brat_app_brat"])

        manage(env, "export_jsonl", "original", "-o", str(tmp / "claims.jsonl"))
        manage(env, "create_project", "copy")
        manage(env, "import_annotations", "copy", str(tmp / "claims.jsonl"))
        manage(env, "export_jsonl", "copy", "--format", "brat", "-o", str(tmp / "brat-copy"))
        figures["brat_claims_brat"] = compare(folder, tmp / "brat-copy")
        report("brat → app → claims/1 → new project → brat", figures["brat_claims_brat"])
    finally:
        drop_database(url)
        shutil.rmtree(tmp, ignore_errors=True)
    for key in ("brat_app_brat", "brat_claims_brat"):
        figures[key]["differing_files"] = [d["file"] for d in figures[key]["differing"]]
        del figures[key]["differing"]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
