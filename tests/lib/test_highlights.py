"""The article as highlighted HTML segments: coverage, UTF-16 offsets, classes, escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.highlights import (
    BLOCK,
    Mark,
    block_starts,
    blocks_of,
    render,
    shown_text,
    span_marks,
)

# Pieces that are hard on offsets: astral emoji, a ZWJ family, Arabic, combining marks,
# every kind of line break, and markup that must come out escaped.
PIECES = [
    "😀",
    "👨‍👩‍👧",
    "قال المتحدث",
    "e\u0301",
    "\r\n",
    "\n",
    "\r",
    "<b>",
    "&amp;",
    "The envoy said ",
    " ",
    '"',
]
OWNERS = ["c1", "c2", "c3", "c4", "s1", "s2"]
ROLES = ["claim", "speaker", "cue", "target"]


def u16(text: str, i: int) -> int:
    """The UTF-16 offset of code point ``i``, the way a browser counts."""
    return len(text[:i].encode("utf-16-le")) // 2


class _Segments(HTMLParser):
    """Collects the ``<span>`` pieces inside the blocks as (attributes, unescaped text), and
    the blocks as (id, pieces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[tuple[dict[str, str], str]] = []
        self.lines: list[tuple[str, int]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag == "span", tag
        found = dict(attrs)
        if self.depth == 0:
            assert found["class"] == "block", "every piece is inside a block"
            self.lines.append((found["id"], 0))
        else:
            assert self.depth == 1, "segments never nest"
            self.segments.append((found, ""))
            line, pieces = self.lines[-1]
            self.lines[-1] = (line, pieces + 1)
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        assert tag == "span"
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        assert self.depth == 2, f"text outside a segment: {data!r}"
        attrs, text = self.segments[-1]
        self.segments[-1] = (attrs, text + data)


def segments(html: str) -> list[tuple[dict[str, str], str]]:
    parser = _Segments()
    parser.feed(html)
    parser.close()
    return parser.segments


def walk(text: str, html: str) -> list[tuple[int, int, dict[str, str]]]:
    """Check every segment against the text; return (start, end, attributes) per segment.

    Every character is in exactly one segment, in order; line breaks are "\\n" pieces of
    class ``nl`` whose ``data-n`` is their UTF-16 length; ``data-u`` is the UTF-16 offset.
    """
    pos = 0
    out = []
    for attrs, shown in segments(html):
        assert int(attrs["data-u"]) == u16(text, pos)
        classes = attrs.get("class", "").split()
        if "nl" in classes:
            assert shown == "\n"
            length = 2 if text.startswith("\r\n", pos) else 1
            assert text[pos : pos + length] in ("\r\n", "\n", "\r")
            assert int(attrs["data-n"]) == u16(text[pos : pos + length], length)
        else:
            assert "data-n" not in attrs
            length = len(shown)
            assert length > 0
            assert text[pos : pos + length] == shown
            assert "\r" not in shown and "\n" not in shown
        out.append((pos, pos + length, attrs))
        pos += length
    assert pos == len(text)
    return out


def expected_attributes(marks: list[Mark], at: int) -> tuple[set[str], str | None]:
    """The classes (without ``nl``) and data-owners of a segment starting at ``at``."""
    active = [m for m in marks if m.start <= at < m.end]
    classes = {("s-" if m.owner.startswith("s") else "h-") + m.role for m in active}
    depth = sum(1 for m in set(active) if m.role == "claim" and m.owner.startswith("c"))
    if depth > 1:
        classes.add(f"depth-{min(depth, 3)}")
    owners = " ".join(sorted({m.owner for m in active})) or None
    return classes, owners


def check_classes(text: str, marks: list[Mark], html: str) -> None:
    for start, _end, attrs in walk(text, html):
        classes, owners = expected_attributes(marks, start)
        assert set(attrs.get("class", "").split()) - {"nl"} == classes
        assert attrs.get("data-owners") == owners


def _off_crlf(text: str, offset: int) -> int:
    """Move an offset that falls between the CR and LF of a CRLF to the CR."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


@st.composite
def text_and_marks(draw) -> tuple[str, list[Mark]]:
    text = "".join(
        draw(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=25))
    )
    marks = []
    if text:
        for _ in range(draw(st.integers(0, 8))):
            a = _off_crlf(text, draw(st.integers(0, len(text))))
            b = _off_crlf(text, draw(st.integers(0, len(text))))
            if a != b:
                owner, role = draw(st.sampled_from(OWNERS)), draw(st.sampled_from(ROLES))
                marks.append(Mark(owner, role, min(a, b), max(a, b)))
    return text, marks


@settings(max_examples=300, deadline=None)
@given(text_and_marks())
def test_every_character_is_in_exactly_one_segment_with_its_utf16_offset(case) -> None:
    text, marks = case
    html = render(text, marks)
    shown = "".join(piece for _, piece in segments(html))
    assert shown == text.replace("\r\n", "\n").replace("\r", "\n")
    check_classes(text, marks, html)


def test_it_renders_nothing_for_an_empty_text() -> None:
    assert render("", []) == ""


def test_data_u_counts_utf16_units_past_emoji_arabic_and_combining_marks() -> None:
    text = "😀 قال e\u0301 👨‍👩‍👧 The envoy said peace."
    start = text.index("The envoy")
    html = render(text, [Mark("c1", "claim", start, start + 9)])
    parts = walk(text, html)
    assert [(s, e) for s, e, _ in parts] == [(0, start), (start, start + 9), (start + 9, len(text))]
    claim = parts[1][2]
    assert int(claim["data-u"]) == len(text[:start].encode("utf-16-le")) // 2
    # The emoji count twice, the family (3 emoji + 2 joiners) 8 times: UTF-16 ≠ code points.
    assert int(claim["data-u"]) == start + 1 + 3
    assert claim["class"] == "h-claim"


@pytest.mark.parametrize(
    ("newline", "n"), [("\r\n", 2), ("\n", 1), ("\r", 1), ("\u2028", None)], ids=repr
)
def test_each_line_break_is_its_own_piece_with_its_utf16_length(newline, n) -> None:
    text = f"ab{newline}cd"
    html = render(text, [])
    if n is None:
        # Only CR and LF break lines; other separators are ordinary text.
        assert segments(html) == [({"data-u": "0"}, text)]
        return
    assert segments(html) == [
        ({"data-u": "0"}, "ab"),
        ({"class": "nl", "data-u": "2", "data-n": str(n)}, "\n"),
        ({"data-u": str(2 + n)}, "cd"),
    ]


def test_a_span_across_a_line_break_highlights_the_break_too() -> None:
    text = "one\r\ntwo"
    html = render(text, [Mark("c1", "claim", 1, 6)])
    assert segments(html) == [
        ({"data-u": "0"}, "o"),
        ({"class": "h-claim", "data-u": "1", "data-owners": "c1"}, "ne"),
        ({"class": "nl h-claim", "data-u": "3", "data-n": "2", "data-owners": "c1"}, "\n"),
        ({"class": "h-claim", "data-u": "5", "data-owners": "c1"}, "t"),
        ({"data-u": "6"}, "wo"),
    ]


def test_a_boundary_inside_a_crlf_still_shows_one_line_break() -> None:
    text = "ab\r\ncd"
    html = render(text, [Mark("c1", "claim", 0, 3)])
    assert "".join(piece for _, piece in segments(html)) == "ab\ncd"


def test_overlapping_claims_of_one_annotator_are_marked_depth_2() -> None:
    text = "0123456789"
    marks = [Mark("c1", "claim", 0, 6), Mark("c2", "claim", 4, 10)]
    parts = walk(text, render(text, marks))
    assert [(s, e, a.get("class"), a.get("data-owners")) for s, e, a in parts] == [
        (0, 4, "h-claim", "c1"),
        (4, 6, "h-claim depth-2", "c1 c2"),
        (6, 10, "h-claim", "c2"),
    ]


def test_nesting_deeper_than_three_stays_depth_3() -> None:
    text = "abcdefghij"
    marks = [Mark(f"c{i}", "claim", i, 10 - i) for i in range(1, 5)]
    html = render(text, marks)
    check_classes(text, marks, html)
    middle = next(a for a, t in segments(html) if t == "ef")
    assert middle["class"] == "h-claim depth-3"
    assert middle["data-owners"] == "c1 c2 c3 c4"


def test_speaker_cue_and_target_inside_a_claim_keep_their_own_classes() -> None:
    text = "The United States said Al Assad lost control"
    speaker, cue, target = (0, 17), (18, 22), (23, 31)
    marks = [
        Mark("c1", "claim", 0, len(text)),
        Mark("c1", "speaker", *speaker),
        Mark("c1", "cue", *cue),
        Mark("c1", "target", *target),
    ]
    html = render(text, marks)
    check_classes(text, marks, html)
    by_text = {piece: attrs for attrs, piece in segments(html)}
    assert by_text["The United States"]["class"] == "h-claim h-speaker"
    assert by_text["said"]["class"] == "h-claim h-cue"
    assert by_text["Al Assad"]["class"] == "h-claim h-target"
    # One claim with its own roles is not "nested": no depth class.
    assert all("depth" not in attrs.get("class", "") for attrs, _ in segments(html))


def test_suggestions_are_marked_s_and_do_not_count_towards_depth() -> None:
    text = "abcdef"
    marks = [Mark("c1", "claim", 0, 4), Mark("s7", "claim", 2, 6), Mark("s7", "speaker", 4, 6)]
    parts = walk(text, render(text, marks))
    assert [(a.get("class"), a.get("data-owners")) for _, _, a in parts] == [
        ("h-claim", "c1"),
        ("h-claim s-claim", "c1 s7"),
        ("s-claim s-speaker", "s7"),
    ]


def test_markup_in_the_text_is_escaped() -> None:
    text = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
    html = render(text, [Mark("c1", "claim", 0, 8)])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;" in html
    assert "".join(piece for _, piece in segments(html)) == text


def test_each_line_is_a_block_and_a_partial_render_gives_only_the_blocks_asked_for() -> None:
    text = "One said this.\r\nTwo said “that\nand more”.\nThree."
    marks = [Mark("c1", "claim", text.index("that"), text.index("more") + 4)]
    parser = _Segments()
    parser.feed(render(text, marks))
    assert [block for block, _ in parser.lines] == ["block-0", "block-1", "block-2", "block-3"]
    assert blocks_of(text, [(marks[0].start, marks[0].end)]) == {1, 2}
    assert blocks_of(text, [(0, 3), (len(text) - 1, len(text))]) == {0, 3}
    part = render(text, marks, only={1, 2}, attrs=' hx-swap-oob="true"')
    whole = render(text, marks)
    assert part.count('hx-swap-oob="true"') == 2
    # The partial blocks are the whole render's blocks 1 and 2, piece for piece.
    assert part.replace(' hx-swap-oob="true"', "") in whole
    assert part.startswith('<span class="block" id="block-1" hx-swap-oob="true">')


def test_a_long_paragraph_is_cut_into_blocks_at_spaces() -> None:
    text = " ".join(["word"] * 1000)  # 4,999 characters, no line break
    starts = block_starts(text)
    assert len(starts) == len(text) // BLOCK + 1 or len(starts) == len(text) // BLOCK
    assert all(text[s - 1] == " " for s in starts[1:])
    assert all(BLOCK < b - a <= BLOCK + 5 for a, b in pairwise(starts))
    middle = text.index("word", 2500)
    assert len(blocks_of(text, [(middle, middle + 4)])) == 1
    walk(text, render(text, [Mark("c1", "claim", middle, middle + 4)]))


def test_a_discontinuous_span_is_drawn_as_its_fragments_only():
    text = '"We will win," he said, "and soon."'
    first, second = (1, 13), (b := text.index("and soon."), b + len("and soon."))
    marks = span_marks("c1", "claim", first[0], second[1], [list(first), list(second)])
    html = render(text, marks)
    parser = _Segments()
    parser.feed(html)
    lit = "".join(piece for attrs, piece in parser.segments if "h-claim" in attrs.get("class", ""))
    assert lit == "We will win,and soon."
    shown = shown_text(text, 1, second[1], [list(first), list(second)])
    assert shown == "We will win, … and soon."
    assert span_marks("c1", "cue", 15, 22, None) == [Mark("c1", "cue", 15, 22)]
