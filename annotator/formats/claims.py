"""Our own format, ``claims/1`` JSON Lines: one document with its annotation sets per line.
Pure Python, no Django."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import orjson

from annotator.formats import exact_json
from annotator.formats.base import Bundle, Format, FormatError, Reading, Record, Where


def not_utf8(data: bytes, line_start: int | None = None) -> str | None:
    """Where ``data`` stops being UTF-8, said for a person; None if it is all UTF-8. For a
    line, ``line_start`` is its offset in the file."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"offset {exc.start}"
        if line_start is not None:
            where += f" of the line ({line_start + exc.start} of the file)"
        return f"not valid UTF-8: byte 0x{data[exc.start]:02x} at {where}"
    return None


def read_lines(
    stream: Iterable[bytes], name: str = "", loads: Callable[[bytes], Any] = exact_json.loads
) -> Iterator[tuple[Where, Record | FormatError]]:
    """Each line's object, or the error that line has, so reading can go on. ``loads``
    parses a line, raising ValueError for one that is not JSON."""
    offset = 0  # of the line in the file, to point at bytes that are not UTF-8
    for number, raw in enumerate(stream, 1):
        start = offset
        # Lines come with their newline from a file, without it from a request body.
        offset += len(raw) if raw.endswith(b"\n") else len(raw) + 1
        # A byte-order mark (as some Windows tools write) is not part of the first object.
        line = (raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).strip()
        if not line:
            continue
        try:
            record = loads(line)
        except ValueError as exc:
            # orjson says "surrogates not allowed" for any bad byte; say what is wrong.
            problem = not_utf8(raw, start) or f"invalid JSON ({exc})"
            yield number, FormatError(problem, file=name, line=number)
            continue
        if not isinstance(record, dict):
            yield number, FormatError("each line must be a JSON object", file=name, line=number)
            continue
        yield number, record


def _first_object(bundle: Bundle, name: str) -> object:
    with bundle.open(name) as stream:
        for raw in stream:
            line = raw.strip().removeprefix(b"\xef\xbb\xbf")
            if line:
                try:
                    return orjson.loads(line)
                except orjson.JSONDecodeError:
                    return None
    return None


def _single(bundle: Bundle, suffixes: tuple[str, ...]) -> str:
    names = [n for n in bundle.names() if n.lower().endswith(suffixes)] or bundle.names()
    if len(names) != 1:
        raise FormatError(f"expected one {' or '.join(suffixes)} file, found {len(names)}")
    return names[0]


class ClaimsFormat(Format):
    identifier = "claims"
    verbose_name = "claims/1 JSON Lines (our own export)"
    extension = ".jsonl"
    content_type = "application/x-ndjson; charset=utf-8"
    can_write = True

    def detect(self, bundle: Bundle) -> bool:
        names = [n for n in bundle.names() if n.lower().endswith((".jsonl", ".ndjson", ".json"))]
        if len(names) != 1:
            return False
        first = _first_object(bundle, names[0])
        return isinstance(first, dict) and (
            first.get("schema") == "claims/1" or "annotations" in first
        )

    def read(self, bundle: Bundle, **options: Any) -> Reading:
        name = _single(bundle, (".jsonl", ".ndjson", ".json"))

        def records() -> Iterator[tuple[Where, Record | FormatError]]:
            with bundle.open(name) as stream:
                yield from read_lines(stream)

        return Reading(records())

    def write(self, records: Iterable[Record], out: IO[bytes], **options: Any) -> None:
        for record in records:
            out.write(exact_json.dumps(record) + b"\n")
