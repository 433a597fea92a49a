"""The detector's rule categories for real reporting (issue 12), each on short texts written
for these tests, with exact offsets (every span and fragment is text[start:end])."""

from __future__ import annotations

import pytest

from annotator.offsets import Span
from annotator.suggest import RULES, Detected, detect


def text_of(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start : span.end]


def check_offsets(text: str, found: list[Detected]) -> None:
    for d in found:
        for span in (d.claim, d.cue, d.speaker, d.speaker_antecedent, d.target, *d.fragments):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
        if d.fragments:
            assert d.claim == Span(d.fragments[0].start, d.fragments[-1].end)
            assert all(a.end <= b.start for a, b in zip(d.fragments, d.fragments[1:], strict=False))


def found(text: str, rules=RULES) -> list[Detected]:
    result = detect(text, rules=rules)
    check_offsets(text, result)
    return result


def without(rule: str) -> set[str]:
    return set(RULES) - {rule}


def pieces(text: str, d: Detected) -> list[str]:
    return [text_of(text, f) for f in d.fragments] or [text_of(text, d.claim)]


# "lead": an attribution after a comma reports the clause after it


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lead_takes_the_clause_after_a_comma_set_attribution(newline: str) -> None:
    text = (
        f"Intro line.{newline}At a dinner on the coast 🌊, Nora Vik said the harbour would close."
    )
    (d,) = found(text)
    assert text_of(text, d.claim) == "the harbour would close"
    assert text_of(text, d.speaker) == "Nora Vik"
    assert d.rule == "lead"
    # Without the rule, the words before the comma were taken for the claim.
    (old,) = found(text, without("lead") - {"verbless"})
    assert text_of(text, old.claim) == "At a dinner on the coast 🌊"


def test_lead_does_not_take_an_object_that_for_a_that_clause() -> None:
    text = "Experts on rivers said the new dam could change that."
    (d,) = found(text)
    assert text_of(text, d.claim) == "the new dam could change that"


def test_curly_apostrophe_auxiliaries_are_auxiliaries() -> None:
    text = "Ilse Brand said Tomas doesn’t show any interest in the port."
    (d,) = found(text)
    assert text_of(text, d.claim) == "Tomas doesn’t show any interest in the port"


# "verbs": beliefs, intentions and cues that report their object


@pytest.mark.parametrize(
    ("text", "claim", "cue"),
    [
        ("Karl Ode believes the levy is unfair.", "the levy is unfair", "believes"),
        ("The mayor wants to rebuild the pier 🏗️.", "to rebuild the pier 🏗️", "wants"),
        ("Mira Soto plans to run again next year.", "to run again next year", "plans"),
        ("Ana Ruiz called the charges baseless.", "the charges baseless", "called"),
        ("Unions called for a national strike.", "a national strike", "called for"),
        ("Jon Ek cited rising rents in the city.", "rising rents in the city", "cited"),
    ],
)
def test_verbs_reports_beliefs_intentions_and_objects(text: str, claim: str, cue: str) -> None:
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue), d.rule) == (claim, cue, "verbs")
    assert found(text, without("verbs")) == []


def test_verbs_counts_evidence_verbs_only_with_a_speaker_not_with_polls() -> None:
    assert found("Opinion polls suggest the public is split.", without("evidence")) == []
    assert found("Recent figures show a modest rise in rents.", without("evidence")) == []
    text = "Officials declined to comment on the claims."
    (d,) = found(text)
    assert text_of(text, d.claim) == "to comment on the claims"


def test_verbs_skips_a_plural_noun_after_a_verb_and_a_belief_inside_a_claim() -> None:
    text = "Lavrov held phone calls with his counterparts on Saturday."
    assert found(text) == []
    text = "She said the decision showed “weakness” and a lack of nerve."
    (d,) = found(text)
    assert text_of(text, d.claim) == "the decision showed “weakness” and a lack of nerve"


# "split": a quotation split by its attribution is one claim of two fragments


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_split_joins_a_quote_split_by_its_cue(newline: str) -> None:
    text = f"Title{newline}“We will win 🎉,” Ada Nwosu said, “and then we rebuild.”{newline}End."
    (d,) = found(text)
    assert pieces(text, d) == ["We will win 🎉", "and then we rebuild"]
    assert text_of(text, d.speaker) == "Ada Nwosu"
    assert (d.kind, d.rule) == ("direct", "split")
    before = found(text, without("split"))
    assert [pieces(text, x) for x in before] == [["We will win 🎉"], ["and then we rebuild"]]


def test_split_joins_a_clause_interrupted_by_its_attribution() -> None:
    text = "The new levy, critics said, would fail within a year."
    (d,) = found(text)
    assert pieces(text, d) == ["The new levy", "would fail within a year"]
    assert d.kind == "indirect"
    (old,) = found(text, without("split"))
    assert text_of(text, old.claim) == "The new levy, critics said, would fail within a year"


# "multi": a quotation that goes on in the next sentences


def test_multi_joins_quote_sentences_that_follow_into_one_claim() -> None:
    text = (
        "“The port is ours,” Lea Berg said on Friday. “We built it 🚢.”\r\n\r\n"
        "“Nobody will take it.” Then the meeting ended."
    )
    (d,) = found(text)
    assert pieces(text, d) == ["The port is ours", "We built it 🚢", "Nobody will take it"]
    assert text_of(text, d.speaker) == "Lea Berg"
    assert d.rule == "multi"
    assert len(found(text, without("multi"))) == 3


# "speakers": party tags and long appositions


def test_speakers_skips_a_party_tag_and_a_long_apposition() -> None:
    text = "Sen. Ola Berg (D-Ore.) said the bridge will open."
    (d,) = found(text)
    assert (text_of(text, d.speaker), d.rule) == ("Ola Berg", "speakers")
    assert found(text, without("speakers")) == []
    text = "Tom Ode, who served as envoy to Chile from 2012 until late last year, said ties grew."
    (d,) = found(text)
    assert (text_of(text, d.speaker), text_of(text, d.claim)) == ("Tom Ode", "ties grew")


# "dash" and "colon": quotations signed with a dash or introduced by a colon


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_dash_takes_the_name_that_signs_a_quote(newline: str) -> None:
    text = f"“We matter here 😀.” ― Ana Ruiz{newline}“Vote.” — Li Wei.{newline}“No.” — Li said so."
    first, second = found(text)
    assert (text_of(text, first.claim), text_of(text, first.speaker)) == (
        "We matter here 😀",
        "Ana Ruiz",
    )
    assert (text_of(text, second.claim), text_of(text, second.speaker)) == ("Vote", "Li Wei")
    assert first.rule == "dash" and text_of(text, first.cue) == "―"
    assert found(text, without("dash")) == []


def test_colon_takes_the_quote_after_a_named_subject_and_a_colon() -> None:
    text = "Rosa Lind snapped: “The plan is dead 💀.” The crowd roared: “Good.”"
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == (
        "The plan is dead 💀",
        "Rosa Lind",
    )
    assert (text_of(text, d.cue), d.rule) == ("snapped", "colon")
    assert found(text, without("colon")) == []


# "nouns": "X's claim that …", "her view is that …"


def test_nouns_takes_the_clause_of_a_possessive_noun_cue() -> None:
    text = "Ana Ruiz’s claim that rents will fall 📉 surprised.\r\nHer view is that it is fair, no."
    first, second = found(text)
    assert (text_of(text, first.speaker), text_of(text, first.cue)) == ("Ana Ruiz", "claim")
    assert text_of(text, first.claim).startswith("rents will fall 📉")
    assert (text_of(text, second.claim), text_of(text, second.speaker)) == ("it is fair", "Her")
    assert text_of(text, second.speaker_antecedent) == "Ana Ruiz"  # the last named speaker
    assert {first.rule, second.rule} == {"nouns"}
    assert found(text, without("nouns")) == []


# "stop": a quotation that ends with its own stop, then "Name asked."


def test_stop_keeps_a_question_with_its_attribution() -> None:
    text = "“Is it fair, 🤔 really?” Graham asked. Then he left."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == (
        "Is it fair, 🤔 really?",
        "Graham",
    )
    assert found(text, without("stop")) == []


def test_stop_leaves_a_new_sentence_that_reports_its_own_words() -> None:
    text = "Ana Ruiz condemned “a horrific attack.” She said she had called the police."
    claims = [text_of(text, d.claim) for d in found(text)]
    assert claims == ["a horrific attack", "she had called the police"]


def test_speakers_stop_before_a_time_and_take_a_pronoun_before_the_cue() -> None:
    text = "The plan is a disaster 🙈, said Mayor Ana Ruiz on Monday."
    (d,) = found(text)
    assert text_of(text, d.speaker) == "Ana Ruiz"
    text = "Ana Ruiz said the port was sold. Workers marched against what she called a betrayal."
    _, second = found(text)
    assert text_of(text, second.claim) == "a betrayal"
    assert (text_of(text, second.speaker), text_of(text, second.speaker_antecedent)) == (
        "she",
        "Ana Ruiz",
    )


# "passive": attribution without a source


def test_passive_takes_a_sourceless_expectation_or_report() -> None:
    text = (
        "In Oslo 🇳🇴, Ada is expected to win the vote.\r\nIt was reported that the pier will close."
    )
    first, second = found(text)
    assert (text_of(text, first.claim), text_of(text, first.cue)) == (
        "Ada is expected to win the vote",
        "is expected",
    )
    assert (text_of(text, second.claim), text_of(text, second.cue)) == (
        "the pier will close",
        "It was reported",
    )
    assert first.speaker is None and {first.rule, second.rule} == {"passive"}
    assert found(text, without("passive")) == []


# "evidence": what polls, figures and studies show (PolNeAR counts it as attribution)


def test_evidence_takes_what_a_poll_or_figures_show() -> None:
    text = "Opinion polls suggest the public remains evenly split 🗳️."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue), d.rule) == (
        "the public remains evenly split 🗳️",
        "suggest",
        "evidence",
    )
    assert text_of(text, d.speaker) == "Opinion polls"
    text = "Recent figures show a modest rise in rents."
    (d,) = found(text)
    assert (d.claim, d.rule) == (Span(20, 42), "evidence")
    assert text_of(text, d.claim) == "a modest rise in rents"


# "open": after a verb of saying, whatever follows is what was said


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Ida Berg said she'd welcome a rival.", "she'd welcome a rival"),
        ("Lars Holm said Friday he, too, wants an inquiry.", "he, too, wants an inquiry"),
        ("The firm said its $2 billion fund was gone.", "its $2 billion fund was gone"),
        ("Mona Dahl said yes and left the room.", "yes and left the room"),
        ("Per Lind said if elected he could work with them.", "if elected he could work with them"),
    ],
)
def test_open_takes_what_follows_a_verb_of_saying(text: str, claim: str) -> None:
    (d,) = found(text)
    assert (text_of(text, d.claim), d.rule) == (claim, "open")
    assert text.index(claim) == d.claim.start
    assert found(text, without("open")) == []


def test_open_leaves_a_prepositional_phrase_after_the_verb() -> None:
    assert found("Ida Berg said to the crowd on the pier.") == []
    assert found("Ida Berg wrote about the harbour.") == []


# "extra": more cues of belief, judgement and speech, kept by their precision on PolNeAR train


@pytest.mark.parametrize(
    ("text", "claim", "cue"),
    [
        ("Eva Lund expressed anger over the delay 🕰️.", "anger over the delay 🕰️", "expressed"),
        ("The council detailed the new ferry timetable.", "the new ferry timetable", "detailed"),
        ("Olaf Sand credited the crew for the rescue.", "the crew for the rescue", "credited"),
        ("Tove Ek wishes to stay on as chair.", "to stay on as chair", "wishes"),
        ("Per Lind rebutted the ferry company.", "the ferry company", "rebutted"),
        ("Per Lind focused on the harbour fees.", "the harbour fees", "focused on"),
        ("Per Lind laid out a plan for the pier.", "a plan for the pier", "laid out"),
        ("The mayor voted against the new toll.", "the new toll", "voted against"),
    ],
)
def test_extra_takes_the_object_of_more_cues(text: str, claim: str, cue: str) -> None:
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue), d.rule) == (claim, cue, "extra")
    assert d.claim.start == text.index(claim)
    assert found(text, without("extra")) == []


# "hedge": "X seemed / appears / reportedly …": the whole clause is the claim


def test_hedge_takes_the_whole_clause_of_a_seeming() -> None:
    text = "Late on Friday, the ferry company appeared ready to sell 🚢, but it kept quiet."
    (d,) = found(text)
    assert (d.claim, d.cue, d.speaker, d.rule) == (Span(16, 58), Span(34, 42), None, "hedge")
    assert text_of(text, d.claim) == "the ferry company appeared ready to sell 🚢"
    assert found(text, without("hedge")) == []
    text = "Rents have reportedly doubled since spring."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue)) == (text[:-1], "reportedly")


def test_hedge_with_a_reporting_verb_has_the_subject_as_speaker() -> None:
    text = "Kai Berg appeared to suggest that the pier was unsafe."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue), text_of(text, d.speaker)) == (
        "the pier was unsafe",
        "appeared to suggest",
        "Kai Berg",
    )
    assert d.rule == "hedge"


def test_hedge_leaves_appearing_somewhere() -> None:
    assert found("The mayor appeared on the radio and at the harbour.") == []
    assert found("Ana Ruiz and Kai Berg appeared Sunday at the harbour.") == []


def test_hedge_gives_a_named_subject_as_speaker() -> None:
    text = "Before the vote, Kai Berg seemed hopeful that the pier would open."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker), d.rule) == (
        "Kai Berg seemed hopeful that the pier would open",
        "Kai Berg",
        "hedge",
    )


# "topics": a noun cue and what it is about


def test_topics_takes_what_a_noun_cue_is_about() -> None:
    text = "Eva Lund renewed her criticism of the ferry tender 🚢 and left."
    (d,) = found(text)
    assert (d.claim, d.cue, d.rule) == (Span(34, 52), Span(21, 33), "topics")
    assert text_of(text, d.claim) == "the ferry tender 🚢"
    assert text_of(text, d.cue) == "criticism of"
    # "her" criticism is that of the sentence's subject.
    assert text_of(text, d.speaker) == "Eva Lund"
    assert found(text, without("topics")) == []
    text = "Republican criticism of the ferry tender grew."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == ("the ferry tender", "Republican")


def test_topics_takes_the_subject_of_the_verb_as_speaker() -> None:
    text = "Aid workers in the port voiced concerns about the water supply, officials noted."
    found_ = found(text)
    assert [(text_of(text, d.claim), d.rule) for d in found_] == [
        ("Aid workers in the port voiced concerns about the water supply", "base")
    ]
    text = "Kai Berg voiced concerns about the water supply."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == ("the water supply", "Kai Berg")


# "coord": the second of two verbs joined by "and" has the sentence's subject


def test_coord_takes_the_subject_of_the_first_verb() -> None:
    text = "Rosa Lind hugged the crew and said the harbour would reopen."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker), d.rule) == (
        "the harbour would reopen",
        "Rosa Lind",
        "coord",
    )
    text = "Rosa Lind said the harbour would reopen and added that fees would fall."
    first, second = found(text)
    assert (text_of(text, first.claim), text_of(text, second.claim)) == (
        "the harbour would reopen",
        "fees would fall",
    )
    assert (text_of(text, second.speaker), second.rule) == ("Rosa Lind", "coord")
    assert len(found(text, without("coord"))) == 1


# "turns": a line that opens with a name and a colon, as in a transcript


def test_turns_gives_a_line_to_the_name_before_its_colon() -> None:
    text = (
        "WALLACE: Will the mayor be there? I want to know 🙂.\r\n"
        '"PENCE: Well, the ferry is late.\nNote: all times are local.'
    )
    turn, inner, second = found(text)
    assert (turn.claim, turn.rule, text_of(text, turn.speaker)) == (Span(9, 50), "turns", "WALLACE")
    assert text_of(text, turn.claim) == "Will the mayor be there? I want to know 🙂"
    # A claim made inside the turn: its "I" is the turn's speaker.
    assert (text_of(text, inner.speaker), text_of(text, inner.speaker_antecedent)) == (
        "I",
        "WALLACE",
    )
    assert (text_of(text, second.claim), text_of(text, second.speaker)) == (
        "Well, the ferry is late",
        "PENCE",
    )
    assert [d.rule for d in found(text, without("turns"))] == ["verbs"]


def test_turns_leaves_a_dateline_in_capitals() -> None:
    assert found("OSLO: The ferry strike ended on Monday.\nIt was calm.") == []


def test_speakers_skip_leading_adverbials_and_weekdays() -> None:
    text = "On Sunday, in Oslo, Rosa Lind hugged the crew and said the harbour would reopen."
    (d,) = found(text)
    assert (d.speaker, text_of(text, d.speaker)) == (Span(20, 29), "Rosa Lind")
    (old,) = found(text, without("speakers"))
    assert text_of(text, old.speaker) == "On Sunday"
    text = "Rosa Lind Tuesday told the crew the harbour would reopen."
    (d,) = found(text)
    assert text_of(text, d.speaker) == "Rosa Lind"
    (old,) = found(text, without("speakers"))
    assert text_of(text, old.speaker) == "Rosa Lind Tuesday"


# "negated": PolNeAR counts negated attributions ("did not mention X")


def test_negated_takes_what_was_not_said() -> None:
    text = "Rosa Lind did not mention the ferry strike ⛴️."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.cue), d.rule) == (
        "the ferry strike ⛴️",
        "mention",
        "negated",
    )
    assert (d.claim.start, text_of(text, d.speaker)) == (26, "Rosa Lind")
    assert found(text, without("negated")) == []


# "according": "According to X, …" reports all that follows the comma


def test_according_takes_all_after_the_comma() -> None:
    text = "But according to a harbour survey, 70% of ferries run late."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker), d.rule) == (
        "70% of ferries run late",
        "a harbour survey",
        "according",
    )
    assert found(text, without("according")) == []


# "open": a participle after a quotation that ends with a comma inside it


def test_open_takes_a_participle_after_a_quoted_comma() -> None:
    text = "Ana Ruiz praised the “harbour plan,” saying it would create jobs."
    claims = [(text_of(text, d.claim), d.rule) for d in found(text)]
    assert claims == [("harbour plan", "base"), ("it would create jobs", "open")]
    assert [text_of(text, d.claim) for d in found(text, without("open"))] == ["harbour plan"]


# "nested": a claim inside a claim, for the cues PolNeAR marks there


def test_nested_takes_a_claim_inside_a_claim() -> None:
    text = "Ana Ruiz said the crew cited rising fuel costs 💸."
    outer, inner = found(text)
    assert (outer.claim, text_of(text, outer.speaker), outer.rule) == (
        Span(14, 48),
        "Ana Ruiz",
        "base",
    )
    assert (inner.claim, text_of(text, inner.speaker), inner.rule) == (
        Span(29, 48),
        "the crew",
        "nested",
    )
    assert text_of(text, inner.claim) == "rising fuel costs 💸"
    assert found(text, without("nested")) == [outer]
    # Not for beliefs, which PolNeAR rarely marks inside a claim.
    assert len(found("Ana Ruiz said the crew wants a raise.")) == 1


# "relative": "X, who said …": the speaker is "who", standing for X


def test_relative_takes_who_and_what_it_refers_to() -> None:
    text = "The plan drew fire from Ana Ruiz, who has repeatedly said the port is too small 🚢."
    (d,) = found(text)
    assert (d.claim, d.speaker, d.speaker_antecedent, d.rule) == (
        Span(58, 81),
        Span(34, 37),
        Span(24, 32),
        "relative",
    )
    assert text_of(text, d.claim) == "the port is too small 🚢"
    assert (text_of(text, d.speaker), text_of(text, d.speaker_antecedent)) == ("who", "Ana Ruiz")
    assert found(text, without("relative")) == []


def test_speakers_refuse_a_verb_phrase_as_subject_and_take_many() -> None:
    text = "Ana Ruiz will feed the crews worried about the storm."
    assert [text_of(text, d.speaker) for d in found(text, without("speakers"))] == [
        "feed the crews"
    ]
    assert all(text_of(text, d.speaker) != "feed the crews" for d in found(text))
    text = "Many fear the pier will close."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == ("the pier will close", "Many")
    assert found(text, without("speakers")) == []


# "contracted": "He’s predicting …", "they’ve said …": a pronoun and its auxiliary in one word


def test_contracted_takes_the_pronoun_as_speaker() -> None:
    text = "Ana Ruiz said the port is busy. She’s predicting a record year 📈."
    first, second = found(text)
    assert (second.claim, second.speaker, second.rule) == (Span(49, 64), Span(32, 35), "contracted")
    assert text_of(text, second.claim) == "a record year 📈"
    assert text_of(text, second.speaker_antecedent) == "Ana Ruiz"
    assert found(text, without("contracted")) == [first]


# "quotes": a quotation opened with a straight mark and closed with a curly one


def test_quotes_pairs_mixed_marks() -> None:
    text = 'Ana Ruiz said, "The port will close next year.” Then she left.'
    (d,) = found(text)
    assert (d.claim, d.kind, d.rule) == (Span(16, 45), "direct", "quotes")
    assert text_of(text, d.claim) == "The port will close next year"
    assert found(text, without("quotes")) == []


def test_lead_takes_a_quotation_after_a_comma_set_attribution() -> None:
    text = "In his tribute, Ola Berg said “the port is the heart of the town.”"
    (d,) = found(text)
    assert (d.claim, d.kind, d.rule) == (Span(31, 64), "direct", "lead")
    (old,) = found(text, without("lead") - {"verbless"})
    assert text_of(text, old.claim) == "In his tribute"


def test_open_looks_past_a_phrase_for_that() -> None:
    text = "Ola Berg said on the radio show “Port Talk” that the ferry was late."
    (d,) = found(text)
    assert (d.claim, d.rule) == (Span(49, 67), "open")
    assert text_of(text, d.claim) == "the ferry was late"
    assert found(text, without("open")) == []


# "coref": "he" after a named subject of its own sentence is that subject


def test_coref_resolves_he_to_the_subject_of_its_sentence() -> None:
    text = "Ana Ruiz said the port is busy. Kai Berg came to the pier, where he said it was late."
    _, second = found(text)
    assert (text_of(text, second.speaker), second.speaker_antecedent) == ("he", Span(32, 40))
    assert text_of(text, second.speaker_antecedent) == "Kai Berg"
    _, old = found(text, without("coref"))
    assert text_of(text, old.speaker_antecedent) == "Ana Ruiz"


# "infinitive": "went on to say …", "would only say …", "47% say …"


@pytest.mark.parametrize(
    ("text", "claim", "speaker"),
    [
        ("Kai Berg went on to say the pier was unsafe.", "the pier was unsafe", "Kai Berg"),
        ("Kai Berg would only say that the pier was shut.", "the pier was shut", "Kai Berg"),
        ("Nearly 47% say the pier is unsafe.", "the pier is unsafe", "47%"),
    ],
)
def test_infinitive_takes_what_to_say_reports(text: str, claim: str, speaker: str) -> None:
    (d,) = found(text)
    assert (text_of(text, d.claim), d.rule) == (claim, "infinitive")
    assert speaker in text_of(text, d.speaker)
    assert found(text, without("infinitive")) == []


# "verbless": words with no verb before a trailing attribution are an adverbial, not a claim


def test_verbless_drops_an_adverbial_before_the_attribution() -> None:
    text = "On Saturday, Kai Berg wrote on the blog: “The pier is unsafe.”"
    (d,) = found(text)
    assert (d.claim, text_of(text, d.speaker)) == (Span(42, 60), "Kai Berg")
    assert [text_of(text, d.claim) for d in found(text, without("verbless"))] == [
        "On Saturday",
        "The pier is unsafe",
    ]
    # "open" looks past "on the blog" for the colon; without it, rule "colon" finds the quote.
    assert [d.rule for d in found(text, without("open"))] == ["colon"]


def test_relative_claim_ends_at_the_comma_and_the_main_verb_keeps_its_subject() -> None:
    text = "An aide to the mayor, who requested anonymity to discuss it, said the pier would close."
    relative, main = found(text)
    assert (text_of(text, relative.claim), relative.rule) == ("anonymity to discuss it", "relative")
    assert (text_of(text, main.claim), text_of(text, main.speaker)) == (
        "the pier would close",
        "the mayor",
    )
    (old,) = found(text, without("speakers"))
    assert text_of(text, old.speaker) == "the pier"


@pytest.mark.parametrize(
    ("text", "old_speaker"),
    [
        ("Cory Lund, 22, of Tromsø, Nor., said the pier was unsafe.", "Tromsø"),
        ("Cory Lund, during a visit to Bergen, Norway, said the pier was unsafe.", "Bergen"),
        ("Cory Lund, facing a challenge in Oslo, a port city, said the pier was unsafe.", "Oslo"),
    ],
)
def test_speakers_look_past_pieces_of_an_apposition(text: str, old_speaker: str) -> None:
    (d,) = found(text)
    assert (d.speaker, text_of(text, d.speaker)) == (Span(0, 9), "Cory Lund")
    (old,) = found(text, without("speakers"))
    assert text_of(text, old.speaker) == old_speaker


def test_speakers_skip_a_dateline_before_the_subject() -> None:
    text = "OSLO (AP) — Ana Ruiz has taken a swipe at the ferry plan, saying it will fail."
    (d,) = found(text)
    assert (text_of(text, d.claim), text_of(text, d.speaker)) == ("it will fail", "Ana Ruiz")
    (old,) = found(text, without("speakers"))
    assert text_of(text, old.speaker) == "OSLO"


def test_lead_leaves_a_quote_before_the_attribution_and_a_quoted_title_after_it() -> None:
    text = "“Is the pier unsafe?” Ana Ruiz told the radio station in an interview aired Monday."
    (d,) = found(text)
    assert (text_of(text, d.claim), d.rule) == ("Is the pier unsafe?", "base")
    text = "The plan would cost $2 billion, according to the “Harbour for all” report."
    (d,) = found(text)
    assert text_of(text, d.claim) == "The plan would cost $2 billion"


# "asked": the question put to someone is a claim


@pytest.mark.parametrize(
    ("text", "question", "asker"),
    [
        ("Asked whether he would run, Per Lind said he would not.", "whether he would run", None),
        ("Asked by Vik if the pier “is safe,” Per Lind said no.", "if the pier “is safe,”", "Vik"),
        ("Per Lind was asked about the ferry fees 🚢.", "the ferry fees 🚢", None),
    ],
)
def test_asked_takes_the_question(text: str, question: str, asker: str | None) -> None:
    d = found(text)[0]
    assert (text_of(text, d.claim), d.rule, text_of(text, d.speaker)) == (question, "asked", asker)
    assert d.claim.start == text.index(question)
    assert all(d.rule != "asked" for d in found(text, without("asked")))


def test_asked_the_answer_follows_the_attribution() -> None:
    text = "Asked whether he would run, Per Lind said he would not."
    claims = [(text_of(text, d.claim), text_of(text, d.speaker), d.rule) for d in found(text)]
    assert claims == [
        ("whether he would run", None, "asked"),
        ("he would not", "Per Lind", "asked"),
    ]
    old = [text_of(text, d.claim) for d in found(text, without("asked"))]
    assert old == ["he would not"]  # (by rule "lead"), and no question


@pytest.mark.parametrize(
    ("text", "old_speaker"),
    [
        ('Here in Bergen, Ana Ruiz stepped up her push on the pier, saying, "We act."', "Bergen"),
        ("In a statement released Thursday, Ana Ruiz reacted, saying: “It is bad.”", "Thursday"),
    ],
)
def test_speakers_give_a_participle_the_sentence_subject(text: str, old_speaker: str) -> None:
    last = found(text)[-1]
    assert text_of(text, last.speaker) == "Ana Ruiz"
    assert text_of(text, found(text, without("speakers"))[-1].speaker) == old_speaker
    # "a statement" after "In" is no subject of "released".
    assert all(text_of(text, d.speaker) != "a statement" for d in found(text))


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Lena Holm held up a sign saying “Save the pier.”", "Save the pier"),
        ("The town is saying wait a minute, the pier is ours.", "wait a minute, the pier is ours"),
    ],
)
def test_open_takes_what_saying_reports_after_a_noun_or_is(text: str, claim: str) -> None:
    (d,) = found(text)
    assert (text_of(text, d.claim), d.rule) == (claim, "open")
    assert d.claim.start == text.index(claim)
    assert found(text, without("open")) == []


def test_states_and_continues_are_cues_only_before_that() -> None:
    assert found("Other states have ferry rules too.") == []
    assert found("The mayor continues to run the ferry.") == []
    text = "The charter states that the pier is public."
    (d,) = found(text)
    assert text_of(text, d.claim) == "the pier is public"
