"""A JSONField that decodes with orjson: reading documents' ``meta`` with the json module
cost more than the rest of a request."""

from __future__ import annotations

from typing import Any

import orjson
from django.db import models
from django.db.models.fields.json import KeyTransform


class JSONField(models.JSONField):
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        # Backends return some key lookups already as SQL values (as Django's own field).
        if isinstance(expression, KeyTransform) and not isinstance(value, str):
            return value
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            # What orjson refuses but JSON allows (integers past 64 bits) goes the slow way.
            return super().from_db_value(value, expression, connection)
