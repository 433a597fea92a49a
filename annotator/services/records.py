"""Reading document records from JSONL, CSV and plain-text files, line by line.

Each reader yields ``(line_number, record)`` pairs and raises DomainError naming the line for
input it cannot parse; ``document_fields`` validates one record. Texts are kept exactly as
written (CRLF, combining marks, no Unicode normalisation) so that offsets stay valid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import msgspec
import orjson

from annotator.formats import exact_json
from annotator.formats.base import FormatError
from annotator.formats.claims import not_utf8, read_lines
from annotator.formats.json_list import has_nul, read_json_list
from annotator.services.errors import DomainError

FORMATS = ("jsonl", "txt", "csv")
# Keys of our own export that a document import ignores (import_annotations reads them).
EXPORT_KEYS = {"schema", "project", "annotations", "gold"}
DOCUMENT_KEYS = {"id", "title", "text", "url", "published", "meta"}

Record = dict[str, Any]


def guess_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in {"jsonl", "ndjson", "json"}:
        return "jsonl"
    if suffix in {"csv", "txt"}:
        return suffix
    return "txt" if Path(name).is_dir() else "jsonl"


# A JSON Lines document's own fields are decoded; every other value stays JSON text
# (msgspec.Raw, checked as JSON but not built into Python objects) to be stored under meta
# as it was written: meta is copied, never parsed, which is most of what it costs.
_DECODED = ("id", "doc_id", "title", "text", "url", "published")
_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _document_line(line: bytes) -> Any:
    try:
        record = _OBJECT.decode(line)
    except (msgspec.DecodeError, RecursionError):  # msgspec nests less deep than orjson
        return orjson.loads(line)  # not a JSON object: orjson's verdict, as in any JSONL file
    for key in _DECODED:
        if key in record:
            record[key] = msgspec.json.decode(record[key])
    if "meta" in record:
        try:
            record["meta"] = _OBJECT.decode(record["meta"])
        except msgspec.ValidationError:  # null, or not an object (document_fields says so)
            record["meta"] = msgspec.json.decode(record["meta"])
    return record


def read_jsonl(stream: Iterable[bytes]) -> Iterator[tuple[int, Record | DomainError]]:
    """Yield each line's object, or the error that line has, so reading can go on."""
    for number, item in read_lines(stream, loads=_document_line):
        if isinstance(item, FormatError):
            yield number, DomainError(item.message, line=number)  # type: ignore[arg-type]
        else:
            yield number, item  # type: ignore[misc]


def read_json(stream: IO[bytes]) -> Iterator[tuple[int, Record | DomainError]]:
    """A JSON body, as the API takes it: one object, or a list of them read item by item, so
    that a list of any size holds one item in memory at a time. Items count from 1."""
    head = stream.read(1 << 16)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"[":
        body = head + stream.read()  # one object: a single document
        try:
            data = exact_json.loads(body)
        except orjson.JSONDecodeError as exc:
            raise DomainError(not_utf8(body) or f"invalid JSON ({exc})", line=1) from None
        if b"\\u0000" in body and has_nul(data):
            raise DomainError("text must not contain NUL (\\u0000) characters", line=1)
        yield 1, _json_item(data, 1)
        return
    try:
        for line, item in enumerate(read_json_list(Prefixed(head, stream)), 1):
            yield line, _json_item(item, line)
    except FormatError as exc:
        raise DomainError(exc.message, line=exc.line) from None


def _json_item(item: Any, line: int) -> Record | DomainError:
    if not isinstance(item, dict):
        return DomainError("each item must be a JSON object", line=line)
    return item


class Prefixed:
    """A stream whose first bytes were read already (to look at them): those, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.rest.read(size)


def read_csv(stream: IO[bytes]) -> Iterator[tuple[int, Record]]:
    # newline="" keeps CRLF inside quoted fields as written.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        header = reader.fieldnames or []
    except UnicodeDecodeError:
        raise _not_utf8_csv(stream) from None
    for column in ("id", "text"):
        if column not in header:
            raise DomainError(f"the CSV header has no {column!r} column", line=1)
    try:
        for row in reader:
            if None in row:
                raise DomainError("more fields than the header names", line=reader.line_num)
            meta = {k: v for k, v in row.items() if k not in DOCUMENT_KEYS and v not in ("", None)}
            record: Record = {k: v for k, v in row.items() if k in DOCUMENT_KEYS and v != ""}
            if meta:
                record["meta"] = meta
            yield reader.line_num, record
    except csv.Error as exc:
        raise DomainError(f"malformed CSV ({exc})", line=reader.line_num) from None
    except UnicodeDecodeError:
        raise _not_utf8_csv(stream) from None


def _not_utf8_csv(stream: IO[bytes]) -> DomainError:
    """The decoder reads ahead in blocks, so it cannot say where; read the lines again."""
    stream.seek(0)
    start = 0
    for number, raw in enumerate(stream, 1):
        if problem := not_utf8(raw, start):
            return DomainError(f"the file is {problem}", line=number)
        start += len(raw)
    return DomainError("the file is not valid UTF-8")


def read_txt_file(path: Path) -> Record:
    data = path.read_bytes()
    try:
        # utf-8-sig drops a byte-order mark, which is not part of the text.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"{path.name} is {not_utf8(data)}", line=1) from None
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return {"id": path.stem, "title": first_line[:300], "text": text}


def read_txt(path: Path) -> Iterator[tuple[int, Record | DomainError]]:
    """One document per .txt file; a folder is read in name order (its "lines" are files)."""
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt") if path.is_dir() else [path]
    for number, file in enumerate(files, 1):
        try:
            record: Record | DomainError = read_txt_file(file)
        except DomainError as exc:
            # Name the file's place in the folder, and go on checking the others.
            exc.line = number
            record = exc
        yield number, record


def _optional_str(record: Record, key: str, line: int | None) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(f"{key!r} must be a string", field=key, line=line)
    return value


def document_fields(record: Record, line: int | None = None) -> dict[str, Any]:
    """Validate one document record; unknown keys are kept under ``meta``."""
    external_id = record.get("id", record.get("doc_id"))
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    if not isinstance(external_id, str) or not external_id.strip():
        raise DomainError("missing 'id' (a non-empty string)", field="id", line=line)
    if len(external_id) > 200:
        raise DomainError("'id' is longer than 200 characters", field="id", line=line)
    text = record.get("text")
    if not isinstance(text, str) or not text:
        raise DomainError("missing 'text' (a non-empty string)", field="text", line=line)
    if "\x00" in text:
        raise DomainError("'text' contains a NUL character", field="text", line=line)
    published = _optional_str(record, "published", line)
    if len(published) > 40:
        raise DomainError("'published' is longer than 40 characters", field="published", line=line)
    if published:
        try:
            datetime.fromisoformat(published)
        except ValueError:
            raise DomainError(
                f"'published' must be an ISO 8601 date, not {published!r}",
                field="published",
                line=line,
            ) from None
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise DomainError("'meta' must be an object", field="meta", line=line)
    extra = {
        k: v
        for k, v in record.items()
        if k not in DOCUMENT_KEYS and k not in EXPORT_KEYS and k != "doc_id"
    }
    return {
        "external_id": external_id,
        "title": _optional_str(record, "title", line),
        "text": text,
        "url": _optional_str(record, "url", line),
        "published": published,
        "meta": {**extra, **meta} if extra else meta,
    }


def meta_json(meta: dict[str, Any], line: int | None = None) -> bytes:
    """A document's ``meta`` as the JSON text to store: key order kept, values read from a
    JSON Lines file (msgspec.Raw) copied as written. Refused, naming the line: bytes that
    are not UTF-8 (msgspec skips over them), and NUL, as in texts (jsonb cannot hold it)."""
    try:
        data = msgspec.json.encode(meta)
    # A lone surrogate, a huge integer, nesting deeper than msgspec goes.
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise _bad_meta(f"cannot be stored as JSON ({exc})", line) from None
    if not data.isascii():
        try:
            data.decode()
        except UnicodeDecodeError as exc:
            raise _bad_meta(f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    try:
        # msgspec copies a number such as 1e999 as written; every reader here (and the
        # export's re-import) would take it for infinity.
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _bad_meta(f"cannot be read back as JSON ({exc})", line) from None
    if b"\\u0000" in data and has_nul(value):
        raise _bad_meta("must not contain NUL (\\u0000) characters", line)
    if b"\r" in data:
        # White space between values (JSON strings cannot hold a raw CR), where a reader in
        # text mode would end the exported line.
        data = data.replace(b"\r", b" ")
    return data


def _bad_meta(problem: str, line: int | None) -> DomainError:
    return DomainError(f"'meta' {problem}", field="meta", line=line)


@contextmanager
def open_records(
    path: Path, fmt: str | None = None
) -> Iterator[tuple[Iterator[tuple[int, Record | DomainError]], IO[bytes] | None]]:
    """The records of a file (or a folder of .txt files) and the open stream, if any."""
    fmt = fmt or guess_format(str(path))
    if fmt not in FORMATS:
        raise DomainError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not path.exists():
        raise DomainError(f"{path}: no such file")
    if fmt == "txt":
        yield read_txt(path), None
        return
    with path.open("rb") as stream:
        yield (read_jsonl(stream) if fmt == "jsonl" else read_csv(stream)), stream
