"""brat standoff syntax: every line kind, discontinuous spans, text checks, stray lines."""

from annotator.formats import brat

TEXT = (
    'Officials said "the road is open" on Monday.\nMore news.\n"It is safe," she added, "for now."'
)


def _at(needle: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(needle, after)
    return start, start + len(needle)


def test_it_reads_every_line_kind():
    s1, e1 = _at("It is safe,")
    s2, e2 = _at("for now.")
    cue = _at("added")
    src = _at("she")
    ann = (
        f"T1\tSource {src[0]} {src[1]}\tshe\n"
        f"T2\tCue {cue[0]} {cue[1]}\tadded\n"
        f"T3\tContent {s1} {e1};{s2} {e2}\tIt is safe, for now.\n"
        f"T4\tAttribution {cue[0]} {cue[1]}\tadded\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "R1\tSpeaker Arg1:T3 Arg2:T1\n"
        "*\tEquiv T1 T2\n"
        "A1\tStance E1 support\n"
        "M2\tNegated E1\n"
        "N1\tReference T1 Wikidata:Q5\tsomeone\n"
        "#1\tAnnotatorNotes E1\tcheck the quote marks\n"
    )
    result = brat.parse(ann, TEXT)
    assert result.problems == []
    assert result.textbounds["T3"].fragments == ((s1, e1), (s2, e2))
    assert result.events["E1"].trigger == "T4"
    assert result.events["E1"].arguments == (("Content", "T3"), ("Cue", "T2"), ("Source", "T1"))
    assert [r.type for r in result.relations] == ["Speaker", "Equiv"]
    attributes = [(a.name, a.value) for a in result.attributes]
    assert attributes == [("Stance", "support"), ("Negated", None)]
    assert result.normalizations[0].reference == "Wikidata:Q5"
    assert result.notes[0].text == "check the quote marks"
    roles = [role for role, _ in result.arguments(result.events["E1"])]
    assert roles == ["Content", "Cue", "Source"]


def test_it_writes_what_it_reads():
    s1, e1 = _at("It is safe,")
    s2, e2 = _at("for now.")
    ann = (
        f"T1\tContent {s1} {e1};{s2} {e2}\tIt is safe, for now.\n"
        "E1\tAttribution-no-source:T1 Content:T1\n"
        "A1\tStance E1 oppose\n"
        "#1\tAnnotatorNotes T1\ta note\n"
    )
    assert brat.write(brat.parse(ann, TEXT)) == ann


def test_text_running_over_lines_is_a_continuation_not_a_stray_line():
    start, end = _at('the road is open" on Monday.\nMore news.')
    ann = f"T1\tContent {start} {end}\t{TEXT[start:end]}\nT2\tCue 10 14\tsaid\n"
    assert ann.count("\n") == 3  # the span's text broke the line
    result = brat.parse(ann, TEXT)
    assert result.problems == []
    assert result.textbounds["T1"].text == TEXT[start:end]
    assert result.textbounds["T2"].line == 3
    # Written back, the text stays on one line.
    assert brat.write(result).count("\n") == 2


def test_a_stray_line_is_a_problem_naming_its_line():
    ann = "T1\tCue 10 14\tsaid\nthis is not an annotation\nT2\tSource 0 9\tOfficials\n"
    result = brat.parse(ann, TEXT)
    assert [(p.line, "not an annotation line" in p.message) for p in result.problems] == [(2, True)]
    assert set(result.textbounds) == {"T1", "T2"}


def test_it_refuses_text_that_does_not_match_the_document():
    result = brat.parse("T1\tCue 10 14\tsays\n", TEXT)
    assert result.problems[0].line == 1
    assert "does not match" in result.problems[0].message


def test_it_refuses_bad_offsets_and_unknown_references():
    ann = (
        "T1\tCue 14 10\tsaid\n"
        f"T2\tCue 10 {len(TEXT) + 5}\tsaid\n"
        "T3\tCue ten 14\tsaid\n"
        "E1\tAttribution:T9 Cue:T5\n"
        "T3\tCue 10 14\tsaid\n"
        "#1\tAnnotatorNotes T7\tlost\n"
        "T5\tCue 10 14\tsaid\n"
    )
    problems = {p.line: p.message for p in brat.parse(ann, TEXT).problems}
    assert "empty or reversed" in problems[1]
    assert "past the end" in problems[2]
    assert "expected 'Label START END" in problems[3]
    assert "unknown T9" in problems[4]
    assert "defined twice" in problems[5]
    assert "unknown T7" in problems[6]


def test_offsets_are_code_points():
    text = "🇺🇳 envoy: «قال» said\r\nok"
    start = text.index("said")
    result = brat.parse(f"T1\tCue {start} {start + 4}\tsaid\n", text)
    assert result.problems == []
    assert brat.span_text(text, result.textbounds["T1"].fragments) == "said"
