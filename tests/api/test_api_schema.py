"""The OpenAPI schema is valid and the API keeps to it (schemathesis, bounded examples)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import add_claim

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_schema_validates_without_warnings() -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's database connection across WSGI requests, as Django's test client does
    (by default each request ends by closing it, which would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the tests are collected (schemathesis' fixture-based loading does not work with
# this pytest); the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
schema.config.generation.update(modes=[GenerationMode.POSITIVE])
# Real objects for path parameters, filled in by the ``real_objects`` fixture per test.
REAL: dict[str, object] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Mostly the real project, document, claim or entity; sometimes what was generated."""
    if not path_parameters:
        return st.just(path_parameters)
    values = {}
    for name, generated in path_parameters.items():
        prefix = "slug" if name == "slug" else context.operation.path.split("{")[0]
        known = REAL.get(prefix, generated)
        values[name] = st.sampled_from([known, known, generated])
    return st.fixed_dictionaries(values)


@pytest.fixture
def real_objects(same_connection, mia, alice, document, entity) -> Iterator[None]:
    """A project, document, claim and entity the manager may act on."""
    add_claim(alice, document)
    REAL.update(
        {
            "slug": "syria-2024",
            "/api/documents/": document.pk,
            "/api/claims/": add_claim(mia, document).pk,
            "/api/entities/": entity.pk,
        }
    )
    yield
    REAL.clear()


# The JSON Lines body of the bulk import is covered by tests/api/test_api_documents.py.
@pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload media types")
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, mia, real_objects) -> None:
    """No 500s; every status, content type and body is the one the schema documents."""
    token, _ = Token.objects.get_or_create(user=mia)
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
