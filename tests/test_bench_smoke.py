"""The benchmark at a tiny size, so that it cannot rot (its figures are not checked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_end_to_end_and_prints_its_figures():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--docs",
            "50",
            "--extra",
            "5",
            "--claims",
            "20",
            "--gets",
            "10",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["import_cli"]["documents"] == 50
    assert figures["claims_api"]["n"] == 20
    assert figures["export_all_cli"]["documents"] == 55
    assert figures["annotate_page_long"]["p50_ms"] > 0


def test_suggest_eval_scores_a_brat_folder():
    """How the suggestion figures on PolNeAR are reported: a PolNeAR-shaped folder here."""
    result = subprocess.run(
        [sys.executable, "bench/suggest_eval.py", "--brat", "tests/data/polnear-shaped/dev"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])["brat"]
    assert figures["documents"] == 1
    assert figures["true_claims"] > 0


def test_train_eval_trains_on_one_brat_folder_and_scores_another():
    """How the trained suggester's figures on PolNeAR are reported: PolNeAR-shaped folders."""
    data = "tests/data/polnear-shaped"
    result = subprocess.run(
        [sys.executable, "bench/train_eval.py", f"{data}/train", f"{data}/dev", "--failures"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["training_documents"] == 1 and figures["model_bytes"] > 0
    assert figures["trained"]["documents"] == figures["rules"]["documents"] == 1
    assert figures["trained"]["true_claims"] > 0
    low, high = figures["trained"]["f1_95"]  # one document: every resample is that document
    assert low == high == round(figures["trained"]["f1"], 3)
    assert isinstance(figures["failures"], dict)
