"""The cue beside a marked claim and speaker."""

from __future__ import annotations

from annotator.offsets import Span
from annotator.suggest.nearby import cue_near


def spans(text: str, claim: str, speaker: str) -> tuple[Span, Span]:
    c, s = text.index(claim), text.index(speaker)
    return Span(c, c + len(claim)), Span(s, s + len(speaker))


def shown(text: str, span: Span | None) -> str | None:
    return text[span.start : span.end] if span else None


def test_it_finds_the_cue_between_a_speaker_and_the_claim_after_it() -> None:
    text = "The United States, meanwhile, said Al Assad 'lost control of Aleppo'."
    claim, speaker = spans(text, "lost control of Aleppo", "The United States")
    assert shown(text, cue_near(text, claim, speaker)) == "said"


def test_it_finds_the_cue_after_a_speaker_who_follows_the_quote() -> None:
    text = "“I am going to Damascus,” Araghchi said, emphasising Tehran will help."
    claim, speaker = spans(text, "I am going to Damascus", "Araghchi")
    assert shown(text, cue_near(text, claim, speaker)) == "said"


def test_it_finds_an_inverted_cue_before_the_speaker() -> None:
    text = "“We will stay,” said the minister on Sunday."
    claim, speaker = spans(text, "We will stay", "the minister")
    assert shown(text, cue_near(text, claim, speaker)) == "said"


def test_it_proposes_nothing_without_a_verb_of_saying_or_across_a_paragraph() -> None:
    text = "The minister, in Aleppo, the city of\nrebels 'lost control' he said."
    claim, speaker = spans(text, "lost control", "The minister")
    assert cue_near(text, claim, speaker) is None
    text = "The minister on Sunday: 'no comment'."
    claim, speaker = spans(text, "no comment", "The minister")
    assert cue_near(text, claim, speaker) is None
