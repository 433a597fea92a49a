"""Overlap by fragments, and PolNeAR's token-wise α and attribution-wise agreement, on small
hand-computed cases; no database."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from annotator.agreement import ClaimRecord, compute, match_overlap, shared_characters
from annotator.agreement.attribution import LABELS, AttributionTally, token_labels

TEXT = '"We will win," she said, "and soon."'
WIN, SOON = (1, 13), (26, 35)


def test_overlap_counts_the_fragments_characters_only():
    split = ClaimRecord(WIN[0], SOON[1], None, pieces=(WIN, SOON))
    middle = ClaimRecord(15, 23, None)  # 'she said': inside the extent, between the pieces
    assert shared_characters(split, middle) == 0
    assert match_overlap([split], [middle]) == []
    assert shared_characters(split, ClaimRecord(10, 30, None)) == (13 - 10) + (30 - 26)


def test_the_same_extent_with_other_fragments_is_not_an_exact_match():
    split = ClaimRecord(WIN[0], SOON[1], None, pieces=(WIN, SOON))
    whole = ClaimRecord(WIN[0], SOON[1], None)
    result = compute([{"a": [split], "b": [whole]}], ["support"])
    assert result["span_f1"] == {"exact": 0.0, "overlap": 1.0}


def test_tokens_take_the_role_of_the_spans_covering_them():
    claim = ClaimRecord(
        WIN[0],
        SOON[1],
        None,
        pieces=(WIN, SOON),
        speaker_pieces=((15, 18),),
        cue_pieces=((19, 23),),
    )
    labels = [LABELS[i] for i in token_labels(TEXT, [claim])]
    # " We will win , " she said , " and soon . "
    assert labels == [
        "none",
        *["content"] * 4,  # We will win ,
        "none",  # the closing quote, between the pieces
        "source",
        "cue",
        "none",
        "none",
        *["content"] * 3,  # and soon .
        "none",
    ]


def test_token_alpha_equals_krippendorffs_on_the_same_units():
    rng = random.Random(7)
    text = " ".join(f"w{i}" for i in range(60))
    sets = {}
    for name in ("a", "b", "c"):
        claims = []
        for start in range(0, 50, 10):
            shift = rng.choice([0, 0, 3])
            claims.append(
                ClaimRecord(
                    start * 3 + shift,
                    start * 3 + 15,
                    None,
                    cue_pieces=((start * 3 + 16, start * 3 + 18),) if rng.random() > 0.3 else (),
                )
            )
        sets[name] = claims
    tally = AttributionTally()
    tally.add(text, sets)
    data = np.stack([token_labels(text, sets[n]) for n in sorted(sets)]).astype(float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert tally.report()["token_alpha"] == pytest.approx(expected, abs=1e-4)
    assert tally.report()["tokens"] == 60


def test_attribution_agreement_matches_on_cues_one_to_one():
    said, added = ((19, 23),), ((40, 45),)
    a = [ClaimRecord(1, 13, None, cue_pieces=said), ClaimRecord(25, 34, None, cue_pieces=added)]
    # b has the first attribution with another content but the same cue, and misses the second.
    b = [ClaimRecord(5, 13, None, cue_pieces=said)]
    tally = AttributionTally()
    tally.add(TEXT + " " * 20, {"a": a, "b": b})
    report = tally.report()
    # agr(a‖b) = 1/2, agr(b‖a) = 1/1: their mean is 0.75.
    assert report["agr"] == 0.75
    assert report["pairs"] == [{"a": "a", "b": "b", "agr": 0.75}]
    assert report["published"] == {"token_alpha": 0.754, "agr": 0.923}


def test_a_document_with_one_annotator_does_not_count():
    tally = AttributionTally()
    tally.add(TEXT, {"a": [ClaimRecord(1, 13, None)]})
    assert tally.report()["documents"] == 0
    assert tally.report()["token_alpha"] is None and tally.report()["agr"] is None
