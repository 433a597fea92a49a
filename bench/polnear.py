#!/usr/bin/env python
"""PolNeAR through the app: import, brat round trip, claims round trip, agreement.

    python bench/polnear.py /path/to/PolNeAR/data            # SQLite, fresh database
    DATABASE_URL=postgres://… python bench/polnear.py DATA   # PostgreSQL (a fresh database)

Uses the ``train`` and ``dev`` compartments (and ``annotator-training`` for agreement);
never ``test``. Steps, each through the app's own commands:

1. import ``train`` and ``dev`` as brat (with ``metadata.tsv``): documents, claims, seconds,
   peak resident memory of the import process;
2. export the project as brat and compare every ``dev`` file with its original, as
   ``brat_round_trip.py`` does (spans, events with triggers and role names);
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from brat_round_trip import compare, report  # noqa: E402
from run import drop_database, fresh_database, run_measured, show  # noqa: E402


def manage(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    return run_measured([sys.executable, str(ROOT / "manage.py"), *args], env)


def imported(output: str) -> tuple[int, int]:
    found = re.search(r"(\d+) documents added, (\d+) claims imported", output)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


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
        rt = compare(data / "dev", exported)
        figures["brat_round_trip_dev"] = {
            "files": rt["files"],
            "identical": rt["identical"],
            "differing_files": [d["file"] for d in rt["differing"]],
        }
        report("brat round trip, dev files identical", rt)

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
