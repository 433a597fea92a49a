"""The sentence around a claim (the flat export's ``context``); no database."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annotator.context import sentence_around
from annotator.offsets import Span

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "annotator" / "fixtures" / "seed-article.txt"
).read_text(encoding="utf-8")


def context_of(text: str, claim: str, after: int = 0) -> str:
    start = text.index(claim, after)
    span = sentence_around(text, Span(start, start + len(claim)))
    return text[span.start : span.end]


def test_it_picks_the_sentence_holding_the_claim():
    text = "First sentence here. The envoy said talks were constructive. Last one."
    assert context_of(text, "talks were constructive") == (
        "The envoy said talks were constructive."
    )


def test_it_keeps_a_closing_quote_with_the_sentence():
    text = 'He spoke. The mayor said "the bridge is safe." Then he left.'
    assert context_of(text, "the bridge is safe") == 'The mayor said "the bridge is safe."'


def test_it_ends_at_a_question_or_exclamation_mark():
    text = "Is it over? They said it was! Nobody knows."
    assert context_of(text, "it was") == "They said it was!"


def test_the_first_and_last_sentences_reach_the_text_edges():
    text = "The governor said rebels took the airport"
    assert context_of(text, "took the airport") == text
    assert context_of("Rebels advanced. The end", "Rebels") == "Rebels advanced."


def test_it_stops_at_crlf_line_ends():
    text = "First line.\r\nThe mayor told reporters: the bridge is safe\r\nLast line.\r\n"
    assert context_of(text, "the bridge is safe") == "The mayor told reporters: the bridge is safe"


def test_it_stops_at_a_lone_cr_or_lf():
    assert context_of("a\rb said c\rd", "c") == "b said c"
    assert context_of("a\nb said c\nd", "c") == "b said c"


def test_a_claim_across_sentences_gets_all_of_them():
    text = "Intro. The envoy said talks were good. They will go on. Outro."
    assert context_of(text, "talks were good. They will") == (
        "The envoy said talks were good. They will go on."
    )


def test_a_claim_across_a_line_break_gets_both_lines():
    text = "Head\r\nHe said talks\r\nwill go on.\r\nTail"
    assert context_of(text, "talks\r\nwill") == "He said talks\r\nwill go on."


def test_an_abbreviation_may_split_early_but_the_claim_stays_inside():
    text = "Intro. Dr. Smith said the U.S. army left. Outro."
    context = context_of(text, "the U.S. army left")
    assert "the U.S. army left" in context
    assert context.endswith("army left.")
    assert "Intro" not in context
    assert "Outro" not in context


def test_a_claim_ending_with_the_full_stop_keeps_it():
    text = "He said the bridge is safe. Next."
    assert context_of(text, "the bridge is safe.") == "He said the bridge is safe."


def test_it_works_with_emoji_and_arabic():
    text = "قال المتحدث إن الوضع مستقر. Live 🔴🇺🇳: the envoy 🧑🏾‍💼 said talks were fine. End."
    assert (
        context_of(text, "talks were fine") == "Live 🔴🇺🇳: the envoy 🧑🏾‍💼 said talks were fine."
    )


def test_the_seed_article_context_of_the_us_claim():
    context = context_of(SEED_TEXT, "lost control of Aleppo")
    assert context.startswith("The United States, meanwhile, said Al Assad")
    assert "\n" not in context


PIECES = ["Hello", " ", ".", "!", "?", '"', "”", ")", "\r\n", "\n", "\r", "Dr.", "e\u0301", "😀"]
texts = (
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), min_size=1)
    .map("".join)
    .filter(bool)
)


@given(text=texts, data=st.data())
def test_the_context_always_holds_the_claim(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    context = sentence_around(text, Span(start, end))
    assert 0 <= context.start <= start < end <= context.end <= len(text)
    # Whitespace before a sentence and line ends after it stay out of the context.
    if context.start < start:
        assert not text[context.start].isspace()
    if context.end > end:
        assert text[context.end - 1] not in "\r\n"


def test_a_claim_right_after_a_full_stop_does_not_take_the_sentence_before():
    text = "One. Two said x. Three."
    context = sentence_around(text, Span(4, 8))  # " Two"
    assert text[context.start : context.end] == " Two said x."
