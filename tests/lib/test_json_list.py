"""Reading a JSON list item by item: the same values as parsing it whole, whatever the cuts."""

from __future__ import annotations

import io
import json

import pytest

from annotator.formats import json_list
from annotator.formats.base import FormatError
from annotator.formats.json_list import read_json_list

ITEMS = [
    {"id": "a", "text": 'Live 🔴🇺🇳: “quoted”, },{ brackets ]] in a string \\ " '},
    {"id": "b", "text": "قال المتحدث", "meta": {"n": [1, 2.5, {"deep": [True, None]}]}},
    {"id": "c", "text": "re\u0301gime\r\n" * 50},
    1234567,
]


def read(body: bytes) -> list:
    return list(read_json_list(io.BytesIO(body)))


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("ascii_only", [True, False])
def test_every_cut_of_the_stream_gives_the_same_items(monkeypatch, block, ascii_only):
    monkeypatch.setattr(json_list, "BLOCK", block)
    body = json.dumps(ITEMS, ensure_ascii=ascii_only, indent=1).encode()
    assert read(body) == ITEMS
    assert read(b"\xef\xbb\xbf" + body) == ITEMS
    assert read(b" [ ] ") == []


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (b'[{"a": 1}', 1, "invalid JSON (the list breaks off)"),
        (b'[{"a": 1},', 2, "invalid JSON (the list breaks off)"),
        (b'[{"a": 1} {"b": 2}]', 1, "invalid JSON ('{' after the item)"),
        (b'[{"a": 1}, {"b": }]', 2, "invalid JSON (Expecting value)"),
        (b'[{"a": NaN}]', 1, "invalid JSON (NaN is not JSON)"),
        (b'[{"a": 1}] [', 1, "invalid JSON (more after the list)"),
        (b'{"a": 1}', 1, "the body must be a JSON list"),
        (b'[{"a": "x\\u0000y"}]', 1, "text must not contain NUL (\\u0000) characters"),
        (b'[{"a": 1}, {"a": "caf\xe9"}]', None, "not valid UTF-8: byte 0xe9 at offset 21"),
    ],
)
def test_a_broken_list_names_the_item(body, line, message):
    with pytest.raises(FormatError) as caught:
        read(body)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_an_escaped_backslash_before_u0000_is_not_a_nul():
    assert read(b'[{"a": "\\\\u0000"}]') == [{"a": "\\u0000"}]


def test_memory_follows_one_item_not_the_list(monkeypatch):
    """The reader holds a block and the item being parsed, never what it has passed."""
    monkeypatch.setattr(json_list, "BLOCK", 4096)
    item = {"text": "x" * 1000}
    body = json.dumps([item] * 5000).encode()  # 5 MB
    text = json_list._Text(io.BytesIO(body))
    largest = 0
    original = text.more

    def more() -> bool:
        nonlocal largest
        grew = original()
        largest = max(largest, len(text.buf))
        return grew

    text.more = more  # type: ignore[method-assign]
    monkeypatch.setattr(json_list, "_Text", lambda stream: text)
    assert sum(1 for _ in read_json_list(io.BytesIO(b""))) == 5000
    assert largest < 3 * 4096
