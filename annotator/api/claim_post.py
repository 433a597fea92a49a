"""The hot path of annotation: POST /api/documents/<id>/claims/ with a token.

An annotator adds claims one request at a time, so this request sets the pace of the tool.
The general path costs three reads before the write (token, document with role, the
assignment's lock) and two inserts (claim, history) inside BEGIN … COMMIT. Here one read
finds the token's user, the document, the user's role in its project and the user's
assignment on it; the claim is validated by the same claim_fields. Then, on PostgreSQL, one
statement in autocommit mode writes it (two round trips in all, against eight):

- it locks the assignment (FOR UPDATE, as the general path's _open_assignment does) and
  goes on only if the set is still open, so a submit cannot interleave: one that committed
  first leaves nothing to insert, and the general view then refuses the claim;
- it inserts the claim and, from the inserted row, its history row, as simple-history's
  post_save writes it (the same columns and values; tested against the general view).

SQLite has no data-modifying WITH: there the claim is saved by save() in a transaction,
after the same read.

Anything out of the ordinary — no token, a token throttled or unknown, no assignment yet,
a first claim that moves the assignment to in progress, a submitted set, invalid JSON, any
refused payload — is left to the general DRF view, which answers it as it always has; the
transaction here has written nothing by then.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from annotator.api.auth import FailedTokenThrottle
from annotator.api.renderers import OrjsonRenderer
from annotator.api.shapes import claim_json
from annotator.formats import exact_json
from annotator.models import Assignment, Claim, Document, Membership, Project, Role
from annotator.models.workflow import AssignmentStatus, Decision
from annotator.services.access import Access
from annotator.services.claims import EntityResolver, claim_fields
from annotator.services.errors import DomainError

User = get_user_model()


def _columns(model: Any, alias: str) -> tuple[list[str], str]:
    names = [f.attname for f in model._meta.concrete_fields]
    return names, ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def _load(model: Any, names: list[str], values: tuple) -> Any:
    """A model instance from raw column values, converted as the ORM converts them (JSON,
    SQLite's booleans and dates)."""
    converted = []
    for field, value in zip(model._meta.concrete_fields, values, strict=True):
        col = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)


_USER, _USER_SQL = _columns(User, "u")
_PROJECT, _PROJECT_SQL = _columns(Project, "p")
_DOCUMENT = ["id", "project_id", "text", "gold_status"]

# Token, user, document, project, role and the user's assignment, which is locked.
_SQL = f"""
SELECT {_USER_SQL}, {_PROJECT_SQL}, d."id", d."project_id", d."text", d."gold_status",
       m."role", a."id", a."status", a."review"
FROM "{Token._meta.db_table}" t
JOIN "{User._meta.db_table}" u ON u."id" = t."user_id"
JOIN "{Document._meta.db_table}" d ON d."id" = %s
JOIN "{Project._meta.db_table}" p ON p."id" = d."project_id"
JOIN "{Assignment._meta.db_table}" a ON a."document_id" = d."id" AND a."annotator_id" = u."id"
LEFT JOIN "{Membership._meta.db_table}" m ON m."project_id" = p."id" AND m."user_id" = u."id"
WHERE t."key" = %s AND u."is_active"
"""

EDITABLE = (AssignmentStatus.IN_PROGRESS,)


class Declined(Exception):
    """The request is not for the hot path; the general view answers it."""


def with_hot_path(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The claims view, with POSTs tried on the hot path first."""

    @functools.wraps(view)  # keeps cls and initkwargs, which the schema generator reads
    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                return post_claim(request, kwargs["id"])
            except Declined:
                pass
        return view(request, *args, **kwargs)

    return dispatch


def token_of(request: HttpRequest) -> str | None:
    words = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(words) == 2 and words[0].lower() == "token":
        return words[1]
    return None


def post_claim(request: HttpRequest, document_id: int) -> HttpResponse:
    """Add a claim; raises Declined for anything the general view must answer."""
    key = token_of(request)
    accept = request.META.get("HTTP_ACCEPT", "")
    if key is None or request.content_type != "application/json":
        raise Declined
    if accept and "*/*" not in accept and "application/json" not in accept:
        raise Declined
    if FailedTokenThrottle().blocked(request):
        raise Declined
    try:
        data = exact_json.loads(request.body)
    except orjson.JSONDecodeError:
        raise Declined from None
    if not isinstance(data, dict) or b"\\u0000" in request.body:
        raise Declined
    one_statement = connection.vendor == "postgresql"
    try:
        with nullcontext() if one_statement else transaction.atomic():
            access, document, assignment_id = _authorise(key, document_id)
            request.user = access.user  # simple-history's middleware names the user from it
            fields = claim_fields(
                access.project, document.text, data, EntityResolver(access.project)
            )
            claim = Claim(document=document, annotator=access.user, **fields)
            if not one_statement:
                claim.save()
    except (DomainError, Http404, PermissionDenied):
        raise Declined from None
    if one_statement and not _insert_with_history(claim, assignment_id):
        raise Declined  # the set was submitted meanwhile: the general view refuses it
    body = claim_json(claim, document.text, access.user.username)
    response = HttpResponse(OrjsonRenderer().render(body), status=201)
    response["Content-Type"] = "application/json"
    response["Vary"] = "Accept"
    response["Allow"] = "GET, POST, HEAD, OPTIONS"
    return response


def _authorise(key: str, document_id: int) -> tuple[Access, Document, int]:
    """One query: the token's user, the document, the role, the open assignment's id."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [document_id, key])
        row = cursor.fetchone()
    if row is None:
        raise Declined  # unknown token or document, or no assignment yet
    n, m = len(_USER), len(_USER) + len(_PROJECT)
    user = _load(User, _USER, row[:n])
    project = _load(Project, _PROJECT, row[n:m])
    document = Document(id=row[m], project_id=row[m + 1], text=row[m + 2], gold_status=row[m + 3])
    document.project = project
    role, status, review = row[m + 4], row[m + 6], row[m + 7]
    if user.is_superuser:
        role = Role.MANAGER
    if role is None:
        raise Declined  # not a member: the general view says 404
    if status not in EDITABLE and not (
        status == AssignmentStatus.SUBMITTED and review == Decision.REJECTED
    ):
        raise Declined  # a first claim (todo, skipped) or a submitted set
    return Access(user, project, role), document, row[m + 5]


_CLAIM = [f for f in Claim._meta.concrete_fields if not f.primary_key]
_HISTORY = Claim.history.model
# The history row (simple-history's HistoricalClaim): the inserted claim's columns, and
# simple-history's own, given as post_save would (history_id is the table's own).
_HISTORY_COLUMNS = [f.column for f in _HISTORY._meta.concrete_fields if f.name != "history_id"]
_HISTORY_OWN = {
    "history_date": "%s",
    "history_change_reason": "NULL",
    "history_type": "'+'",
    "history_user_id": "%s",
}
_CLAIM_COLUMNS = ", ".join(f'"{f.column}"' for f in _CLAIM)
_CLAIM_VALUES = ", ".join(["%s"] * len(_CLAIM))
_HISTORY_VALUES = ", ".join(_HISTORY_OWN.get(c, f'claim."{c}"') for c in _HISTORY_COLUMNS)
_INSERT = f"""
WITH open AS (
    SELECT 1 FROM "{Assignment._meta.db_table}"
    WHERE "id" = %s AND ("status" = ANY(%s) OR ("status" = %s AND "review" = %s))
    FOR UPDATE
), claim AS (
    INSERT INTO "{Claim._meta.db_table}" ({_CLAIM_COLUMNS}) SELECT {_CLAIM_VALUES} FROM open
    RETURNING *
)
INSERT INTO "{_HISTORY._meta.db_table}" ({", ".join(f'"{c}"' for c in _HISTORY_COLUMNS)})
SELECT {_HISTORY_VALUES} FROM claim
RETURNING "id"
"""


def _insert_with_history(claim: Claim, assignment_id: int) -> bool:
    """Write the claim and its history row in one statement, if the assignment is still
    open (locked meanwhile); False if it is not."""
    claim.copy_search_text()  # what save() would do first
    values = [f.get_db_prep_save(f.pre_save(claim, True), connection) for f in _CLAIM]
    history = {"history_date": timezone.now(), "history_user_id": claim.annotator_id}
    params = [
        assignment_id,
        list(EDITABLE),
        AssignmentStatus.SUBMITTED,
        Decision.REJECTED,
        *values,
        *(history[c] for c in _HISTORY_COLUMNS if _HISTORY_OWN.get(c) == "%s"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, params)
        row = cursor.fetchone()
    if row is None:
        return False
    claim.pk = row[0]
    claim._state.adding = False
    return True
