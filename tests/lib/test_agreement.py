"""Agreement figures on small hand-computed cases; no database."""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import permutations

import pytest

from annotator.agreement import (
    ClaimRecord,
    cohen_kappa,
    compute,
    exact_matches,
    krippendorff_alpha,
    match_overlap,
    shared_characters,
)

LABELS = ["support", "oppose", "neutral"]


def claim(start: int, end: int, stance: str | None = "support", **keys: object) -> ClaimRecord:
    return ClaimRecord(start, end, stance, keys.get("speaker"), keys.get("target"))


def test_it_scores_perfect_agreement() -> None:
    """Identical claims: every figure is 1."""
    alice = [
        claim(0, 10, "support", speaker=("entity", 1), target=("span", 20, 25)),
        claim(30, 40, "oppose", speaker=("entity", 2), target=("entity", 7)),
    ]
    result = compute([{"alice": alice, "bob": list(alice)}], LABELS)
    # 2 matches of 2 claims each side: P = 2/2, R = 2/2, F1 = 2·2 / (2+2) = 1.
    assert result["span_f1"] == {"exact": 1.0, "overlap": 1.0}
    assert result["span_precision"] == {"exact": 1.0, "overlap": 1.0}
    assert result["span_recall"] == {"exact": 1.0, "overlap": 1.0}
    # Table support/support 1, oppose/oppose 1: po = 1, pe = (1·1 + 1·1) / 2² = 0.5,
    # kappa = (1 - 0.5) / (1 - 0.5) = 1.
    assert result["stance"]["cohen_kappa_mean"] == 1.0
    # Two units with no disagreement and two labels in use: Do = 0, De > 0, alpha = 1.
    assert result["stance"]["krippendorff_alpha"] == 1.0
    assert result["speaker_agreement"] == 1.0
    assert result["target_agreement"] == 1.0
    pair = result["pairs"][0]
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", 1)
    assert pair["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "matches": 2}


def test_it_scores_disjoint_spans_as_zero() -> None:
    """No shared character: span figures are 0 and stance figures undefined."""
    result = compute([{"alice": [claim(0, 10)], "bob": [claim(10, 20)]}], LABELS)
    # [0,10) and [10,20) share no character (end is exclusive): 0 matches of 1 + 1 claims.
    assert result["span_f1"] == {"exact": 0.0, "overlap": 0.0}
    assert result["span_precision"] == {"exact": 0.0, "overlap": 0.0}
    assert result["stance"]["matched_pairs"] == 0
    assert result["stance"]["cohen_kappa_mean"] is None
    assert result["stance"]["krippendorff_alpha"] is None
    assert result["speaker_agreement"] is None


def test_partial_overlap_counts_for_overlap_but_not_exact() -> None:
    result = compute([{"alice": [claim(0, 10)], "bob": [claim(5, 15)]}], LABELS)
    # [0,10) and [5,15) share [5,10): overlap 1 match of 1 + 1, exact none.
    assert result["span_f1"] == {"exact": 0.0, "overlap": 1.0}


def test_it_matches_each_claim_once() -> None:
    """Two claims of alice overlap bob's one claim: only one of them matches."""
    alice = [claim(0, 10), claim(8, 20)]
    bob = [claim(5, 15)]
    # bob's [5,15) shares 5 characters with [0,10) and 7 with [8,20): it takes the second.
    assert match_overlap(alice, bob) == [(1, 0)]
    pair = compute([{"alice": alice, "bob": bob}], LABELS)["pairs"][0]
    # alice is the reference: P = 1/|bob| = 1, R = 1/|alice| = 0.5, F1 = 2·1 / (2+1) = 0.6667.
    assert pair["overlap"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "matches": 1}


def test_it_counts_duplicated_exact_spans_once_per_copy() -> None:
    # alice marks [0,10) twice, bob once: one exact match, not two.
    assert exact_matches([claim(0, 10), claim(0, 10)], [claim(0, 10)]) == 1


def test_it_beats_greedy_largest_overlap_first() -> None:
    """Greedy largest-overlap-first would stop at one match; the optimum finds two."""
    alice = [claim(0, 10), claim(12, 20)]
    bob = [claim(5, 15), claim(0, 3)]
    # Greedy takes [0,10)-[5,15) (5 chars), then [12,20) and [0,3) have no partner left.
    # Optimal: [0,10)-[0,3) (3 chars) and [12,20)-[5,15) (3 chars), 6 characters in all.
    assert match_overlap(alice, bob) == [(0, 1), (1, 0)]


def test_it_keeps_identical_claims_together_rather_than_pairing_slivers() -> None:
    alice = [claim(0, 100), claim(99, 110)]
    bob = [claim(0, 100), claim(0, 1)]
    # Pairing [0,100) with [0,100) shares 100 characters; the two cross pairs would give two
    # matches but share only 1 + 1.
    assert match_overlap(alice, bob) == [(0, 0)]


def test_it_prefers_an_exact_partner_when_the_overlap_is_the_same() -> None:
    alice = [claim(3, 6)]
    bob = [claim(3, 6), claim(2, 7)]
    # [3,6) shares 3 characters with both of bob's claims; the exact one wins the tie, though
    # [2,7) comes first by position.
    assert match_overlap(alice, bob) == [(0, 0)]


def _best_objective(a: list[ClaimRecord], b: list[ClaimRecord]) -> tuple[int, int, int]:
    """Brute force over every one-to-one matching: best (shared characters, exact, matches)."""
    padded = list(range(len(b))) + [None] * len(a)
    best = (0, 0, 0)
    for chosen in permutations(padded, len(a)):
        pairs = [(i, j) for i, j in enumerate(chosen) if j is not None]
        best = max(
            best, _objective(a, b, [(i, j) for i, j in pairs if shared_characters(a[i], b[j])])
        )
    return best


def _objective(
    a: list[ClaimRecord], b: list[ClaimRecord], pairs: list[tuple[int, int]]
) -> tuple[int, int, int]:
    exact = sum((a[i].start, a[i].end) == (b[j].start, b[j].end) for i, j in pairs)
    return sum(shared_characters(a[i], b[j]) for i, j in pairs), exact, len(pairs)


def test_overlap_matching_is_optimal_on_random_cases() -> None:
    rng = random.Random(7)
    for _ in range(500):
        sides = []
        for _ in range(2):
            spans = []
            for _ in range(rng.randint(0, 4)):
                start = rng.randint(0, 30)
                spans.append(claim(start, start + rng.randint(1, 12)))
            sides.append(spans)
        a, b = sides
        pairs = match_overlap(a, b)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        assert all(shared_characters(a[i], b[j]) for i, j in pairs)
        assert _objective(a, b, pairs) == _best_objective(a, b)


def test_cohen_kappa_of_the_classic_two_by_two_table() -> None:
    #            bob yes  bob no
    # alice yes    20        5     -> alice yes 25
    # alice no     10       15     -> alice no  25
    #          bob yes 30, no 20     n = 50
    # po = (20 + 15) / 50 = 0.7; pe = (25·30 + 25·20) / 50² = 1250 / 2500 = 0.5;
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    assert cohen_kappa(table) == pytest.approx(0.4)


def test_it_pools_kappa_over_documents() -> None:
    """The classic table spread over five documents gives the same kappa of 0.4."""
    cells = [("support", "support")] * 20 + [("support", "oppose")] * 5
    cells += [("oppose", "support")] * 10 + [("oppose", "oppose")] * 15
    documents = []
    for d in range(5):
        chunk = cells[d::5]
        documents.append(
            {
                "alice": [claim(20 * k, 20 * k + 10, x) for k, (x, _) in enumerate(chunk)],
                "bob": [claim(20 * k, 20 * k + 10, y) for k, (_, y) in enumerate(chunk)],
            }
        )
    result = compute(documents, LABELS)
    assert result["documents"] == 5
    assert result["pairs"][0]["cohen_kappa"] == 0.4
    assert result["stance"]["cohen_kappa_mean"] == 0.4
    assert result["per_annotator"]["alice"]["cohen_kappa_mean"] == 0.4
    # Each pair counts in both orders: diagonal 2·20 and 2·15, off-diagonal 5 + 10 each way.
    confusion = result["stance"]["confusion"]
    assert confusion["support"] == {"support": 40, "oppose": 15, "neutral": 0, "none": 0}
    assert confusion["oppose"] == {"support": 15, "oppose": 30, "neutral": 0, "none": 0}
    assert sum(sum(row.values()) for row in confusion.values()) == 2 * 50


def _alpha_from_formula(units: list[list[str]]) -> float:
    """Nominal alpha written out: 1 - (n - 1) · Σ o_ck (c≠k) / Σ n_c·n_k (c≠k)."""
    coincidences: Counter[tuple[str, str]] = Counter()
    for unit in units:
        if len(unit) < 2:
            continue
        for i, c in enumerate(unit):
            for j, k in enumerate(unit):
                if i != j:
                    coincidences[(c, k)] += 1 / (len(unit) - 1)
    totals: Counter[str] = Counter()
    for (c, _), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    return 1 - (n - 1) * observed / expected


def test_krippendorff_alpha_with_a_missing_value() -> None:
    """Three annotators; carol has no claim in unit 2 and no stance in unit 4."""
    alice = [claim(0, 10, "support"), claim(20, 30, "support"), claim(40, 50, "oppose")]
    alice.append(claim(60, 70, "neutral"))
    bob = [claim(0, 10, "support"), claim(20, 30, "oppose"), claim(40, 50, "oppose")]
    bob.append(claim(60, 70, "neutral"))
    carol = [claim(0, 10, "support"), claim(40, 50, "oppose"), claim(60, 70, None)]
    carol.append(claim(90, 95, "oppose"))  # nobody else marked it: a unit of one, no weight
    result = compute([{"alice": alice, "bob": bob, "carol": carol}], LABELS)
    # Units: (s, s, s), (s, o), (o, o, o), (n, n). Coincidences, each ordered pair of values
    # from different annotators weighted 1 / (m_u - 1):
    #   o_ss = 6/2 = 3, o_so = o_os = 1, o_oo = 6/2 = 3, o_nn = 2/1 = 2.
    # n_s = 4, n_o = 4, n_n = 2, n = 10. Σ o_ck (c≠k) = 2.
    # Σ n_c·n_k (c≠k) = 2·(4·4 + 4·2 + 4·2) = 64.  alpha = 1 - 9·2/64 = 0.71875.
    units = [["support"] * 3, ["support", "oppose"], ["oppose"] * 3, ["neutral"] * 2]
    assert _alpha_from_formula(units) == pytest.approx(0.71875)
    assert krippendorff_alpha(units, LABELS) == pytest.approx(0.71875)
    assert result["stance"]["krippendorff_alpha"] == 0.7188
    assert result["stance"]["alpha_units"] == 4


def test_alpha_units_hold_one_claim_per_annotator() -> None:
    """A chain of matches that would join two of alice's claims is cut at its weakest link."""
    alice = [claim(0, 10, "support"), claim(14, 30, "oppose")]
    bob = [claim(2, 20, "support")]
    carol = [claim(16, 30, "oppose")]
    # Pairwise: alice[0]-bob (8 chars), alice[1]-carol (14), bob-carol ([16,20): 4).
    # Merging largest first gives {alice[1], carol} and {alice[0], bob}; bob-carol would put
    # both of alice's claims in one unit, so it is dropped. Units (o, o) and (s, s): alpha 1.
    result = compute([{"alice": alice, "bob": bob, "carol": carol}], LABELS)
    assert result["stance"]["alpha_units"] == 2
    assert result["stance"]["krippendorff_alpha"] == 1.0


def test_speaker_and_target_agreement_leave_out_pairs_without_keys() -> None:
    alice = [
        claim(0, 10, speaker=("entity", 1), target=None),
        claim(20, 30, speaker=None, target=None),
        claim(40, 50, speaker=("span", 40, 45), target=("entity", 3)),
        claim(60, 70, speaker=("entity", 2), target=None),
    ]
    bob = [
        claim(0, 10, speaker=("entity", 1), target=None),
        claim(20, 30, speaker=None, target=None),
        claim(40, 50, speaker=None, target=("entity", 3)),
        claim(60, 70, speaker=("entity", 3), target=None),
    ]
    result = compute([{"alice": alice, "bob": bob}], LABELS)
    # Speaker: same, both None (left out), one None (disagree), different -> 1 / 3.
    assert result["speaker_agreement"] == 0.3333
    assert result["speaker_pairs"] == 3
    # Target: only the third pair has a key, and it agrees -> 1 / 1.
    assert result["target_agreement"] == 1.0
    assert result["pairs"][0]["speaker_agreement"] == 0.3333


def test_it_ignores_documents_with_one_annotator() -> None:
    documents = [
        {"alice": [claim(0, 10)], "carol": [claim(50, 60)]},
        {"alice": [claim(0, 10), claim(20, 30)]},
        {"dave": [claim(0, 10)]},
    ]
    result = compute(documents, LABELS)
    assert result["documents"] == 1
    assert result["annotators"] == ["alice", "carol"]
    assert result["per_annotator"]["alice"]["claims"] == 1
    assert result["per_annotator"]["alice"]["documents"] == 1


def test_per_annotator_f1_pools_all_their_pairs() -> None:
    documents = [{"alice": [claim(0, 10)], "bob": [claim(0, 10)], "carol": [claim(50, 60)]}]
    per = compute(documents, LABELS)["per_annotator"]
    # alice: with bob 1 match, with carol 0 -> 2·1 / ((1+1) + (1+1)) = 0.5; bob the same.
    # carol: 0 matches with either -> 0.
    assert per["alice"]["span_f1"] == {"exact": 0.5, "overlap": 0.5}
    assert per["bob"]["span_f1"] == {"exact": 0.5, "overlap": 0.5}
    assert per["carol"]["span_f1"] == {"exact": 0.0, "overlap": 0.0}
    assert per["carol"]["cohen_kappa_mean"] is None


def test_a_single_label_everywhere_leaves_kappa_and_alpha_undefined() -> None:
    alice = [claim(0, 10, "support"), claim(20, 30, "support")]
    result = compute([{"alice": alice, "bob": list(alice)}], LABELS)
    # pe = (2·2) / 2² = 1: kappa's denominator 1 - pe is 0. Alpha: De = 0 with one label.
    assert result["stance"]["cohen_kappa_mean"] is None
    assert result["pairs"][0]["cohen_kappa"] is None
    assert result["stance"]["krippendorff_alpha"] is None
    assert result["span_f1"]["exact"] == 1.0


def test_nothing_to_compare_gives_none_not_zero() -> None:
    result = compute([{"alice": [], "bob": []}], LABELS)
    # 0 matches over 0 claims: F1 is undefined, not 0 and not 1.
    assert result["span_f1"] == {"exact": None, "overlap": None}
    assert compute([], LABELS)["pairs"] == []
    assert cohen_kappa({}) is None
    assert krippendorff_alpha([], LABELS) is None


def test_unset_stance_is_the_none_row_and_is_not_rated() -> None:
    result = compute([{"alice": [claim(0, 10, None)], "bob": [claim(0, 10, "oppose")]}], LABELS)
    confusion = result["stance"]["confusion"]
    assert confusion["none"]["oppose"] == confusion["oppose"]["none"] == 1
    assert result["stance"]["matched_pairs"] == 1
    assert result["stance"]["rated_pairs"] == 0
    assert result["stance"]["cohen_kappa_mean"] is None


def test_the_result_is_json_with_rounded_floats() -> None:
    documents = [{"alice": [claim(0, 10), claim(20, 30), claim(40, 50)], "bob": [claim(0, 10)]}]
    result = compute(documents, LABELS)
    assert json.loads(json.dumps(result)) == result
    # 2·1 / (3 + 1) = 0.5; recall 1/3 is rounded to 4 places.
    assert result["span_recall"]["exact"] == 0.3333
