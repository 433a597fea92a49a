"""The files of one input — a single file, a folder or a zip — by relative POSIX path.

Nothing is extracted: members are read in place, so a zip cannot write outside anything.
A member larger than MAX_MEMBER is refused rather than read into memory. Pure Python.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from annotator.formats.base import Bundle, FormatError

MAX_MEMBER = 200 * 1024 * 1024


class FileBundle(Bundle):
    """One file (a path or an open binary stream), under its own name."""

    def __init__(self, name: str, path: Path | None = None, stream: IO[bytes] | None = None):
        self.name = PurePosixPath(name).name
        self.path = path
        self.stream = stream

    def names(self) -> list[str]:
        return [self.name]

    def open(self, name: str) -> IO[bytes]:
        if name != self.name:
            raise FormatError("no such file", file=name)
        if self.path is not None:
            return self.path.open("rb")
        assert self.stream is not None
        self.stream.seek(0)
        return _Unclosed(self.stream)


class FolderBundle(Bundle):
    def __init__(self, root: Path) -> None:
        self.root = root
        self._names = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )

    def names(self) -> list[str]:
        return self._names

    def open(self, name: str) -> IO[bytes]:
        return (self.root / name).open("rb")


class ZipBundle(Bundle):
    def __init__(self, source: Path | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as exc:
            raise FormatError(f"not a readable zip file ({exc})") from None
        self.infos = {
            info.filename: info
            for info in self.zip.infolist()
            if not info.is_dir() and not _hidden(info.filename)
        }

    def names(self) -> list[str]:
        return sorted(self.infos)

    def open(self, name: str) -> IO[bytes]:
        info = self.infos.get(name)
        if info is None:
            raise FormatError("no such file in the zip", file=name)
        if info.file_size > MAX_MEMBER:
            raise FormatError(f"larger than {MAX_MEMBER // 1024 // 1024} MB", file=name)
        return self.zip.open(info)


class _Unclosed(io.BufferedIOBase):
    """An uploaded stream handed out more than once: closing a reader leaves it open."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def read(self, size: int | None = -1) -> bytes:
        return self.stream.read(-1 if size is None else size)

    def readable(self) -> bool:
        return True

    def __iter__(self):  # type: ignore[override]
        return iter(self.stream)

    def close(self) -> None:
        pass


def _hidden(name: str) -> bool:
    """Folders and files a zip tool adds (__MACOSX, .DS_Store) are not part of the input."""
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def open_path(path: Path) -> Bundle:
    """A bundle for a path on disk: a folder, a zip, or one file."""
    if not path.exists():
        raise FormatError("no such file or folder", file=str(path))
    if path.is_dir():
        return FolderBundle(path)
    if zipfile.is_zipfile(path):
        return ZipBundle(path)
    return FileBundle(path.name, path=path)


def open_upload(name: str, stream: IO[bytes]) -> Bundle:
    """A bundle for an uploaded file: a zip is read as its members."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04":
        return ZipBundle(stream)
    return FileBundle(name, stream=stream)
