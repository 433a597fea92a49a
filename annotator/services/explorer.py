"""The claim explorer: a project's claims across its documents, filtered, sorted, counted.

One set of filters (``Filters``) serves the page, its charts, the API and the export of a
view. Every query starts from ``Access.project_claims``, so the explorer shows exactly what
the rest of the app shows each user (blind annotators: their own claims only).

Dates are the documents' ``published`` strings (ISO 8601, kept verbatim): their first ten
characters are the day, so ranges compare as strings and charts group days in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Substr

from annotator.context import sentence_around
from annotator.highlights import block_starts, shown_text
from annotator.models import Assignment, Claim, Entity
from annotator.models.document import EntityType
from annotator.models.workflow import Decision
from annotator.offsets import Span
from annotator.services.access import Access
from annotator.services.errors import DomainError

PAGE_SIZE = 50
NO_STANCE = "none"  # the stance filter's and the charts' name for "not set"
STATUSES = {
    "any": "any claim you may see",
    "work": "annotators' claims (no gold)",
    "accepted": "accepted by a reviewer",
    "gold": "gold only",
}
GROUPS = ("month", "week", "stance", "speaker", "target", "pair")
# Sort keys and their order; each ends in the claim's place, so pages never overlap.
_PLACE = ("document_id", "claim_start", "claim_end", "id")
SORTS = {
    "-published": ("-document__published", *_PLACE),
    "published": ("document__published", *_PLACE),
    "speaker": ("speaker_entity__name", *_PLACE),
    "target": ("target_entity__name", *_PLACE),
    "stance": ("stance", *_PLACE),
    "annotator": ("annotator__username", *_PLACE),
    "title": ("document__title", *_PLACE),
}
TOP_ENTITIES = 10
_META_KEY = re.compile(r"^(?!.*__)[A-Za-z0-9_.-]{1,100}$")  # "__" would be a lookup


@dataclass(frozen=True)
class Filters:
    """What the explorer shows; every field optional."""

    speaker: int | None = None
    target: int | None = None
    entity: int | None = None  # as speaker or as target
    speaker_type: str = ""
    target_type: str = ""
    stance: str = ""
    annotator: str = ""
    status: str = "any"
    date_from: date | None = None
    date_to: date | None = None
    publisher: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    q: str = ""
    sort: str = "-published"

    def query(self, **changes: Any) -> dict[str, str]:
        """These filters (changed as asked) as URL parameters, defaults left out."""
        values = {**self.__dict__, **changes}
        out: dict[str, str] = {}
        for name, value in values.items():
            if name == "meta":
                if value:
                    out["meta"] = ",".join(f"{k}={v}" for k, v in value)
            elif name not in Filters.__dataclass_fields__:
                out[name] = str(value)
            elif value not in (None, "", Filters.__dataclass_fields__[name].default):
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def _id(value: str, name: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise DomainError("must be an id (a whole number)", field=name)
    return int(value)


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError("must be a date as YYYY-MM-DD", field=name) from None


def _choice(value: str, choices: Iterable[str], name: str) -> str:
    if value and value not in choices:
        raise DomainError(f"choose one of {', '.join(choices)}", field=name)
    return value


def parse_meta(value: str) -> tuple[tuple[str, str], ...]:
    """``"publisher=breitbart,wire=AFP"`` -> (("publisher", "breitbart"), ("wire", "AFP"))."""
    pairs = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        key, sep, wanted = item.partition("=")
        if not sep or not _META_KEY.match(key.strip()):
            raise DomainError("meta filters are key=value, separated by commas", field="meta")
        pairs.append((key.strip(), wanted.strip()))
    return tuple(pairs)


def parse_filters(params: Mapping[str, Any], labels: Iterable[str]) -> Filters:
    """Filters from URL parameters; DomainError names the first bad one."""

    def get(name: str) -> str:
        value = params.get(name)
        return value.strip() if isinstance(value, str) else ""

    types = EntityType.values
    return Filters(
        speaker=_id(get("speaker"), "speaker"),
        target=_id(get("target"), "target"),
        entity=_id(get("entity"), "entity"),
        speaker_type=_choice(get("speaker_type"), types, "speaker_type"),
        target_type=_choice(get("target_type"), types, "target_type"),
        stance=_choice(get("stance"), [*labels, NO_STANCE], "stance"),
        annotator=get("annotator")[:150],
        status=_choice(get("status"), STATUSES, "status") or "any",
        date_from=_day(get("date_from"), "date_from"),
        date_to=_day(get("date_to"), "date_to"),
        publisher=get("publisher")[:200],
        meta=parse_meta(get("meta")),
        q=get("q")[:200],
        sort=_choice(get("sort"), SORTS, "sort") or "-published",
    )


def filter_claims(claims: QuerySet[Claim], f: Filters) -> QuerySet[Claim]:
    """The claims that pass the filters (sorting aside)."""
    exact = {
        "speaker_entity_id": f.speaker,
        "target_entity_id": f.target,
        "speaker_entity__type": f.speaker_type,
        "target_entity__type": f.target_type,
        "annotator__username": f.annotator,
    }
    claims = claims.filter(**{k: v for k, v in exact.items() if v})
    if f.entity:
        claims = claims.filter(Q(speaker_entity_id=f.entity) | Q(target_entity_id=f.entity))
    if f.stance:
        claims = claims.filter(stance="" if f.stance == NO_STANCE else f.stance)
    if f.status == "work":
        claims = claims.filter(is_gold=False)
    elif f.status == "gold":
        claims = claims.filter(is_gold=True)
    elif f.status == "accepted":
        # Accepted one by one, or in an accepted set and not rejected on its own. The set is
        # joined (one per claim, by the unique document × annotator), not asked per claim:
        # an EXISTS under OR runs once for every claim.
        own_set = FilteredRelation(
            "document__assignments", condition=Q(document__assignments__annotator=F("annotator"))
        )
        claims = claims.alias(own_set=own_set).filter(
            Q(review=Decision.ACCEPTED) | Q(review="", own_set__review=Decision.ACCEPTED),
            is_gold=False,
        )
    if f.date_from:
        claims = claims.filter(document__published__gte=f.date_from.isoformat())
    if f.date_to:
        # "2024-12-01T10:00" < "2024-12-02": the whole last day is in.
        claims = claims.filter(document__published__lt=(f.date_to + timedelta(1)).isoformat())
    meta = ((("publisher", f.publisher),) if f.publisher else ()) + f.meta
    for key, value in meta:
        # __exact: a key named as a lookup ("isnull", "regex", "gt") is still a key.
        claims = claims.filter(**{f"document__meta__{key}__exact": value})
    if f.q:
        claims = claims.filter(search_text__icontains=f.q)
    return claims


def visible_claims(access: Access, f: Filters) -> QuerySet[Claim]:
    return filter_claims(access.project_claims(), f)


# The page ------------------------------------------------------------------------------------

_ROW_VALUES = (
    "id",
    "document_id",
    "annotator_id",
    "annotator__username",
    "is_gold",
    "review",
    "stance",
    "claim_start",
    "claim_end",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "target_start",
    "target_end",
    "fragments",
    "speaker_entity_id",
    "speaker_entity__name",
    "target_entity_id",
    "target_entity__name",
    "document__title",
    "document__external_id",
    "document__published",
    "document__text",
)


@dataclass
class ExplorerPage:
    """One page of rows and where it lies among all the filtered claims."""

    rows: list[dict[str, Any]]
    number: int
    count: int
    size: int = PAGE_SIZE

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.size)


def page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def claim_page(access: Access, f: Filters, number: int = 1) -> ExplorerPage:
    """One page of the filtered claims, each row ready to show: claim text and sentence,
    speaker, cue, target, document, state. Four queries however large the page: the count,
    the page's ids (sorted on narrow rows), the rows with their texts, their sets' states."""
    claims = visible_claims(access, f)
    count = claims.count()
    number = min(number, max(1, -(-count // PAGE_SIZE)))
    start = (number - 1) * PAGE_SIZE
    ids = list(
        claims.order_by(*SORTS[f.sort]).values_list("id", flat=True)[start : start + PAGE_SIZE]
    )
    found = {r["id"]: r for r in Claim.objects.filter(pk__in=ids).values(*_ROW_VALUES)}
    rows = [found[i] for i in ids if i in found]
    states = _set_states(rows)
    for row in rows:
        text = row.pop("document__text")
        pieces = row["fragments"] or {}

        def shown(role: str, row: dict = row, text: str = text, pieces: dict = pieces) -> str:
            start = row[f"{role}_start"]
            if start is None:
                return ""
            return shown_text(text, start, row[f"{role}_end"], pieces.get(role))

        claim = Span(row["claim_start"], row["claim_end"])
        sentence = sentence_around(text, claim)
        row["claim_text"] = shown("claim")
        row["before"] = text[sentence.start : claim.start]
        row["after"] = text[claim.end : sentence.end]
        row["speaker_text"] = shown("speaker")
        row["cue_text"] = shown("cue")
        row["target_text"] = shown("target")
        row["state"] = _state(row, states)
        # The article block that holds the claim: its place on the annotate page.
        row["block"] = bisect_right(block_starts(text), claim.start) - 1
    return ExplorerPage(rows, number, count)


def _set_states(rows: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    """(document, annotator) -> the annotation set's state, for the rows of one page."""
    documents = {r["document_id"] for r in rows if not r["is_gold"]}
    if not documents:
        return {}
    return {
        (d, a): review or status
        for d, a, status, review in Assignment.objects.filter(
            document_id__in=documents
        ).values_list("document_id", "annotator_id", "status", "review")
    }


def _state(row: dict[str, Any], states: Mapping[tuple[int, int], str]) -> str:
    if row["is_gold"]:
        return "gold"
    if row["review"]:
        return row["review"]
    return states.get((row["document_id"], row["annotator_id"]), "in_progress")


# The aggregates behind the charts ------------------------------------------------------------


def _series(labels: Iterable[str]) -> list[str]:
    return [*labels, NO_STANCE]


def _bucket_row(key: Any, label: str, counts: Counter, series: list[str]) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "counts": {s: counts.get(s, 0) for s in series},
        "total": sum(counts.values()),
    }


def stats(access: Access, f: Filters, group: str) -> dict[str, Any]:
    """The filtered claims counted by stance within each group: months or ISO weeks of
    publication, speakers or targets (the top ones), speaker × target pairs, or stance
    alone. One query (two for entity groups, which read the entities' names)."""
    if group not in GROUPS:
        raise DomainError(f"choose one of {', '.join(GROUPS)}", field="group")
    series = _series(access.project.parsed_scheme.stance_labels)
    claims = visible_claims(access, f).order_by()
    result: dict[str, Any] = {"group": group, "series": series}
    if group in ("month", "week"):
        rows = (
            claims.annotate(day=Substr("document__published", 1, 10))
            .values_list("day", "stance")
            .annotate(n=Count("id"))
        )
        result.update(_by_time(rows, group, series))
    elif group == "stance":
        counts = Counter(
            {(s or NO_STANCE): n for s, n in claims.values_list("stance").annotate(n=Count("id"))}
        )
        result["rows"] = [_bucket_row(s, s, Counter({s: counts[s]}), series) for s in series]
    elif group in ("speaker", "target"):
        rows = (
            claims.filter(**{f"{group}_entity__isnull": False})
            .values_list(f"{group}_entity_id", "stance")
            .annotate(n=Count("id"))
        )
        result["rows"] = _by_entity(rows, series)
    else:
        rows = (
            claims.filter(speaker_entity__isnull=False, target_entity__isnull=False)
            .values_list("speaker_entity_id", "target_entity_id", "stance")
            .annotate(n=Count("id"))
        )
        result.update(_by_pair(rows, series))
    result["total"] = sum(r["total"] for r in result["rows"]) + result.get("undated", 0)
    return result


def _period(day: date, group: str) -> tuple[str, date]:
    """The month or ISO week a day falls in: its label and first day."""
    if group == "month":
        return day.strftime("%Y-%m"), day.replace(day=1)
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - timedelta(weekday - 1)


def _next(start: date, group: str) -> date:
    if group == "week":
        return start + timedelta(7)
    return (start.replace(day=28) + timedelta(4)).replace(day=1)


def _by_time(rows: Iterable[tuple], group: str, series: list[str]) -> dict[str, Any]:
    buckets: dict[date, Counter] = defaultdict(Counter)
    undated = 0
    starts: dict[str, date | None] = {}  # a day comes once per stance: place it once
    for day, stance, n in rows:
        if day not in starts:
            try:
                starts[day] = _period(date.fromisoformat(day or ""), group)[1]
            except ValueError:
                starts[day] = None
        start = starts[day]
        if start is None:
            undated += n
            continue
        buckets[start][stance or NO_STANCE] += n
    out = []
    if buckets:
        # Every period from the first to the last, empty ones too: time runs evenly.
        start, last = min(buckets), max(buckets)
        while start <= last:
            out.append(
                _bucket_row(start.isoformat(), _period(start, group)[0], buckets[start], series)
            )
            start = _next(start, group)
    return {"rows": out, "undated": undated}


def _names(ids: Iterable[int]) -> dict[int, Entity]:
    return {e.pk: e for e in Entity.objects.filter(pk__in=set(ids))}


def _entity_row(entity: Entity, counts: Counter, series: list[str]) -> dict[str, Any]:
    row = _bucket_row(entity.pk, entity.name, counts, series)
    row.update(wikidata=entity.wikidata or None, type=entity.type or None)
    return row


def _by_entity(rows: Iterable[tuple], series: list[str]) -> list[dict[str, Any]]:
    counts: dict[int, Counter] = defaultdict(Counter)
    for entity_id, stance, n in rows:
        counts[entity_id][stance or NO_STANCE] += n
    top = sorted(counts, key=lambda e: -sum(counts[e].values()))[:TOP_ENTITIES]
    entities = _names(top)
    return [_entity_row(entities[e], counts[e], series) for e in top]


def _by_pair(rows: Iterable[tuple], series: list[str]) -> dict[str, Any]:
    """The top speakers and targets (by claims between them) and their cells."""
    cells: dict[tuple[int, int], Counter] = defaultdict(Counter)
    speakers: Counter = Counter()
    targets: Counter = Counter()
    for speaker, target, stance, n in rows:
        cells[speaker, target][stance or NO_STANCE] += n
        speakers[speaker] += n
        targets[target] += n
    top_s = [e for e, _ in speakers.most_common(TOP_ENTITIES)]
    top_t = [e for e, _ in targets.most_common(TOP_ENTITIES)]
    entities = _names(top_s + top_t)
    out = []
    for s in top_s:
        for t in top_t:
            if (s, t) in cells:
                row = _bucket_row(
                    f"{s}-{t}", f"{entities[s].name} → {entities[t].name}", cells[s, t], series
                )
                row.update(speaker=s, target=t)
                out.append(row)
    return {
        "rows": out,
        "speakers": [{"id": e, "name": entities[e].name} for e in top_s],
        "targets": [{"id": e, "name": entities[e].name} for e in top_t],
    }
