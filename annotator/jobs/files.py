"""A job's input and output files, kept in the database in 1 MB chunks.

App hosts and workers share nothing but PostgreSQL, so an upload received on one host is
stored here for whichever worker picks the job up, and an export written by a worker is
served from here by any host. Chunks go with the job when it is deleted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import IO

from annotator.models.job import Job, JobChunk

CHUNK_SIZE = 1024 * 1024
Stream = JobChunk.Stream


def store(job: Job, stream: Stream, data: Iterable[bytes]) -> int:
    """Write pieces of bytes as the job's input or output; returns the size written."""
    with ChunkWriter(job, stream) as out:
        for piece in data:
            out.write(piece)
    return out.size


def chunks(job: Job, stream: Stream) -> Iterator[bytes]:
    """The file's bytes, one chunk at a time (one query per chunk: memory stays flat)."""
    seqs = JobChunk.objects.filter(job=job, stream=stream).order_by("seq")
    for pk in seqs.values_list("pk", flat=True):
        yield bytes(JobChunk.objects.filter(pk=pk).values_list("data", flat=True)[0])


class ChunkReader(io.RawIOBase):
    """A read-only binary file over a job's chunks, for readers that want one."""

    def __init__(self, job: Job, stream: Stream) -> None:
        self._chunks = chunks(job, stream)
        self._current = b""
        self._offset = 0
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._offset >= len(self._current):
            try:
                self._current, self._offset = next(self._chunks), 0
            except StopIteration:
                return 0
        piece = self._current[self._offset : self._offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._offset += len(piece)
        self._position += len(piece)
        return len(piece)

    def tell(self) -> int:
        return self._position


def open_input(job: Job) -> IO[bytes]:
    return io.BufferedReader(ChunkReader(job, Stream.INPUT), buffer_size=CHUNK_SIZE)


class ChunkWriter(io.RawIOBase):
    """A write-only binary file that stores what is written as the job's input or output."""

    def __init__(self, job: Job, stream: Stream) -> None:
        JobChunk.objects.filter(job=job, stream=stream).delete()
        self.job = job
        self.stream = stream
        self.size = 0
        self._seq = 0
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) >= CHUNK_SIZE:
            self._flush(bytes(self._buffer[:CHUNK_SIZE]))
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _flush(self, data: bytes) -> None:
        JobChunk.objects.create(job=self.job, stream=self.stream, seq=self._seq, data=data)
        self._seq += 1

    def close(self) -> None:
        if not self.closed and (self._buffer or self._seq == 0):
            self._flush(bytes(self._buffer))
            self._buffer = bytearray()
        super().close()
