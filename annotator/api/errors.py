"""Domain errors to responses, in one place: every API view uses this exception handler.

A refused body is a 400 in DRF's own shape, ``{"field": ["message"]}``; bulk posts list one
error per refused item; a stale version is a 409 carrying the claim as it is now.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotator.api.shapes import claim_json
from annotator.services.errors import DomainError, ImportFailed, StaleVersion


class ItemsFailed(DomainError):
    """Some items of a list were refused; nothing of the list was kept."""

    def __init__(self, errors: list[DomainError], what: str = "created") -> None:
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"item {first.line}: {first.message}{more}; nothing was {what}", code="items_failed"
        )


def item_error(error: DomainError) -> dict[str, Any]:
    return {
        "index": error.line - 1 if error.line else None,
        "line": error.line,
        "field": error.field,
        "message": error.message,
    }


def error_body(exc: DomainError) -> dict[str, Any]:
    if isinstance(exc, StaleVersion):
        return {"detail": exc.message, "code": exc.code, "current": claim_json(exc.current)}
    if isinstance(exc, ImportFailed | ItemsFailed):
        return {"detail": str(exc), "code": exc.code, "errors": [item_error(e) for e in exc.errors]}
    if exc.status != 400:
        return {"detail": exc.message, "code": exc.code}
    return {exc.field or "non_field_errors": [exc.message]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc), status=exc.status)
    return drf_exception_handler(exc, context)
