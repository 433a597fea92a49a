"""Offsets: span checks and the UTF-16 <-> code-point conversion browsers need; no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.offsets import (
    OffsetError,
    Span,
    Utf16Index,
    add_fragment,
    check_fragments,
    check_span,
    trim,
)

TEXT = "The envoy said talks were constructive."

# Pieces that are hard on offsets: astral emoji, a ZWJ family, a flag (two regional
# indicators), skin-tone modifiers, Arabic, combining marks, CRLF, CJK and plain ASCII.
PIECES = [
    "😀",
    "👨‍👩‍👧",
    "🇸🇾",
    "🧑🏾‍💼",
    "𝔸",
    "قال المتحدث",
    "e\u0301",
    "So\u0308der",
    "\r\n",
    "\n",
    "中文",
    "The envoy said ",
    " ",
    ".",
]
hard_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map(
    "".join
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- check_span -------------------------------------------------------------------------


def test_it_accepts_a_span_inside_the_text():
    assert check_span(TEXT, 4, 9) == Span(4, 9)
    assert check_span(TEXT, 0, len(TEXT)) == Span(0, len(TEXT))


def test_it_accepts_matching_given_text():
    assert check_span(TEXT, 10, 14, "said").text_in(TEXT) == "said"


def test_it_refuses_a_negative_start():
    with pytest.raises(OffsetError, match="negative"):
        check_span(TEXT, -1, 3)


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5)])
def test_it_refuses_an_end_not_after_the_start(start, end):
    with pytest.raises(OffsetError, match="greater than start"):
        check_span(TEXT, start, end)


def test_it_refuses_a_span_past_the_end():
    with pytest.raises(OffsetError, match="past the end"):
        check_span(TEXT, 0, len(TEXT) + 1)


@pytest.mark.parametrize(
    ("start", "end"), [("1", 3), (1, "3"), (1.0, 3), (1, 3.0), (None, 3), (1, None), (True, 3)]
)
def test_it_refuses_offsets_that_are_not_integers(start, end):
    with pytest.raises(OffsetError, match="integers"):
        check_span(TEXT, start, end)


def test_it_refuses_given_text_that_does_not_match():
    with pytest.raises(OffsetError, match="does not match"):
        check_span(TEXT, 10, 14, "says")


def test_an_error_is_a_value_error():
    assert issubclass(OffsetError, ValueError)


@given(text=hard_text, data=st.data())
def test_every_accepted_span_slices_its_text(text, data):
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    try:
        span = check_span(text, start, end, text[start:end] if start >= 0 else None)
    except OffsetError:
        assert not 0 <= start < end <= len(text)
    else:
        assert 0 <= span.start < span.end <= len(text)


# --- trim --------------------------------------------------------------------------------


def test_trim_drops_whitespace_at_both_ends():
    text = "a  \r\n said \t b"
    span = trim(text, Span(1, len(text) - 1))
    assert span.text_in(text) == "said"


def test_trim_keeps_a_span_without_outer_whitespace():
    assert trim(TEXT, Span(10, 14)) == Span(10, 14)


def test_trim_refuses_a_whitespace_only_selection():
    with pytest.raises(OffsetError, match="only whitespace"):
        trim("a \r\n b", Span(1, 4))


def test_span_overlaps():
    assert Span(0, 5).overlaps(Span(4, 8))
    assert not Span(0, 5).overlaps(Span(5, 8))


# --- Utf16Index --------------------------------------------------------------------------


def test_it_counts_an_astral_character_as_two_units():
    text = "a😀b"
    index = Utf16Index(text)
    assert [index.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert index.to_codepoint(3) == 2
    assert index.to_codepoint(4) == 3


def test_it_converts_offsets_in_a_flag_and_a_zwj_sequence():
    text = "🇸🇾 👨‍👩‍👧 said"
    index = Utf16Index(text)
    start = text.index("said")
    u16 = utf16_len(text[:start])
    assert index.to_utf16(start) == u16
    assert index.to_codepoint(u16) == start


def test_bmp_text_offsets_are_the_same_in_both_units():
    text = "قال e\u0301\r\n中文"
    index = Utf16Index(text)
    for i in range(len(text) + 1):
        assert index.to_utf16(i) == i == index.to_codepoint(i)


def test_it_refuses_an_offset_inside_a_surrogate_pair():
    index = Utf16Index("a😀b")
    with pytest.raises(OffsetError, match="splits a character"):
        index.to_codepoint(2)


@pytest.mark.parametrize("offset", [-1, 5])
def test_it_refuses_a_utf16_offset_outside_the_text(offset):
    with pytest.raises(OffsetError, match="outside the text"):
        Utf16Index("a😀b").to_codepoint(offset)


@pytest.mark.parametrize("offset", [-1, 4])
def test_it_refuses_a_codepoint_offset_outside_the_text(offset):
    with pytest.raises(OffsetError, match="outside the text"):
        Utf16Index("a😀b").to_utf16(offset)


@given(text=hard_text, data=st.data())
def test_codepoint_offsets_round_trip_through_utf16(text, data):
    index = Utf16Index(text)
    i = data.draw(st.integers(0, len(text)))
    u16 = index.to_utf16(i)
    assert u16 == utf16_len(text[:i])
    assert index.to_codepoint(u16) == i


@given(text=hard_text)
def test_every_utf16_offset_maps_back_or_splits_a_pair(text):
    """Each UTF-16 offset is a character boundary that round-trips, or inside a pair."""
    index = Utf16Index(text)
    encoded = text.encode("utf-16-le")
    units = [int.from_bytes(encoded[k : k + 2], "little") for k in range(0, len(encoded), 2)]
    for u16 in range(len(units) + 1):
        # A low surrogate is the second half of a pair: an offset there splits a character.
        inside_pair = u16 < len(units) and 0xDC00 <= units[u16] <= 0xDFFF
        if inside_pair:
            with pytest.raises(OffsetError):
                index.to_codepoint(u16)
        else:
            i = index.to_codepoint(u16)
            assert index.to_utf16(i) == u16
            assert encoded[: 2 * u16].decode("utf-16-le") == text[:i]


@given(text=hard_text, data=st.data())
def test_a_browser_selection_maps_to_the_same_text(text, data):
    """What the browser selected (UTF-16 units) is what the server slices (code points)."""
    index = Utf16Index(text)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    start16, end16 = index.to_utf16(i), index.to_utf16(j)
    browser_text = text.encode("utf-16-le")[2 * start16 : 2 * end16].decode("utf-16-le")
    assert text[index.to_codepoint(start16) : index.to_codepoint(end16)] == browser_text


# --- fragments (discontinuous spans) ----------------------------------------------------

QUOTE = '"We will win," he said, "and soon."'


def piece(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def test_fragments_give_the_outer_extent_and_their_pieces():
    outer, fragments = check_fragments(
        QUOTE, [piece(QUOTE, "We will win,"), piece(QUOTE, "and soon.")]
    )
    assert outer.text_in(QUOTE) == 'We will win," he said, "and soon.'
    assert [f.text_in(QUOTE) for f in fragments] == ["We will win,", "and soon."]


def test_one_fragment_is_a_plain_span():
    outer, fragments = check_fragments(QUOTE, [piece(QUOTE, "he said")], 15, 22)
    assert (outer, fragments) == (Span(15, 22), ())


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        ([], "non-empty list"),
        ([{"start": 20, "end": 25}, {"start": 1, "end": 5}], "text order"),
        ([{"start": 1, "end": 10}, {"start": 5, "end": 12}], "overlaps"),
        ([{"start": 1, "end": 5}, {"start": 6, "end": 99}], "fragment 2: end 99 is past"),
        ([{"start": 1, "end": 5, "text": "nope"}], "fragment 1: text 'nope'"),
        ("1-5", "non-empty list"),
    ],
)
def test_it_refuses_bad_fragments(pieces, message):
    with pytest.raises(OffsetError, match=message):
        check_fragments(QUOTE, pieces)


def test_the_outer_extent_must_match_start_and_end_when_given():
    pieces = [piece(QUOTE, "We will win,"), piece(QUOTE, "and soon.")]
    with pytest.raises(OffsetError, match="outer extent"):
        check_fragments(QUOTE, pieces, 0, 5)
    with pytest.raises(OffsetError, match="does not match"):
        check_fragments(QUOTE, pieces, given_text="We will win, and soon.")


def test_adding_a_fragment_keeps_pieces_apart_and_merges_overlaps():
    first, second = Span(1, 13), Span(24, 33)
    outer, fragments = add_fragment(first, (), second)
    assert (outer, fragments) == (Span(1, 33), (first, second))
    # A piece overlapping one already there extends it.
    outer, fragments = add_fragment(outer, fragments, Span(10, 16))
    assert fragments == (Span(1, 16), second)
    # A piece covering everything leaves one span without fragments.
    assert add_fragment(outer, fragments, Span(0, 34)) == (Span(0, 34), ())


@given(hard_text, st.data())
def test_every_fragment_satisfies_the_offset_invariant(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)
    pieces = [{"start": a, "end": b, "text": text[a:b]} for a, b in pairs if a < b]
    if not pieces:
        return
    outer, fragments = check_fragments(text, pieces)
    assert outer.text_in(text) == text[pieces[0]["start"] : pieces[-1]["end"]]
    for fragment, wanted in zip(fragments or (outer,), pieces, strict=False):
        assert fragment.text_in(text) == wanted["text"]
