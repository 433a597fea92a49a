"""What every file format shares: its errors, and the plain values it reads and writes.

A format reads files into ``claims/1`` records — plain dicts in the shape of one line of our
JSONL export (document fields, ``annotations`` and ``gold``) — and writes such records out.
The one service that stores records (``services/annotations_import.py``) and the one export
that produces them (``services/exporting.py``) are the same for every format, so a new format
is one new module. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

Record = dict[str, Any]


class FormatError(ValueError):
    """A problem in an input file, for an end user: the file, the line (from 1) and why."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where} line {self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Notice:
    """Something a reader deliberately left out (an ignored label, an empty event): not an
    error, but named with its file and line so the user sees exactly what was not taken."""

    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return str(FormatError(self.message, file=self.file, line=self.line))


Where = int | str  # a line number (JSON Lines) or the name of a file in a bundle


@dataclass
class Reading:
    """What a reader produces: each document's record, or the error that stopped it, with
    the place it came from; and notices about what was deliberately left out.

    ``records`` is consumed once, lazily, so a large input is never held whole; notices
    are appended as the records are consumed.
    """

    records: Iterator[tuple[Where, Record | FormatError]]
    notices: list[Notice] = field(default_factory=list)


class Format:
    """A file format: an identifier, a name, and reading and writing over claims/1 records.

    ``read`` takes a ``Bundle`` (the files of an upload, a folder or a zip); ``write`` takes
    records and a binary stream. A format that cannot be written leaves ``write`` alone.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    # The file name of a download (after the project slug), and its content type.
    extension: ClassVar[str] = ""
    content_type: ClassVar[str] = "application/octet-stream"
    can_write: ClassVar[bool] = False

    def detect(self, bundle: Bundle) -> bool:
        """Whether the bundle looks like this format (for uploads without a format)."""
        return False

    def read(self, bundle: Bundle, **options: Any) -> Reading:
        raise NotImplementedError

    def write(self, records: Iterable[Record], out: IO[bytes], **options: Any) -> None:
        """Write the records as one file (or one zip) to a binary stream."""
        raise NotImplementedError(f"{self.identifier} files cannot be written")


class Bundle:
    """The files of one input, by relative POSIX path: a single file, a folder or a zip."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def read_text(self, name: str) -> str:
        """A member as text; a byte-order mark is dropped, newlines are kept as written."""
        with self.open(name) as stream:
            data = stream.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(f"not UTF-8 (byte {exc.start})", file=name) from None
