"""A progress line on a terminal (nothing when output is piped or logged)."""

from __future__ import annotations

import os
import sys
import time
from typing import IO


class Progress:
    def __init__(self, stream: IO[bytes] | None, label: str) -> None:
        self.stream = stream
        self.label = label
        self.enabled = sys.stderr.isatty() and stream is not None
        self.total = os.fstat(stream.fileno()).st_size if self.enabled and stream else 0
        self.started = time.monotonic()

    def __call__(self) -> None:
        if not self.enabled or not self.total:
            return
        done = self.stream.tell()  # type: ignore[union-attr]
        share = min(done / self.total, 1.0)
        bar = "#" * int(share * 30)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {share:4.0%} {elapsed:5.1f}s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            sys.stderr.write("\n")
