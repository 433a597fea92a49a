"""What OPTIONS answers: the endpoint's name and description, and where its shapes are.

DRF's default describes the body of POST and PUT from the view's serializer, but our views
build their bodies with the services, and it failed with a 500 on every endpoint that takes
a POST. The OpenAPI schema describes every request and response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from rest_framework.metadata import SimpleMetadata

if TYPE_CHECKING:  # DRF's views import this module (DEFAULT_METADATA_CLASS) as they load
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ApiMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        metadata = super().determine_metadata(request, view)
        metadata["schema"] = reverse("api-schema")
        metadata["docs"] = reverse("api-docs")
        return metadata

    def determine_actions(self, request: Request, view: APIView) -> dict[str, Any]:
        return {}
