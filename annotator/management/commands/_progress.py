"""Progress bars for the long commands (tqdm): how far, how fast, how long still to go, on a
terminal's stderr; nothing at all when stderr is piped or logged.

Each gives the callback the service takes, so services stay free of terminal concerns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from tqdm import tqdm

# "docs.jsonl [#####     ] 50% 1.2M/2.4M [00:03<00:03, 410kB/s]"; without a total, a count.
KNOWN = (
    "{desc} [{bar:30}] {percentage:3.0f}% {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]"
)
UNKNOWN = "{desc}: {n_fmt} {unit} [{elapsed}, {rate_fmt}]"


def _bar(label: str, unit: str, total: int | None, **options: object) -> tqdm:
    # disable=None: tqdm stays silent when its file (stderr, as it is now) is not a terminal.
    return tqdm(
        desc=label,
        unit=unit,
        total=total,
        file=sys.stderr,
        disable=None,
        ascii=" #",
        bar_format=KNOWN if total else UNKNOWN,
        **options,
    )


@contextmanager
def counting(label: str, unit: str = "documents") -> Iterator[Callable[[int, int | None], None]]:
    """A ``progress(done, total)`` callback; total may be None (not known in advance)."""
    bar = _bar(label, unit, None)

    def progress(done: int, total: int | None) -> None:
        if total and bar.total != total:
            bar.total, bar.bar_format = total, KNOWN
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()


@contextmanager
def reading(label: str, stream: IO[bytes] | None) -> Iterator[Callable[[], None] | None]:
    """A ``progress()`` callback that shows how far through ``stream`` its reader is (None
    when there is no single file to measure, e.g. a folder)."""
    if stream is None:
        yield None
        return
    size = os.fstat(stream.fileno()).st_size
    bar = _bar(label, "B", size or None, unit_scale=True, unit_divisor=1024)

    def progress() -> None:
        # A reader may close the stream once read through (the CSV reader's text wrapper does).
        bar.update((size if stream.closed else min(stream.tell(), size)) - bar.n)

    try:
        yield progress
    finally:
        bar.close()
