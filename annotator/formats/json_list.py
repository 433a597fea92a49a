"""The items of a JSON list read from a byte stream one at a time, so that memory follows the
largest item, never the whole list. Pure Python.

The standard library's decoder parses an item in place in the decoded buffer and says where
it ends (``raw_decode``): one pass, no copy, and 4x faster than an event parser (ijson) on
article-sized strings. An item cut by the end of the buffer is parsed again once more of the
stream is read.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

from annotator.formats.base import FormatError

BLOCK = 1 << 20  # bytes read at a time
MAX_ITEM = 64 << 20  # characters one item may span: past this it is an error, not a read


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class _Text:
    """The decoded stream and a read position; only what is not yet consumed is kept."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.offset = 0  # bytes read so far, to point at one that is not UTF-8
        self.eof = False

    def more(self) -> bool:
        """Read another block; False at the end of the stream."""
        if self.eof:
            return False
        # An item longer than a block doubles the read, so parsing it again stays linear.
        chunk = self.stream.read(max(BLOCK, len(self.buf) - self.pos))
        pending = len(self.decoder.getstate()[0])  # bytes of a character cut by the block
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            where = self.offset - pending + exc.start
            raise FormatError(
                f"not valid UTF-8: byte 0x{exc.object[exc.start]:02x} at offset {where}"
            ) from None
        self.offset += len(chunk)
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        self.eof = not chunk
        return True

    def next_char(self) -> str:
        """The next character that is not white space, left unread ('' at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]


def read_json_list(stream: IO[bytes]) -> Iterator[Any]:
    """Each item of the list the stream holds. FormatError, with the item's number (from 1)
    as its ``line``, for a body that is not a JSON list or breaks off."""
    text = _Text(stream)
    if text.next_char() != "[":
        raise FormatError("the body must be a JSON list", line=1)
    text.pos += 1
    number = 0
    if text.next_char() == "]":
        text.pos += 1
    else:
        while True:
            number += 1
            yield _item(text, number)
            after = text.next_char()
            text.pos += 1
            if after == "]":
                break
            if after != ",":
                problem = "the list breaks off" if not after else f"{after!r} after the item"
                raise FormatError(f"invalid JSON ({problem})", line=number)
    if text.next_char():
        raise FormatError("invalid JSON (more after the list)", line=number or 1)


def _item(text: _Text, number: int) -> Any:
    if not text.next_char():
        raise FormatError("invalid JSON (the list breaks off)", line=number)
    while True:
        start = text.pos
        try:
            value, end = _DECODER.raw_decode(text.buf, start)
        except (json.JSONDecodeError, ValueError) as exc:
            # The item may go on past the buffer: read on, up to the size one item may have.
            if len(text.buf) - text.pos < MAX_ITEM and text.more():
                continue
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise FormatError(f"invalid JSON ({message})", line=number) from None
        if end == len(text.buf) and text.more():
            continue  # a number cut by the buffer's end would parse short: read on
        text.pos = end
        # No text column can store NUL; the cheap test on the JSON text first.
        if "\\u0000" in text.buf[start:end] and has_nul(value):
            raise FormatError("text must not contain NUL (\\u0000) characters", line=number)
        return value


def has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False
