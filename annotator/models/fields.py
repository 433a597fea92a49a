"""JSON fields: decoded with orjson, and one kept as text on PostgreSQL (``TextJSONField``)."""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func
from django.db.models.expressions import Col
from django.db.models.fields.json import KeyTransform, KeyTransformFactory, KeyTransformIsNull
from django.db.models.lookups import IsNull
from psycopg.types.json import Json, Jsonb
from psycopg.types.string import TextLoader

from annotator.formats import exact_json
from annotator.formats.json_list import has_nul


class JSONField(models.JSONField):
    """Reading documents' ``meta`` with the json module cost more than the rest of a request."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        # Backends return some key lookups already as SQL values (as Django's own field).
        if isinstance(expression, KeyTransform) and not isinstance(value, str):
            return value
        try:
            return exact_json.loads(value)
        except orjson.JSONDecodeError:
            # What orjson refuses but the json module allows (a lone surrogate's escape, as
            # json.dumps writes one) goes the slow way.
            return super().from_db_value(value, expression, connection)


class TextJSONField(JSONField):
    """JSON stored as PostgreSQL's ``json`` (checked text) rather than ``jsonb`` (a parsed tree).

    Turning text into ``jsonb`` was most of the server's work in importing documents whose
    ``meta`` is large (twice the COPY's time of the same rows as ``json``), and reading
    ``jsonb`` back re-serialises it, with its keys re-sorted. ``json`` keeps what was
    written: the objects' key order, and the bytes the export copies out as they are. The
    price is paid in queries: ``json`` has no equality or containment operators, so a key's
    value is cast to ``jsonb`` to be compared (JsonKey) and lookups on the whole column see
    it cast; and reading a key parses the text every time (docs/scaling.md: a filter over
    large metas costs ~3x). SQLite stores JSON as text anyway.

    ``\\u0000`` is refused, as in texts: ``json`` would take it, ``jsonb`` cannot.
    """

    def db_type(self, connection: Any) -> str:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def cast_db_type(self, connection: Any) -> str:
        return self.db_type(connection)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        prepared = super().get_db_prep_save(value, connection)
        # Sent as json, not jsonb, so that the server keeps the text (and the key order).
        if isinstance(prepared, Jsonb):
            return Json(prepared.obj, dumps=prepared.dumps)
        return prepared

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if has_nul(value):
            raise ValidationError("JSON must not contain NUL (\\u0000) characters", code="nul")

    def get_transform(self, name: str) -> Any:
        transform = super().get_transform(name)
        if isinstance(transform, KeyTransformFactory):
            return lambda lhs: JsonKey(name, lhs)
        return transform

    def get_lookup(self, name: str) -> Any:
        lookup = super().get_lookup(name)
        return None if lookup is None else _on_jsonb(lookup)


class JsonKey(KeyTransform):
    """``meta__key``: the key's value taken from the json text, then cast to jsonb (on
    PostgreSQL) for jsonb's comparisons. Only that value is cast, not the whole column, so a
    value elsewhere in a row that jsonb cannot hold (a number past numeric's range) breaks
    no filter."""

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        sql, params = super().as_postgresql(compiler, connection)
        return f"({sql})::jsonb", params


@JsonKey.register_lookup
class JsonKeyIsNull(KeyTransformIsNull):
    """``meta__key__isnull``: the json ``->`` operator gives NULL for a missing key only."""

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        return IsNull.as_sql(self, compiler, connection)


class AsJsonb(Func):
    """A json column as jsonb, on PostgreSQL; the column itself elsewhere."""

    arity = 1
    template = "%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::jsonb", **extra)


@cache
def _on_jsonb(lookup: type) -> type:
    """A lookup on the whole column (``meta={...}``, ``meta__has_key``…) on it cast to jsonb."""

    def __init__(self: Any, lhs: Any, rhs: Any) -> None:
        if isinstance(lhs, Col):
            lhs = AsJsonb(lhs, output_field=lhs.output_field)
        lookup.__init__(self, lhs, rhs)

    return type(lookup.__name__, (lookup,), {"__init__": __init__})


def json_as_text(sender: Any, connection: Any, **kwargs: Any) -> None:
    """psycopg would parse json columns with the json module; from_db_value decodes them (as
    Django has it done for jsonb). A connection_created receiver."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_loader("json", TextLoader)
