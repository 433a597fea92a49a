"""Each annotator against gold (annotator.agreement.gold), on hand-made claims."""

from annotator.agreement import ClaimRecord
from annotator.agreement.gold import against_gold


def test_precision_recall_and_f1_are_micro_averaged_over_documents():
    gold1 = [ClaimRecord(0, 10, "support"), ClaimRecord(20, 30, "oppose")]
    gold2 = [ClaimRecord(5, 9, None)]
    scores = against_gold(
        [
            (gold1, {"ann": [ClaimRecord(0, 10, None), ClaimRecord(22, 28, None)]}),
            (gold2, {"ann": [], "bea": [ClaimRecord(5, 9, None)]}),
        ]
    )
    ann = scores["ann"]
    assert (ann["documents"], ann["claims"], ann["gold_claims"]) == (2, 2, 3)
    assert ann["exact"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4}
    assert ann["overlap"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert scores["bea"]["exact"]["f1"] == 1.0


def test_nothing_to_compare_is_undefined_not_zero():
    scores = against_gold([([], {"ann": []})])
    assert scores["ann"]["overlap"] == {"precision": None, "recall": None, "f1": None}
