"""JSON read and written with orjson, except that integers past 64 bits keep every digit.

orjson reads an integer it cannot hold in 64 bits as a float, silently:
123456789012345678901234567890 comes back as 1.2345678901234568e+29, so a dataset's long
ids or counters would be shown and converted rounded while the export, which copies meta as
written, kept them. Such an integer has at least 19 digits; a text holding a run of 19
digits (rare, and it may be inside a string) is read again by the json module, whose ints
are exact. orjson still judges what is valid JSON: the json module would take NaN, for one.
orjson also refuses to write such an integer; the json module writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import orjson

_LONG_BYTES = re.compile(rb"\d{19}")
_LONG_TEXT = re.compile(r"\d{19}")


def loads(data: bytes | bytearray | str) -> Any:
    """``orjson.loads``, raising what it raises, with long integers exact."""
    value = orjson.loads(data)
    long = _LONG_TEXT if isinstance(data, str) else _LONG_BYTES
    return value if long.search(data) is None else json.loads(data)


def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, option: int = 0) -> bytes:
    """``orjson.dumps``; a value holding an integer past 64 bits (which orjson refuses) is
    written by the json module, with every digit."""
    try:
        return orjson.dumps(value, default=default, option=option)
    except TypeError as exc:
        if "64-bit" not in str(exc):
            raise

    def native(item: Any) -> Any:  # what orjson writes natively and json does not
        if isinstance(item, datetime | date | time):
            return item.isoformat()
        if isinstance(item, UUID):
            return str(item)
        if default is None:
            raise TypeError(f"cannot serialise {type(item).__name__}")
        return default(item)

    indent = bool(option & orjson.OPT_INDENT_2)
    return json.dumps(
        value,
        default=native,
        ensure_ascii=False,
        indent=2 if indent else None,
        separators=(",", ": ") if indent else (",", ":"),
    ).encode()
