"""brat standoff collections in and out: which ``.ann`` goes with which ``.txt``, whose work
it is, and the files written back. Pure Python, no Django.

Reading takes a folder or zip of ``.txt`` and ``.ann`` files. An ``.ann``'s text is
``NAME.txt`` beside it (its set belongs to the annotator named by the flag, else by its
folder), or, for ``NAME_ANNOTATOR.ann``, ``NAME.txt`` beside it or in a sibling ``text/``
folder (PolNeAR's layout: ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``). Files
under a top-level ``gold/`` folder are the gold set. A metadata table (TSV or CSV with a
``filename`` or ``id`` column) may give titles, dates and URLs.

Writing gives ``ANNOTATOR/NAME.txt`` + ``ANNOTATOR/NAME.ann`` per document and annotation
set (``gold/`` for the gold set) and an ``annotation.conf``, which is what brat opens.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import quote, unquote

from annotator.formats import brat
from annotator.formats.base import Bundle, Format, FormatError, Notice, Reading, Record, Where
from annotator.formats.brat_claims import LabelMap, label_map, read_set
from annotator.formats.brat_writing import annotation_conf, write_set

GOLD = "gold"
_SAFE = " -_.,()'"


class BratFormat(Format):
    identifier = "brat"
    verbose_name = "brat standoff (.txt + .ann, in a zip or folder)"
    extension = "-brat.zip"
    content_type = "application/zip"
    can_write = True

    def detect(self, bundle: Bundle) -> bool:
        return any(name.endswith(".ann") for name in bundle.names())

    def read(
        self,
        bundle: Bundle,
        *,
        labels: Mapping[str, Any] | None = None,
        annotator: str | None = None,
        metadata: Mapping[str, Record] | None = None,
        **options: Any,
    ) -> Reading:
        reading = Reading(iter(()))
        reading.records = _records(bundle, label_map(labels), annotator, metadata or {}, reading)
        return reading

    def files(
        self,
        records: Iterable[Record],
        *,
        labels: Mapping[str, Any] | None = None,
        stances: tuple[str, ...] = (),
        attributes: Mapping[str, tuple[str, ...]] | None = None,
        **options: Any,
    ) -> Iterator[tuple[str, bytes]]:
        """The files of the collection, as (path, content)."""
        names = label_map(labels)
        yield "annotation.conf", annotation_conf(names, stances, attributes or {}).encode()
        for record in records:
            stem = quote(record["id"], safe=_SAFE)
            text = record["text"].encode()
            sets = [
                (s["annotator"], s.get("claims") or [], s.get("extras"))
                for s in record.get("annotations", [])
            ]
            if record.get("gold"):
                gold = record["gold"]
                sets.append((GOLD, gold.get("claims") or [], gold.get("extras")))
            for who, claims, extras in sets:
                standoff = write_set(claims, record["text"], names, extras)
                yield f"{who}/{stem}.txt", text
                yield f"{who}/{stem}.ann", brat.write(standoff).encode()

    def write(self, records: Iterable[Record], out: IO[bytes], **options: Any) -> None:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files(records, **options):
                archive.writestr(name, data)


def _text_for(ann: str, texts: Mapping[str, str]) -> tuple[str, str | None] | None:
    """(path of the .txt, annotator from the file name or None) for an .ann path."""
    path = PurePosixPath(ann)
    beside = path.with_suffix(".txt").as_posix()
    if beside in texts:
        return beside, None
    name, sep, suffix = path.stem.rpartition("_")
    if not sep or not name:
        return None
    for folder in (path.parent, path.parent.parent / "text"):
        candidate = (folder / f"{name}.txt").as_posix()
        if candidate in texts:
            return candidate, suffix
    return None


def _records(
    bundle: Bundle,
    labels: LabelMap,
    annotator: str | None,
    metadata: Mapping[str, Record],
    reading: Reading,
) -> Iterator[tuple[Where, Record | FormatError]]:
    names = bundle.names()
    texts = {name: name for name in names if name.endswith(".txt")}
    sets: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)  # txt -> (ann, who, gold)
    for ann in (name for name in names if name.endswith(".ann")):
        found = _text_for(ann, texts)
        if found is None:
            yield ann, FormatError("no .txt file for it (NAME.txt, or text/NAME.txt)", file=ann)
            continue
        txt, suffix = found
        gold = PurePosixPath(ann).parts[0] == GOLD
        parent = PurePosixPath(ann).parent.name
        who = GOLD if gold else annotator or suffix or parent
        if not who:
            yield ann, FormatError("whose work is it? Give the annotator", file=ann)
            continue
        sets[txt].append((ann, who, gold))
    if not sets and not any(name.endswith(".ann") for name in names):
        yield "", FormatError("no .ann files found")
    by_document: dict[str, list[str]] = defaultdict(list)
    for txt in sets:
        by_document[unquote(PurePosixPath(txt).stem)].append(txt)
    for document in sorted(by_document):
        yield from _document(
            bundle, document, by_document[document], sets, labels, metadata, reading
        )


def _document(
    bundle: Bundle,
    document: str,
    txts: list[str],
    sets: Mapping[str, list[tuple[str, str, bool]]],
    labels: LabelMap,
    metadata: Mapping[str, Record],
    reading: Reading,
) -> Iterator[tuple[Where, Record | FormatError]]:
    where = txts[0]
    try:
        text = _read(bundle, txts[0])
        for other in txts[1:]:
            if _read(bundle, other) != text:
                raise FormatError(f"differs from {txts[0]}: one document, two texts", file=other)
    except FormatError as exc:
        yield where, exc
        return
    record: Record = {
        "id": document,
        "title": next((line.strip()[:300] for line in text.splitlines() if line.strip()), ""),
        "text": text,
        "annotations": [],
        "gold": None,
        **metadata.get(document, {}),
    }
    errors: list[FormatError] = []
    for txt in txts:
        for ann, who, gold in sorted(sets[txt], key=lambda s: (s[1], s[0])):
            try:
                standoff = brat.parse(_read(bundle, ann), text)
            except FormatError as exc:
                errors.append(exc)
                continue
            claims, problems, extras = read_set(
                standoff,
                text,
                labels,
                file=ann,
                document=document,
                annotator=who,
                notices=reading.notices,
            )
            errors += problems
            if gold:
                if extras:
                    # Only annotators' sets keep them (Assignment.extras).
                    reading.notices.append(
                        Notice("marks, claimless events and event shapes of gold left out", ann)
                    )
                record["gold"] = {"status": "complete", "adjudicators": [], "claims": claims}
            else:
                found = {"claims": claims, **({"extras": extras} if extras else {})}
                record["annotations"].append(
                    {"annotator": who, "status": "submitted", "submitted_at": None, **found}
                )
    if errors:
        # The first error is raised with the record; the rest go with it in its message.
        first = errors[0]
        if len(errors) > 1:
            rest = "; ".join(str(e) for e in errors[1:6])
            more = f" (and {len(errors) - 6} more)" if len(errors) > 6 else ""
            first = FormatError(
                f"{first.message}; also {rest}{more}", file=first.file, line=first.line
            )
        yield where, first
        return
    yield where, record


def _read(bundle: Bundle, name: str) -> str:
    return bundle.read_text(name)


def read_metadata(content: str, name: str = "metadata") -> dict[str, Record]:
    """Document fields by id from a TSV or CSV table with a ``filename`` or ``id`` column:
    ``title``, ``published`` (or ``publication_date``) and ``url``; the rest is ``meta``."""
    dialect = "excel-tab" if "\t" in content.partition("\n")[0] else "excel"
    rows = csv.DictReader(io.StringIO(content), dialect=dialect)
    key = next((k for k in ("filename", "id") if k in (rows.fieldnames or [])), None)
    if key is None:
        raise FormatError("the metadata table needs a 'filename' or 'id' column", file=name, line=1)
    result: dict[str, Record] = {}
    for row in rows:
        fields: Record = {}
        meta = {}
        for column, value in row.items():
            if column == key or value in (None, "", "None"):
                continue
            if column == "title":
                fields["title"] = value
            elif column in ("published", "publication_date"):
                fields["published"] = value
            elif column == "url":
                fields["url"] = value
            else:
                meta[column] = value
        if meta:
            fields["meta"] = meta
        result[row[key]] = fields
    return result


__all__ = ["BratFormat", "Notice", "read_metadata"]
