"""File formats: each an object with an identifier that reads files into ``claims/1``
records and (most) writes records back out, registered here once and shared by the
commands, the web pages, the API and jobs. Pure Python, no Django."""

from __future__ import annotations

from annotator.formats.base import Bundle, Format, FormatError, Notice, Reading, Record
from annotator.formats.brat_format import BratFormat
from annotator.formats.claims import ClaimsFormat
from annotator.formats.doccano import DoccanoFormat
from annotator.formats.label_studio import LabelStudioFormat

FORMATS: dict[str, Format] = {
    f.identifier: f for f in (ClaimsFormat(), BratFormat(), LabelStudioFormat(), DoccanoFormat())
}
READABLE = tuple(FORMATS)
WRITABLE = tuple(name for name, f in FORMATS.items() if f.can_write)


def get(identifier: str, *, writing: bool = False) -> Format:
    """The format called ``identifier``; FormatError naming the choices otherwise."""
    choices = WRITABLE if writing else READABLE
    if identifier not in choices:
        raise FormatError(f"unknown format {identifier!r}; use one of {', '.join(choices)}")
    return FORMATS[identifier]


def detect(bundle: Bundle) -> Format:
    """The format an upload is in, from its files and their first bytes."""
    for fmt in FORMATS.values():
        if fmt.detect(bundle):
            return fmt
    raise FormatError("cannot tell the format of this file: choose one of " + ", ".join(READABLE))


__all__ = [
    "FORMATS",
    "READABLE",
    "WRITABLE",
    "Bundle",
    "Format",
    "FormatError",
    "Notice",
    "Reading",
    "Record",
    "detect",
    "get",
]
