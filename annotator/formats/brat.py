"""brat standoff (``.ann``): reading and writing the syntax, to and from plain values.

One ``.ann`` file annotates one ``.txt`` file with lines of tab-separated fields:

- ``T1<TAB>Label 315 448;463 553<TAB>text`` — a text-bound span, possibly discontinuous
  (fragments separated by ``;``), with the text it covers (fragments joined by a space);
- ``E1<TAB>Type:T4 Role:T3 Role2:T5`` — an event: its trigger (a text-bound span) and
  its arguments; a repeated role is numbered (``Content2``);
- ``R1<TAB>Type Arg1:T1 Arg2:T2`` — a binary relation; ``*<TAB>Equiv T1 T2`` — equivalence;
- ``A1<TAB>Name E1 [Value]`` (also ``M``) — an attribute of another annotation;
- ``N1<TAB>Reference T1 DB:ID<TAB>text`` — a normalisation;
- ``#1<TAB>AnnotatorNotes T1<TAB>text`` — a note on another annotation.

Offsets are code points into the text, as ours. Some tools write a span's text with its line
breaks as they are, which splits the line: when the text is given, those continuation lines
are recognised by checking them against the document; any other line that is not an
annotation is a stray line and an error. The mapping of labels to claim roles is in
``brat_claims``; this module knows only the syntax. Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Fragments = tuple[tuple[int, int], ...]

_ID = re.compile(r"^([TERAMN#]\d+|\*)$")
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class TextBound:
    id: str
    label: str
    fragments: Fragments  # in the order the file gives them
    text: str
    line: int = 0

    @property
    def start(self) -> int:
        return min(start for start, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(end for _, end in self.fragments)


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    trigger: str | None
    arguments: tuple[tuple[str, str], ...]  # (role, annotation id), as written
    line: int = 0


@dataclass(frozen=True, slots=True)
class Relation:
    id: str  # "*" for an equivalence, which names no id of its own
    type: str
    arguments: tuple[tuple[str, str], ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    name: str
    target: str
    value: str | None  # None: a binary attribute (present or not)
    line: int = 0


@dataclass(frozen=True, slots=True)
class Normalization:
    id: str
    type: str
    target: str
    reference: str  # "DB:ID"
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    type: str  # "AnnotatorNotes" in brat's own files
    target: str
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Standoff:
    """The annotations of one ``.ann`` file, and the problems found reading it."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    normalizations: list[Normalization] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def arguments(self, event: Event) -> list[tuple[str, TextBound]]:
        """An event's arguments as (role, span); arguments that are events are left out."""
        return [
            (role, self.textbounds[ref]) for role, ref in event.arguments if ref in self.textbounds
        ]


def span_text(text: str, fragments: Fragments) -> str:
    """A span's text as brat writes it: its fragments' texts joined by a space."""
    return " ".join(text[start:end] for start, end in fragments)


def parse(content: str, text: str | None = None) -> Standoff:
    """Read an ``.ann`` file. With the document ``text``, each span's offsets and text are
    checked against it (and text that runs over several lines is recognised)."""
    result = Standoff()
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    seen: set[str] = set()
    number = 0
    while number < len(lines):
        raw = lines[number].removesuffix("\r")
        number += 1
        if not raw.strip():
            continue
        kind = raw[0]
        fields = raw.split("\t")
        ident = fields[0]
        if kind not in "TERAMN#*" or not _ID.match(ident):
            result.problems.append(Problem(number, f"not an annotation line: {_clip(raw)!r}"))
            continue
        if ident != "*" and ident in seen:
            result.problems.append(Problem(number, f"{ident} is defined twice"))
            continue
        seen.add(ident)
        try:
            if kind == "T":
                span, extra = _textbound(fields, number, text, lines)
                result.textbounds[ident] = span
                number += extra
            elif kind == "E":
                result.events[ident] = _event(fields, number)
            elif kind in "R*":
                result.relations.append(_relation(fields, number))
            elif kind in "AM":
                result.attributes.append(_attribute(fields, number))
            elif kind == "N":
                result.normalizations.append(_normalization(fields, number))
            else:
                result.notes.append(_note(fields, number))
        except ValueError as exc:
            result.problems.append(Problem(number, str(exc)))
    _check_references(result)
    return result


def _clip(value: str, size: int = 60) -> str:
    return value if len(value) <= size else value[: size - 1] + "…"


def _textbound(
    fields: list[str], number: int, text: str | None, lines: list[str]
) -> tuple[TextBound, int]:
    """A T line (``lines[number - 1]``) and how many continuation lines follow it."""
    if len(fields) < 2:
        raise ValueError(f"{fields[0]} has no label and offsets")
    label, _, offsets = fields[1].partition(" ")
    if not label or not _OFFSETS.match(offsets):
        raise ValueError(f"{fields[0]}: expected 'Label START END[;START END…]', got {fields[1]!r}")
    fragments = tuple(
        (int(start), int(end)) for start, end in (piece.split(" ") for piece in offsets.split(";"))
    )
    written = "\t".join(fields[2:])
    extra = 0
    for start, end in fragments:
        if end <= start:
            raise ValueError(f"{fields[0]}: fragment {start}-{end} is empty or reversed")
        if text is not None and end > len(text):
            raise ValueError(
                f"{fields[0]}: offset {end} is past the end of the text ({len(text)} characters)"
            )
    if text is not None:
        expected = span_text(text, fragments)
        # Text with its line breaks written out runs over the following lines.
        while (
            written != expected
            and number + extra < len(lines)
            and expected.startswith(written + "\n")
        ):
            written += "\n" + lines[number + extra]
            extra += 1
        if written != expected and len(fields) > 2 and written != _one_line(expected):
            raise ValueError(
                f"{fields[0]}: text {_clip(fields[2])!r} does not match the document at "
                f"{offsets}: {_clip(expected)!r}"
            )
    return TextBound(fields[0], label, fragments, written, number), extra


def _arguments(parts: list[str], ident: str) -> tuple[tuple[str, str], ...]:
    arguments = []
    for part in parts:
        role, sep, ref = part.partition(":")
        if not sep or not role or not ref:
            raise ValueError(f"{ident}: argument {part!r} is not ROLE:ID")
        arguments.append((role, ref))
    return tuple(arguments)


def _event(fields: list[str], number: int) -> Event:
    parts = fields[1].split() if len(fields) > 1 else []
    if not parts:
        raise ValueError(f"{fields[0]} has no type")
    kind, _, trigger = parts[0].partition(":")
    arguments = _arguments(parts[1:], fields[0])
    return Event(fields[0], kind, trigger or None, arguments, number)


def _relation(fields: list[str], number: int) -> Relation:
    parts = fields[1].split() if len(fields) > 1 else []
    if not parts:
        raise ValueError(f"{fields[0]} has no type")
    if fields[0] == "*":  # "*<TAB>Equiv T1 T2 T3": ids without roles
        arguments = tuple(("Arg", ref) for ref in parts[1:])
    else:
        arguments = _arguments(parts[1:], fields[0])
    if len(arguments) < 2:
        raise ValueError(f"{fields[0]}: a relation needs two arguments")
    return Relation(fields[0], parts[0], arguments, number)


def _attribute(fields: list[str], number: int) -> Attribute:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) not in (2, 3):
        raise ValueError(f"{fields[0]}: expected 'Name ID [Value]'")
    return Attribute(fields[0], parts[0], parts[1], parts[2] if len(parts) == 3 else None, number)


def _normalization(fields: list[str], number: int) -> Normalization:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 3:
        raise ValueError(f"{fields[0]}: expected 'Type ID DB:ID'")
    text = fields[2] if len(fields) > 2 else ""
    return Normalization(fields[0], parts[0], parts[1], parts[2], text, number)


def _note(fields: list[str], number: int) -> Note:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 2:
        raise ValueError(f"{fields[0]}: expected 'Type ID'")
    return Note(fields[0], parts[0], parts[1], "\t".join(fields[2:]), number)


def _check_references(result: Standoff) -> None:
    """Every id an annotation points at must exist (spans, events, relations)."""
    known = set(result.textbounds) | set(result.events)
    known |= {r.id for r in result.relations if r.id != "*"}
    for event in result.events.values():
        refs = [event.trigger] if event.trigger else []
        refs += [ref for _, ref in event.arguments]
        for ref in refs:
            if ref not in known:
                result.problems.append(Problem(event.line, f"{event.id} refers to unknown {ref}"))
        if event.trigger in known and event.trigger not in result.textbounds:
            result.problems.append(Problem(event.line, f"{event.id}'s trigger is not a span"))
    for item in [*result.relations]:
        for _, ref in item.arguments:
            if ref not in known:
                result.problems.append(Problem(item.line, f"{item.id} refers to unknown {ref}"))
    for item in [*result.attributes, *result.normalizations, *result.notes]:
        if item.target not in known:
            result.problems.append(Problem(item.line, f"{item.id} refers to unknown {item.target}"))
    result.problems.sort(key=lambda p: p.line)


def write(standoff: Standoff) -> str:
    """An ``.ann`` file: spans, events, relations, attributes, normalisations, notes.

    Line breaks inside a span's text or a note become spaces, so that every annotation stays
    on one line (brat reads the offsets; the text is there for people).
    """
    out: list[str] = []
    for span in standoff.textbounds.values():
        offsets = ";".join(f"{start} {end}" for start, end in span.fragments)
        out.append(f"{span.id}\t{span.label} {offsets}\t{_one_line(span.text)}")
    for event in standoff.events.values():
        head = f"{event.type}:{event.trigger}" if event.trigger else event.type
        args = "".join(f" {role}:{ref}" for role, ref in event.arguments)
        out.append(f"{event.id}\t{head}{args}")
    for relation in standoff.relations:
        if relation.id == "*":
            refs = " ".join(ref for _, ref in relation.arguments)
            out.append(f"*\t{relation.type} {refs}")
        else:
            args = " ".join(f"{role}:{ref}" for role, ref in relation.arguments)
            out.append(f"{relation.id}\t{relation.type} {args}")
    for attribute in standoff.attributes:
        value = f" {attribute.value}" if attribute.value is not None else ""
        out.append(f"{attribute.id}\t{attribute.name} {attribute.target}{value}")
    for norm in standoff.normalizations:
        out.append(f"{norm.id}\t{norm.type} {norm.target} {norm.reference}\t{_one_line(norm.text)}")
    for note in standoff.notes:
        out.append(f"{note.id}\t{note.type} {note.target}\t{_one_line(note.text)}")
    return "".join(line + "\n" for line in out)


def _one_line(value: str) -> str:
    return _LINE_BREAKS.sub(" ", value).replace("\t", " ")
