"""The trained suggester's pure core: features, training, links, decoding, serialising,
scoring."""

from __future__ import annotations

import random

import pytest

from annotator.suggest import detect
from annotator.suggest.learned import link
from annotator.suggest.learned import model as learned
from annotator.suggest.learned.features import analyse
from annotator.suggest.learned.scoring import Found, Tally, Truth, intervals, match
from tests.learned_corpus import NAMES, PREDICATES, SUBJECTS, documents

DOCS = documents(40)


def _examples(docs):
    return [
        learned.Example(
            d.text, [learned.GoldClaim(tuple(p), (sp,), (cue,)) for p, sp, cue in d.claims]
        )
        for d in docs
    ]


@pytest.fixture(scope="module")
def model() -> learned.Model:
    return learned.load(learned.train(_examples(DOCS[:30])))


def _tally(docs, suggest) -> Tally:
    tally = Tally()
    for d in docs:
        truths = [Truth((p[0][0], p[-1][1]), sp) for p, sp, _ in d.claims]
        found = [
            Found(
                (s.claim.start, s.claim.end),
                tuple((x.start, x.end) for x in (s.speaker, s.speaker_antecedent) if x),
            )
            for s in suggest(d.text)
        ]
        tally.add(truths, found)
    return tally


def test_trained_on_a_teams_claims_it_finds_them_on_held_out_documents(model):
    trained = _tally(DOCS[30:], model.predict)
    rules = _tally(DOCS[30:], detect)
    assert trained.precision >= 0.9 and trained.recall >= 0.9
    assert trained.speaker >= 0.9
    # The team's own kind of claim ("In X's reading, …") is one the rules do not know.
    assert trained.f1 > rules.f1


def test_it_learns_the_teams_own_cue_with_exact_offsets(model):
    text = "The hall was full. In Nora Vance's reading, the night bus was badly designed."
    [found] = model.predict(text)
    assert text[found.claim.start : found.claim.end] == "the night bus was badly designed"
    assert text[found.speaker.start : found.speaker.end] == "Nora Vance"
    assert text[found.cue.start : found.cue.end] == "reading"
    assert found.kind == "indirect"


def test_a_quote_split_by_its_cue_is_one_claim_of_two_fragments(model):
    text = "“The dam,” Zoe Adler said, “will hold through the winter.”"
    [found] = model.predict(text)
    assert [text[f.start : f.end] for f in found.fragments] == [
        "The dam",
        "will hold through the winter",
    ]
    assert (found.claim.start, found.claim.end) == (
        found.fragments[0].start,
        found.fragments[-1].end,
    )
    assert text[found.speaker.start : found.speaker.end] == "Zoe Adler"


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "Omar Reyes said that the 🚋 tram line 👍🏽 will open before the summer.\r\nDone.",
            "the 🚋 tram line 👍🏽 will open before the summer",
        ),
        (
            "Aisha Bello said that the café\u0301 tax helps every household.",
            "the café\u0301 tax helps every household",
        ),
        (
            "Tariq Haddad said that مشروع الميناء will cost more than planned.",
            "مشروع الميناء will cost more than planned",
        ),
    ],
)
def test_every_span_is_a_slice_of_the_text(model, text, claim):
    found_all = model.predict(text)
    assert [text[f.claim.start : f.claim.end] for f in found_all] == [claim]
    for found in found_all:
        spans = [found.claim, *found.fragments, found.cue, found.speaker, found.target]
        for span in filter(None, spans):
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end].strip() == text[span.start : span.end]
    assert model.predict("") == []


def test_the_model_travels_as_bytes(model):
    again = learned.load(bytes(model.blob))
    text = DOCS[35].text
    assert again.predict(text) == model.predict(text)
    with pytest.raises(ValueError):
        learned.load(b"not a model")
    with pytest.raises(ValueError):
        learned.load(model.blob[:-10])


def test_training_reports_its_progress():
    seen = []
    learned.train(
        _examples(DOCS[:3]), progress=lambda *a: seen.append(a), params={"max_iterations": 5}
    )
    stages = [s for s, _, _ in seen]
    assert stages[:3] == ["features"] * 3 and "claims" in stages and "links" in stages
    assert seen[2] == ("features", 3, 3)


def test_the_matcher_pairs_one_to_one_by_overlap():
    # Two found spans overlap one true claim: the closer one is its match, the other is extra.
    assert match([(0, 10)], [(0, 4), (0, 9)]) == [(0, 1)]
    assert match([(0, 10), (20, 30)], [(5, 25)]) == [(0, 0)]
    assert match([(0, 10)], [(10, 20)]) == []
    tally = Tally()
    tally.add([Truth((0, 10), (12, 15)), Truth((20, 30), None)], [Found((0, 9), ((12, 14),))])
    assert (tally.precision, tally.recall, tally.speaker) == (1.0, 0.5, 1.0)


def test_a_bootstrap_interval_brackets_the_figure_and_narrows_with_more_documents():
    def document(hits: int, truth: int = 4) -> Tally:
        return Tally(truth=truth, found=truth, hits=hits, speaker_total=hits, speaker_ok=hits // 2)

    few = [document(h) for h in (4, 1, 3, 2)]
    many = few * 25
    total = Tally.total(few)
    small, large = intervals(few), intervals(many)
    for name in ("f1", "speaker"):
        low, high = small[name]
        assert low <= round(getattr(total, name), 3) <= high and low < high
        assert small[name][0] < large[name][0] and large[name][1] < small[name][1]
    assert intervals(few) == small  # seeded: the same documents, the same answer
    # Where nothing can be scored there is no interval, not a made-up one.
    assert intervals([Tally(truth=3)])["speaker"] is None
    assert intervals([]) == {"f1": None, "speaker": None}


def test_a_claims_link_window_is_its_sentences_and_its_tags_mark_speaker_and_cue():
    text = "Rain fell. Omar Reyes said that the dam will hold. The hall was full."
    analysed = analyse(text)
    at = {t.text: i for i, t in reversed(list(enumerate(analysed.tokens)))}
    claim = [(at["the"], at["hold"] + 1)]
    w0, w1 = link.window(analysed, claim)
    toks = analysed.tokens
    assert text[toks[w0].start : toks[w1 - 1].end] == "Omar Reyes said that the dam will hold."
    speaker, cue = (at["Omar"], at["Reyes"] + 1), (at["said"], at["said"] + 1)
    tags = link.labels(analysed, claim, speaker, cue)
    assert tags == ["B-S", "I-S", "B-Q", "O", "O", "O", "O", "O", "O"]
    assert len(link.features(analysed, claim)) == len(tags)
    # A speaker in another sentence is outside the window: no tag, and no error.
    assert link.labels(analysed, claim, (at["Rain"], at["Rain"] + 1), (0, 0)) == ["O"] * 9


def _letters(n: int, seed: int) -> list[learned.Example]:
    """A team for whom "A letter from X to Y argues that …" is X's claim: the name nearest
    the cue (and the rules' speaker) is Y, the wrong one."""
    rng = random.Random(seed)
    examples = []
    for _ in range(n):
        text, claims = "", []
        for _ in range(4):
            x, y = rng.sample(NAMES, 2)
            claim = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}"
            at = len(text)
            if rng.random() < 0.5:
                text += f"A letter from {x} to {y} argues that {claim}. "
                speaker = (at + len("A letter from "), at + len("A letter from ") + len(x))
                cue_at = at + len(f"A letter from {x} to {y} ")
                start = cue_at + len("argues that ")
                cue = (cue_at, cue_at + len("argues"))
            else:
                text += f"{x} said that {claim}. "
                speaker, cue = (at, at + len(x)), (at + len(x) + 1, at + len(x) + 5)
                start = at + len(f"{x} said that ")
            claims.append(learned.GoldClaim(((start, start + len(claim)),), (speaker,), (cue,)))
        examples.append(learned.Example(text.strip(), claims))
    return examples


def test_the_speaker_link_is_learned_not_the_nearest_name():
    model = learned.load(learned.train(_letters(25, seed=3)))
    text = "A letter from Lena Park to Felix Moreau argues that the museum needs a second vote."
    [rule] = detect(text)
    assert text[rule.speaker.start : rule.speaker.end] == "Felix Moreau"
    [found] = model.predict(text)
    assert text[found.claim.start : found.claim.end] == "the museum needs a second vote"
    assert text[found.speaker.start : found.speaker.end] == "Lena Park"
    assert text[found.cue.start : found.cue.end] == "argues"


def test_a_model_of_the_older_format_is_refused_with_a_reason(model):
    old = b"CLAIMCRF1" + model.blob[len(b"CLAIMCRF2") :]
    with pytest.raises(ValueError, match="older format"):
        learned.load(old)


def test_a_team_that_marks_no_speakers_gets_claims_without_them():
    examples = [
        learned.Example(e.text, [learned.GoldClaim(g.claim) for g in e.claims])
        for e in _letters(10, seed=5)
    ]
    model = learned.load(learned.train(examples))
    text = "Lena Park said that the museum needs a second vote."
    [found] = model.predict(text)
    assert text[found.claim.start : found.claim.end] == "the museum needs a second vote"
    assert found.speaker is None and found.speaker_antecedent is None


class _Tagger:
    """A claims tagger stub: its best sequence, and each token's chance of being outside."""

    def __init__(self, tags: str, outside: list[float]) -> None:
        self.tags, self.outside = list(tags), outside

    def set(self, _) -> None:
        pass

    def tag(self) -> list[str]:
        return list(self.tags)

    def marginal(self, label: str, k: int) -> float:
        assert label == "O"
        return self.outside[k]


def test_claim_runs_the_best_sequence_leaves_out_are_added_when_the_model_half_believes_them():
    run = learned.MIN_RUN
    half, sure = learned.OUTSIDE - 0.1, 0.9
    # A run of MIN_RUN half-believed tokens, one a token shorter, and one touching a claim.
    outside = [sure, *[half] * run, sure, *[half] * (run - 1), sure, half, half, 0.0]
    n = len(outside)
    analysed = analyse(" ".join(f"w{k}" for k in range(n)))
    tagger = _Tagger("O" * (n - 1) + "B", outside)
    expected = "O" + "B" + "I" * (run - 1) + "O" * (run + 3) + "B"
    assert "".join(learned.claim_tags(tagger, analysed)) == expected
    # A run exactly OUTSIDE likely to be outside stays outside.
    tagger = _Tagger("O" * n, [learned.OUTSIDE] * n)
    assert "".join(learned.claim_tags(tagger, analysed)) == "O" * n


def test_in_a_transcript_i_is_the_speaker_of_the_turn(model):
    text = (
        "WALLACE: Governor, the hall was full.\n\n"
        "PENCE: Well, I said that the museum was badly designed."
    )
    claims = {text[f.claim.start : f.claim.end]: f for f in model.predict(text)}
    found = claims["the museum was badly designed"]
    # The speaker span is the word alone, not the comma the tagger ran it on from.
    assert text[found.speaker.start : found.speaker.end] == "I"
    assert text[found.speaker_antecedent.start : found.speaker_antecedent.end] == "PENCE"


def test_a_claim_with_no_tagged_cue_gets_a_guess_from_a_model_whose_cues_are_one_word(model):
    # This team's cues are all one word: the model has no tag for a cue's second word.
    assert "B-Q" in model.taggers()[1].labels() and "I-Q" not in model.taggers()[1].labels()
    text = "Rain fell.\n\nThe dam will hold through the winter."
    analysed = analyse(text)
    at = text.index("The")
    tags = ["I" if at < t.start < len(text) - 1 else "O" for t in analysed.tokens]
    tags[[t.start for t in analysed.tokens].index(at)] = "B"
    [found] = learned.decode(analysed, tags, model.taggers()[1])
    assert text[found.claim.start : found.claim.end] == "The dam will hold through the winter"
    assert found.cue is None or text[found.cue.start : found.cue.end].isalpha()


def test_a_speaker_guessed_as_a_lone_article_is_the_noun_phrase_it_opens():
    def phrase(text: str, word: str) -> str:
        analysed = analyse(text)
        toks = analysed.tokens
        k = [t.text for t in toks].index(word)
        i, j = link.whole_phrase(analysed, (k, k + 1))
        return text[toks[i].start : toks[j - 1].end]

    assert phrase("The New York businessman says of the plan it will fail.", "The") == (
        "The New York businessman"
    )
    # It stops at a verb-like or linking word, at punctuation, and after a few words.
    assert phrase("Rain fell, and the panel has said the dam will hold.", "the") == "the panel"
    assert phrase("Rain fell. A spokesman, asked again, said no.", "A") == "A spokesman"
    assert phrase("These seven tired old union rank members", "These") == (
        "These seven tired old union rank"
    )
    # Anything but a lone article is left as the model gave it.
    assert phrase("Officials said the dam will hold.", "Officials") == "Officials"
    analysed = analyse("The mayor said the dam will hold.")
    assert link.whole_phrase(analysed, (0, 1)) == (0, 2)
    assert link.whole_phrase(analysed, (2, 3)) == (2, 3)  # "said"
