"""What every API view shares: auth, JSON through orjson, the error handler, schema helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView

from annotator.api.auth import GuardedTokenAuthentication
from annotator.api.errors import exception_handler
from annotator.api.renderers import OrjsonParser, OrjsonRenderer
from annotator.api.serializers import ErrorSerializer
from annotator.services.errors import DomainError

_ERROR_TEXT = {
    400: "Invalid request: {field: [message]}, or detail (and errors for bulk posts).",
    401: "Not authenticated: send Authorization: Token KEY or a session cookie.",
    403: "Your role in the project does not allow this.",
    404: "No such object, or not in one of your projects.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for extend_schema(responses=...)."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_TEXT[code])
        for code in sorted({401, *codes})
    }


class ApiView(GenericAPIView):
    # Token first, so that an anonymous request gets 401 with WWW-Authenticate: Token.
    authentication_classes = [GuardedTokenAuthentication, SessionAuthentication]
    renderer_classes = [OrjsonRenderer]
    parser_classes = [OrjsonParser]
    pagination_class = None
    filter_backends: list = []

    def get_exception_handler(self):
        return exception_handler


@csrf_exempt  # it changes nothing, and unsafe methods must get the same JSON 404
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any path under /api/ that no endpoint has: a JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": "No such endpoint; see /api/docs/."}, status=404)


def json_object(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise DomainError("the body must be a JSON object")
    return data


def text_value(
    data: Mapping[str, Any], key: str, *, max_length: int | None = None, required: bool = False
) -> str:
    """A string field of the body ('' when absent); DomainError naming it otherwise."""
    value = data.get(key)
    if value is None:
        if required:
            raise DomainError("this field is required", field=key, code="required")
        return ""
    if not isinstance(value, str):
        raise DomainError("must be a string", field=key)
    if max_length is not None and len(value) > max_length:
        raise DomainError(f"at most {max_length} characters", field=key)
    return value


def items(data: Any) -> tuple[list[Any], bool]:
    """A body of one object or a list of them: (items, whether it was a list)."""
    if isinstance(data, list):
        return data, True
    if not isinstance(data, Mapping):
        raise DomainError("the body must be a JSON object or a list of them")
    return [data], False


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


def flag(value: str, field: str) -> bool:
    """A yes/no query parameter; anything else is refused, naming the parameter."""
    value = value.strip().lower()
    if value not in _TRUE | _FALSE:
        raise DomainError("use true or false", field=field)
    return value in _TRUE


def in_background(request: Any) -> bool:
    """Whether an import body goes to a worker (202 and the job): ``?background=`` decides
    when given, else a body larger than JOBS_INLINE_IMPORT_BYTES does."""
    asked = request.query_params.get("background", "")
    if asked.strip():
        return flag(asked, "background")
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.JOBS_INLINE_IMPORT_BYTES
