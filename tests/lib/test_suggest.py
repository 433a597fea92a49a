"""The rule-based claim detector (annotator.suggest): pure Python, no database, no Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.offsets import Span
from annotator.suggest import RULES, Detected, detect
from annotator.suggest.lexicon import find_cues
from annotator.suggest.quotes import find_quotes
from annotator.suggest.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "annotator" / "fixtures" / "seed-article.txt").read_text(encoding="utf-8")
SEED_CLAIMS = ROOT / "tests" / "data" / "seed-claims.jsonl"
SEED_ENTITIES = {
    "Bashar al-Assad": ["Al Assad", "Assad"],
    "United States": ["The United States", "Washington", "US"],
    "Abbas Araghchi": ["Araghchi"],
    "Russia": ["Moscow", "Russian foreign ministry"],
}


def text_of(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start : span.end]


def only(text: str, entities=None) -> Detected:
    found = detect(text, entities)
    assert len(found) == 1, [text_of(text, d.claim) for d in found]
    return found[0]


def claims(text: str) -> list[str]:
    return [text_of(text, d.claim) for d in detect(text)]


# Sentences


def test_it_does_not_split_sentences_after_abbreviations_and_initials() -> None:
    text = "Mr. J. Smith of the U.S. Senate spoke. Dr. Ruiz met No. 10 and said no. Next one."
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "Mr. J. Smith of the U.S. Senate spoke.",
        "Dr. Ruiz met No. 10 and said no.",
        "Next one.",
    ]


def test_it_splits_sentences_at_line_breaks_including_crlf() -> None:
    text = "First line\r\nSecond line\rThird\n\nFourth"
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "First line",
        "Second line",
        "Third",
        "Fourth",
    ]


def test_it_keeps_a_quote_with_full_stops_in_one_sentence() -> None:
    text = "“We came. We saw,” she said. “Then we left.” The end."
    quotes = [q.outer for q in find_quotes(text)]
    assert [text[s.start : s.end] for s in split_sentences(text, quotes)] == [
        "“We came. We saw,” she said.",
        "“Then we left.”",
        "The end.",
    ]


# Quotes


def test_it_finds_curly_and_straight_quotes() -> None:
    text = "“One,” and ‘two’ and \"three\" and 'four'."
    inner = [text[q.inner.start : q.inner.end] for q in find_quotes(text)]
    assert inner == ["One,", "two", "three", "four"]


def test_it_nests_quotes_inside_quotes() -> None:
    text = "“He called it ‘a disaster’ today,” she said."
    outer, nested = find_quotes(text)
    assert text[outer.inner.start : outer.inner.end] == "He called it ‘a disaster’ today,"
    assert (outer.depth, nested.depth) == (0, 1)
    assert text[nested.inner.start : nested.inner.end] == "a disaster"


def test_it_does_not_take_apostrophes_for_quote_marks() -> None:
    text = "Syria’s army, O'Brien's view, the employers' federation and don't ‘stop’."
    assert [text[q.inner.start : q.inner.end] for q in find_quotes(text)] == ["stop"]


def test_it_drops_a_quote_left_open_at_the_end_of_a_line() -> None:
    assert find_quotes("“Unclosed quote\nand a new line”") == []


# Cues


@pytest.mark.parametrize(
    "verb",
    [
        "said",
        "says",
        "told reporters",
        "vowed",
        "claimed",
        "denied",
        "warned",
        "argued",
        "insisted",
        "added",
        "stated",
        "noted",
        "suggested",
        "conceded",
        "maintained",
        "said in a statement",
        "emphasised",
        "stressed",
    ],
)
def test_it_recognises_reporting_verbs_after_a_quote(verb: str) -> None:
    text = f"“The plan will fail,” Maria Alvarez {verb}."
    found = only(text)
    assert text_of(text, found.cue) == verb
    assert text_of(text, found.speaker) == "Maria Alvarez"
    assert text_of(text, found.claim) == "The plan will fail"


def test_it_knows_every_form_of_a_reporting_verb() -> None:
    text = "say says saying said tell tells telling told deny denies denying denied"
    assert [c.lemma for c in find_cues(text, 0, len(text))] == ["say"] * 4 + ["tell"] * 4 + [
        "deny"
    ] * 4


@pytest.mark.parametrize(
    "text",
    [
        "The minister did not say whether the tax would rise.",
        "The government has not said how the measure will be funded.",
        "The report was said to be wrong.",
        "Russia announced the military action.",
    ],
)
def test_it_ignores_negated_infinitive_passive_and_noun_uses(text: str) -> None:
    # Negated uses are claims only under rule "negated" (PolNeAR counts them).
    assert detect(text, rules=[r for r in RULES if r != "negated"]) == []


# Speakers


def test_it_finds_the_speaker_before_the_cue_after_a_quote() -> None:
    text = "“Taxes will rise,” the finance ministry said."
    found = only(text)
    assert text_of(text, found.speaker) == "the finance ministry"
    assert found.kind == "direct"


def test_it_finds_the_speaker_after_an_inverted_cue_and_drops_the_role() -> None:
    text = "“Taxes will rise,” said the finance minister Maria Alvarez."
    found = only(text)
    assert text_of(text, found.speaker) == "Maria Alvarez"
    assert text_of(text, found.cue) == "said"


def test_it_skips_the_role_between_commas_and_keeps_the_name() -> None:
    text = "“Taxes will rise,” Maria Alvarez, the head of the employers' federation, said."
    found = only(text)
    assert text_of(text, found.speaker) == "Maria Alvarez"
    assert text_of(text, found.claim) == "Taxes will rise"


def test_it_strips_titles_from_a_named_speaker() -> None:
    text = "National Security Council spokesman Sean Savett said the talks had failed."
    assert text_of(text, only(text).speaker) == "Sean Savett"


def test_it_finds_a_speaker_introducing_a_quote_with_a_colon() -> None:
    text = "Maria Alvarez spoke first. She added: “It is too costly.”"
    found = only(text)
    assert text_of(text, found.claim) == "It is too costly"
    assert text_of(text, found.cue) == "added"


def test_it_resolves_he_to_last_named_speaker() -> None:
    text = "“Prices will fall,” Lucas Rossi said. He added: “Wages will rise.”"
    first, second = detect(text)
    assert text_of(text, second.speaker) == "He"
    assert second.speaker_antecedent == first.speaker
    assert text_of(text, second.speaker_antecedent) == "Lucas Rossi"


def test_it_resolves_his_office_to_the_last_named_person_not_an_organisation() -> None:
    text = (
        "Prime Minister Ana Costa said the plan was sound. The ministry said the plan was new. "
        "“Nothing will change,” his office said."
    )
    last = detect(text)[-1]
    assert text_of(text, last.speaker) == "his office"
    assert text_of(text, last.speaker_antecedent) == "Ana Costa"


def test_it_resolves_the_ministry_to_the_ministry_named_before() -> None:
    text = (
        "The Russian foreign ministry said the talks went well. "
        "Maria Alvarez said she agreed. The ministry said the talks would resume."
    )
    last = detect(text)[-1]
    assert text_of(text, last.speaker_antecedent) == "The Russian foreign ministry"


def test_it_gives_no_antecedent_to_a_named_speaker_or_a_new_one() -> None:
    text = "Maria Alvarez said the plan was sound. “We disagree,” a spokesperson said."
    assert [d.speaker_antecedent for d in detect(text)] == [None, None]


def test_it_attributes_a_following_quote_only_sentence_to_the_same_speaker() -> None:
    # Without rule "multi" (which joins them into one claim of two fragments).
    text = "“We will not back down,” Omar Haddad said. “This is our land.”"
    first, second = detect(text, rules=set(RULES) - {"multi"})
    assert text_of(text, second.claim) == "This is our land"
    assert second.cue is None and second.speaker is None
    assert second.speaker_antecedent == first.speaker


# Indirect and mixed claims


def test_it_takes_the_that_clause_without_the_final_period() -> None:
    text = "Maria Alvarez, the finance minister, said that the carbon tax will create jobs."
    found = only(text)
    assert text_of(text, found.claim) == "the carbon tax will create jobs"
    assert text_of(text, found.speaker) == "Maria Alvarez"
    assert found.kind == "indirect"


def test_it_takes_a_clause_without_that() -> None:
    text = "Officials in the capital said on Monday the details would be published soon."
    found = only(text)
    assert text_of(text, found.claim) == "the details would be published soon"
    assert text_of(text, found.speaker) == "Officials in the capital"


def test_it_takes_the_words_before_a_trailing_attribution() -> None:
    text = "The death toll rose to 40, the health ministry said on Sunday."
    assert claims(text) == ["The death toll rose to 40"]


def test_it_reads_according_to_on_either_side() -> None:
    text = "According to Reuters, the talks failed. The talks resumed, according to the UN."
    found = detect(text)
    assert [text_of(text, d.claim) for d in found] == ["the talks failed", "The talks resumed"]
    assert [text_of(text, d.speaker) for d in found] == ["Reuters", "UN"]


def test_it_ends_a_clause_where_the_next_attribution_begins() -> None:
    text = "Mr. Ruiz said the town was safe after rebels claimed to have seized it."
    assert claims(text) == ["the town was safe", "to have seized it"]


def test_it_keeps_a_claim_interrupted_by_its_attribution_in_one_span() -> None:
    text = "The plan, critics said, would hurt farmers."
    found = only(text)
    assert text_of(text, found.claim) == "The plan, critics said, would hurt farmers"
    assert text_of(text, found.speaker) == "critics"


def test_it_finds_a_second_quote_after_the_attribution() -> None:
    # Without rule "split" (which joins them into one claim of two fragments).
    text = "“Prices will fall,” she said, “and wages will rise.”"
    found = detect(text, rules=set(RULES) - {"split"})
    assert [text_of(text, d.claim) for d in found] == ["Prices will fall", "and wages will rise"]


def test_it_joins_two_named_speakers() -> None:
    text = "Lavrov and Fidan said the situation was dangerous."
    assert text_of(text, only(text).speaker) == "Lavrov and Fidan"


def test_it_takes_the_quote_as_claim_and_its_short_subject_as_target() -> None:
    text = "The United States said Al Assad 'lost control of Aleppo' because of Russia."
    found = only(text)
    assert text_of(text, found.claim) == "lost control of Aleppo"
    assert text_of(text, found.target) == "Al Assad"
    assert found.kind == "direct"


def test_it_keeps_a_clause_with_a_quote_in_it_whole_as_mixed() -> None:
    text = "She said the decision showed “weakness” and a lack of nerve."
    found = only(text)
    assert text_of(text, found.claim) == "the decision showed “weakness” and a lack of nerve"
    assert found.kind == "mixed"


def test_it_does_not_report_a_source_attribution_twice() -> None:
    text = "Abbas Araghchi said he will leave Tehran for Damascus, state media said."
    found = only(text)
    assert text_of(text, found.speaker) == "Abbas Araghchi"


# Targets and entities


def test_it_takes_the_leading_noun_phrase_as_target() -> None:
    text = "“The digital services levy delivers exactly what voters asked for,” said Ana Costa."
    assert text_of(text, only(text).target) == "The digital services levy"


def test_it_prefers_an_entity_mentioned_in_the_claim_as_target() -> None:
    text = "Maria Alvarez said the plan would hurt Acme Corp badly."
    found = only(text, {"Acme Corporation": ["Acme Corp"]})
    assert text_of(text, found.target) == "Acme Corp"
    assert found.target_entity == "Acme Corporation"


def test_it_links_speakers_to_entities_by_alias_case_insensitively() -> None:
    text = "“We will respond,” WASHINGTON said. He added: “Soon.”"
    first, second = detect(text, {"United States": ["Washington"]})
    assert first.speaker_entity == "United States"
    assert second.speaker_entity is None or second.speaker_entity == "United States"


def test_it_matches_a_short_acronym_alias_only_in_capitals() -> None:
    text = "Ana Costa said the US would help us."
    found = only(text, {"United States": ["US"]})
    assert text_of(text, found.target) == "US"
    assert found.target_entity == "United States"
    assert (
        only("Ana Costa said they would help us.", {"United States": ["US"]}).target_entity is None
    )


def test_it_links_a_pronoun_speaker_through_its_antecedent() -> None:
    text = "“Prices will fall,” Bashar Al Assad said. He added: “Wages will rise.”"
    second = detect(text, {"Bashar al-Assad": []})[1]
    assert second.speaker_entity == "Bashar al-Assad"


# Stance


@pytest.mark.parametrize("verb", ["denied", "condemned", "rejected", "dismissed"])
def test_it_guesses_oppose_for_hostile_cues(verb: str) -> None:
    text = f"The minister {verb} the allegations."
    assert only(text).stance == "oppose"


@pytest.mark.parametrize("verb", ["said", "warned", "claimed", "insisted"])
def test_it_guesses_no_stance_for_neutral_cues(verb: str) -> None:
    assert only(f"“The plan will fail,” Ana Costa {verb}.").stance is None


# Offsets


@pytest.mark.parametrize(
    "prefix",
    [
        "Party 🎉🇸🇾 time.\n",
        "قال الرئيس بشار الأسد.\n",
        "Cafe\u0301 cre\u0300me. Ame\u0301lie.\r\n",
        "Line one.\r\nLine two.\r\n\r\n",
        "👩‍👩‍👧 مرحبا e\u0301\r\n",
    ],
)
def test_it_keeps_exact_offsets_after_emoji_arabic_combining_marks_and_crlf(prefix: str) -> None:
    body = "“Taxes will rise,” Maria Alvarez said.\r\nShe added that wages would fall."
    text = prefix + body
    first, second = detect(text)
    n = len(prefix)
    assert (first.claim.start, first.claim.end) == (n + 1, n + 16)
    assert (first.speaker.start, first.speaker.end) == (n + 19, n + 32)
    assert (first.cue.start, first.cue.end) == (n + 33, n + 37)
    assert text_of(text, second.claim) == "wages would fall"
    assert text_of(text, second.speaker_antecedent) == "Maria Alvarez"


def test_it_handles_names_with_combining_marks_and_arabic_in_the_quote() -> None:
    text = "“الحرب انتهت,” said the envoy Jose\u0301 Marti\u0301."
    found = only(text)
    assert text_of(text, found.claim) == "الحرب انتهت"
    assert text_of(text, found.speaker) == "Jose\u0301 Marti\u0301"


def test_it_returns_nothing_for_empty_or_claimless_text() -> None:
    assert detect("") == []
    assert detect("The sun rose over the harbour.\r\n") == []


# The seed article


def test_it_finds_the_us_claim_in_the_seed_article() -> None:
    us = next(d for d in detect(SEED) if d.claim == Span(2504, 2526))
    assert text_of(SEED, us.claim) == "lost control of Aleppo"
    assert us.speaker == Span(2459, 2476)
    assert us.cue == Span(2489, 2493)
    assert us.target == Span(2494, 2502)


def test_it_resolves_assads_office_quote_to_assad_in_the_seed_article() -> None:
    found = detect(SEED, SEED_ENTITIES)
    assad = next(d for d in found if text_of(SEED, d.claim).startswith("Syria continues"))
    assert text_of(SEED, assad.claim).endswith("no matter how intense their terrorist attacks are")
    assert text_of(SEED, assad.cue) == "quoted him as saying"
    assert text_of(SEED, assad.speaker) == "his office"
    assert text_of(SEED, assad.speaker_antecedent) == "Bashar Al Assad"
    assert assad.speaker_entity == "Bashar al-Assad"


def test_it_finds_araghchis_quote_in_the_seed_article() -> None:
    found = detect(SEED, SEED_ENTITIES)
    araghchi = next(d for d in found if text_of(SEED, d.claim).startswith("I am going"))
    assert text_of(SEED, araghchi.claim).endswith("to the Syrian government")
    assert text_of(SEED, araghchi.speaker) == "Araghchi"
    assert araghchi.speaker_entity == "Abbas Araghchi"
    assert araghchi.kind == "direct"


def test_it_finds_every_hand_annotated_seed_claim_with_its_speaker() -> None:
    record = json.loads(SEED_CLAIMS.read_text(encoding="utf-8"))
    found = detect(record["text"])
    for gold in record["annotations"][0]["claims"]:
        g = Span(gold["claim"]["start"], gold["claim"]["end"])
        s = Span(gold["speaker"]["start"], gold["speaker"]["end"])
        match = [d for d in found if d.claim.overlaps(g)]
        assert len(match) == 1, gold["claim"]["text"]
        d = match[0]
        assert any(x is not None and x.overlaps(s) for x in (d.speaker, d.speaker_antecedent))
    # … and nothing else: every suggestion is one of the hand-annotated claims.
    claims = record["annotations"][0]["claims"]
    golds = [Span(g["claim"]["start"], g["claim"]["end"]) for g in claims]
    assert all(any(d.claim.overlaps(g) for g in golds) for d in found)


def test_the_seed_annotation_file_is_valid_claims_1_with_exact_offsets() -> None:
    lines = SEED_CLAIMS.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["schema"] == "claims/1" and record["text"] == SEED
    assert record["title"] == SEED.splitlines()[0]
    for claim in record["annotations"][0]["claims"]:
        for role in ("claim", "speaker", "cue", "target"):
            span = claim[role]
            if span is not None and span["start"] is not None:
                assert SEED[span["start"] : span["end"]] == span["text"]
        assert claim["stance"] in ("support", "oppose", "neutral")
        assert claim["attributes"]["quote_type"] in ("direct", "indirect", "mixed")
    us = next(c for c in record["annotations"][0]["claims"] if c["claim"]["start"] == 2504)
    assert us == {
        "id": us["id"],
        "claim": {"start": 2504, "end": 2526, "text": "lost control of Aleppo"},
        "speaker": {
            "start": 2459,
            "end": 2476,
            "text": "The United States",
            "entity": "United States",
        },
        "cue": {"start": 2489, "end": 2493, "text": "said"},
        "stance": "oppose",
        "target": {"start": 2494, "end": 2502, "text": "Al Assad", "entity": "Bashar al-Assad"},
        "attributes": {"quote_type": "direct"},
        "note": "",
    }


def test_it_imports_without_django() -> None:
    code = (
        "import sys, annotator.suggest; sys.exit(any(m.startswith('django') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
