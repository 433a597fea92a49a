"""A project's annotation scheme, validated in one place. Pure Python, no Django.

A scheme is stored as JSON on the project:
``{"stance_labels": [...], "attributes": {name: [values]}, "overlap": k, "blind": bool}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_SCHEME: dict = {
    "stance_labels": ["support", "oppose", "neutral"],
    "attributes": {"quote_type": ["direct", "indirect", "mixed"]},
    "overlap": 1,
    "blind": True,
    # Annotate page: a stance key also saves a complete claim (one key instead of two).
    "stance_saves": False,
}
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
MAX_LABELS = 20


class SchemeError(ValueError):
    """A scheme that cannot be used; the message names the offending field."""


@dataclass(frozen=True, slots=True)
class Scheme:
    stance_labels: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    overlap: int
    blind: bool
    stance_saves: bool = False

    def as_json(self) -> dict:
        return {
            "stance_labels": list(self.stance_labels),
            "attributes": {k: list(v) for k, v in self.attributes.items()},
            "overlap": self.overlap,
            "blind": self.blind,
            "stance_saves": self.stance_saves,
        }

    def check_stance(self, stance: object) -> str:
        """Return the stance ('' for none) or raise if it is not one of the labels."""
        if stance is None or stance == "":
            return ""
        if stance not in self.stance_labels:
            raise SchemeError(
                f"unknown stance {stance!r}; the project's labels are "
                + ", ".join(self.stance_labels)
            )
        return stance  # type: ignore[return-value]

    def check_attributes(self, attributes: object) -> dict[str, str]:
        """Return the attributes with empty values dropped, or raise on an unknown one."""
        if attributes is None:
            return {}
        if not isinstance(attributes, Mapping):
            raise SchemeError("attributes must be an object")
        clean: dict[str, str] = {}
        for name, value in attributes.items():
            if name not in self.attributes:
                raise SchemeError(f"unknown attribute {name!r}")
            if value is None or value == "":
                continue
            if value not in self.attributes[name]:
                raise SchemeError(
                    f"attribute {name!r} cannot be {value!r}; choose one of "
                    + ", ".join(self.attributes[name])
                )
            clean[name] = value
        return clean


def parse_scheme(data: object) -> Scheme:
    """Validate a scheme given as JSON; missing keys take the defaults."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise SchemeError("the scheme must be a JSON object")
    unknown = set(data) - set(DEFAULT_SCHEME)
    if unknown:
        raise SchemeError(f"unknown scheme key(s): {', '.join(sorted(unknown))}")
    merged = {**DEFAULT_SCHEME, **data}

    labels = merged["stance_labels"]
    if not isinstance(labels, list) or not labels:
        raise SchemeError("stance_labels must be a non-empty list")
    if len(labels) > MAX_LABELS:
        raise SchemeError(f"stance_labels may hold at most {MAX_LABELS} labels")
    for label in labels:
        if not isinstance(label, str) or not _NAME.match(label):
            raise SchemeError(
                f"stance label {label!r} must be lower-case letters, digits, '-' or '_'"
            )
    if len(set(labels)) != len(labels):
        raise SchemeError("stance_labels must not repeat a label")

    attributes = merged["attributes"]
    if not isinstance(attributes, Mapping):
        raise SchemeError("attributes must be an object of name -> list of values")
    parsed_attributes: dict[str, tuple[str, ...]] = {}
    for name, values in attributes.items():
        if not _NAME.match(name):
            raise SchemeError(f"attribute name {name!r} must be lower-case letters or digits")
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v for v in values)
        ):
            raise SchemeError(f"attribute {name!r} needs a non-empty list of string values")
        if len(set(values)) != len(values):
            raise SchemeError(f"attribute {name!r} repeats a value")
        parsed_attributes[name] = tuple(values)

    overlap = merged["overlap"]
    if type(overlap) is not int or not 1 <= overlap <= 20:
        raise SchemeError("overlap must be a whole number from 1 to 20")
    blind = merged["blind"]
    if not isinstance(blind, bool):
        raise SchemeError("blind must be true or false")
    stance_saves = merged["stance_saves"]
    if not isinstance(stance_saves, bool):
        raise SchemeError("stance_saves must be true or false")
    return Scheme(tuple(labels), parsed_attributes, overlap, blind, stance_saves)
