"""JSON in and out through orjson: several times faster than the json module on our shapes."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer

from annotator.formats import exact_json
from annotator.services.records import Prefixed, not_utf8, read_json, read_jsonl

# Bodies above this size are parsed with the cyclic garbage collector paused: a bulk import
# of 10,000 articles allocates millions of objects, and collections triggered by them
# (finding nothing, as JSON has no cycles) cost three times the parse itself.
LARGE_BODY = 1024 * 1024
_NUL = b"\\u0000"


def _default(value: object) -> object:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


class OrjsonRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type or "", renderer_context or {})
        option = orjson.OPT_INDENT_2 if indent else 0
        return exact_json.dumps(data, default=_default, option=option)


class JsonlRenderer(BaseRenderer):
    """Lets clients ask for ``application/x-ndjson``; errors still come as one JSON line."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        return b"" if data is None else orjson.dumps(data, default=_default) + b"\n"


@contextmanager
def _gc_paused(size: int) -> Iterator[None]:
    if size < LARGE_BODY or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class OrjsonParser(JSONParser):
    """JSON bodies; strings holding NUL are refused here, as no text column can store them."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        with _gc_paused(len(raw)):
            try:
                data = exact_json.loads(raw)
            except orjson.JSONDecodeError as exc:
                problem = not_utf8(raw)
                raise ParseError(
                    f"the body is {problem}" if problem else f"JSON parse error - {exc}"
                ) from None
        # The cheap byte test first: the walk runs only for bodies that spell \u0000.
        if _NUL in raw and _has_nul(data):
            raise ParseError("text in the request must not contain NUL (\\u0000) characters")
        return data


class JsonImportParser(BaseParser):
    """For bulk imports: a JSON list is read item by item as the import goes (``(item,
    record)`` pairs), so a list of any size never sits whole in memory; a single object is
    parsed as OrjsonParser does. Not a JSONParser: DRF reads the whole body for those."""

    media_type = "application/json"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Any:
        head = stream.read(1 << 16) if stream is not None else b""
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
            return read_json(Prefixed(head, stream))
        rest = stream.read() if stream is not None else b""
        return OrjsonParser().parse(io.BytesIO(head + rest), media_type, parser_context)


class JsonLinesParser(BaseParser):
    """A JSON Lines body (one document per line), read line by line as the import goes, so
    a bulk import of any size holds one batch in memory, never the whole body."""

    media_type = "application/x-ndjson"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Iterator[tuple[int, Any]]:
        return read_jsonl(_lines(stream) if stream is not None else iter(()))


def _lines(stream: Any, block: int = 1 << 20) -> Iterator[bytes]:
    """The lines of a request body, read a megabyte at a time (the WSGI server's own
    readline costs more than parsing the line)."""
    rest = b""
    while chunk := stream.read(block):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest
