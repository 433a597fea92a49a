"""The claim explorer: claims across the corpus with their pictures, an entity's page, and
the export of a view. Filters live in the URL; htmx swaps the explorer region and pushes the
URL, so links are shareable and the back button works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotator import charts
from annotator.models import Entity, Membership
from annotator.models.document import EntityType
from annotator.services import explorer, view_export
from annotator.services.access import Access, project_access
from annotator.services.entities import update_entity
from annotator.services.errors import DomainError

PAGE = "annotator/explorer.html"


def _filters(request: HttpRequest, access: Access) -> tuple[explorer.Filters, str]:
    """The URL's filters, or none and the reason they were refused."""
    try:
        return explorer.parse_filters(request.GET, access.project.parsed_scheme.stance_labels), ""
    except DomainError as exc:
        return explorer.Filters(), f"{exc.field}: {exc.message}"


def _linker(slug: str, f: explorer.Filters) -> Callable[..., str]:
    """link(**changes): the explorer's URL for these filters, changed as asked."""
    url = reverse("explorer", args=[slug])
    return lambda **changes: f"{url}?{urlencode(f.query(**changes))}"


def time_chart(stats: dict[str, Any]) -> dict[str, Any]:
    return {**charts.stacked_columns(stats["rows"], stats["series"]), "stats": stats}


def matrix_chart(
    stats: dict[str, Any], link: Any, series: list[str], cell: int = 44
) -> dict[str, Any]:
    """Who says what about whom: speakers down, targets across; a cell's colour is the
    balance of the first two stances, its area the number of claims; it links to them."""
    speakers = [s["id"] for s in stats["speakers"]]
    targets = [t["id"] for t in stats["targets"]]
    first, second = [*series, "", ""][:2]
    cells = {}
    for row in stats["rows"]:
        counts = row["counts"]
        cells[speakers.index(row["speaker"]), targets.index(row["target"])] = {
            "n": row["total"],
            "cls": charts.balance_class(counts.get(first, 0), counts.get(second, 0), row["total"]),
            "title": f"{row['label']}: {row['total']} claims, "
            + ", ".join(f"{n} {s}" for s, n in counts.items() if n),
            "href": link(speaker=row["speaker"], target=row["target"]),
            "row": row,
        }
    grid = charts.grid(
        [s["name"] for s in stats["speakers"]],
        [t["name"] for t in stats["targets"]],
        cells,
        sized=True,
        cell=cell,
    )
    return {**grid, "stats": stats, "first": first, "second": second}


def _annotators(access: Access) -> list[str]:
    if not access.sees_all_claims:
        return [access.user.get_username()]
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(project=access.project).values("user")
    )
    return list(users.order_by("username").values_list("username", flat=True))


@login_required
@require_GET
def claims(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    f, error = _filters(request, access)
    link = _linker(slug, f)
    page = explorer.claim_page(access, f, explorer.page_number(request.GET.get("page")))
    period = _period(request)
    labels = access.project.parsed_scheme.stance_labels
    entities = Entity.objects.filter(project=access.project).order_by("name")
    context = {
        "project": access.project,
        "access": access,
        "f": f,
        "error": error,
        "page": page,
        "period": period,
        "charts": f"{reverse('explorer-charts', args=[slug])}?"
        + urlencode({**f.query(), "period": period}),
        "entities": entities.values_list("id", "name"),
        "annotators": _annotators(access),
        "labels": [*labels, explorer.NO_STANCE],
        "statuses": explorer.STATUSES.items(),
        "types": EntityType.choices,
        "query": urlencode(f.query()),
        "sorts": {
            **{key: link(sort=key) for key in explorer.SORTS},
            "date": link(sort="published" if f.sort == "-published" else "-published"),
        },
        "pages": {
            "previous": link(page=page.number - 1) if page.has_previous else "",
            "next": link(page=page.number + 1) if page.has_next else "",
        },
        "exports": {
            fmt: reverse("explorer-export", args=[slug, fmt]) for fmt in view_export.FORMATS
        },
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{PAGE}#explorer", context)
    return render(request, PAGE, context)


def _period(request: HttpRequest) -> str:
    return "week" if request.GET.get("period") == "week" else "month"


@login_required
@require_GET
def claims_charts(request: HttpRequest, slug: str) -> HttpResponse:
    """The explorer's two charts for its filters, asked for by the page once it is shown:
    the table does not wait for the aggregates, and each answers on its own."""
    access = project_access(request.user, slug)
    f, _ = _filters(request, access)
    link = _linker(slug, f)
    period = _period(request)
    over_time = explorer.stats(access, f, period)
    pairs = explorer.stats(access, f, "pair")
    context = {
        "period": period,
        "query": urlencode(f.query()),
        "time": time_chart(over_time),
        "matrix": matrix_chart(pairs, link, over_time["series"]),
    }
    return render(request, f"{PAGE}#charts", context)


@login_required
@require_GET
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The view's claims as a file: exactly what the explorer lists for these filters."""
    access = project_access(request.user, slug)
    if fmt not in view_export.FORMATS:
        return HttpResponse("Unknown format.", status=404, content_type="text/plain")
    try:
        f = explorer.parse_filters(request.GET, access.project.parsed_scheme.stance_labels)
    except DomainError as exc:
        return HttpResponse(f"{exc.field}: {exc.message}", status=400, content_type="text/plain")
    lines = view_export.jsonl_lines if fmt == "jsonl" else view_export.csv_lines
    response = StreamingHttpResponse(lines(access, f), content_type=view_export.FORMATS[fmt])
    name = f"{access.project.slug}-claims.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def entity(request: HttpRequest, slug: str, entity_id: int) -> HttpResponse:
    """An entity as speaker and as target over time, with links into the explorer."""
    access = project_access(request.user, slug)
    found = get_object_or_404(Entity, project=access.project, pk=entity_id)
    roles = []
    for role in ("speaker", "target"):
        f = explorer.Filters(**{role: found.pk})
        stats = explorer.stats(access, f, "month")
        roles.append(
            {
                "role": role,
                "time": time_chart(stats),
                "href": _linker(slug, f)(),
            }
        )
    context = {"project": access.project, "access": access, "entity": found, "roles": roles}
    return render(request, "annotator/entity.html", context)


@login_required
@require_POST
def entity_links(request: HttpRequest, slug: str, entity_id: int) -> HttpResponse:
    """Set an entity's Wikidata id and type (reviewers and managers)."""
    access = project_access(request.user, slug)
    found = get_object_or_404(Entity, project=access.project, pk=entity_id)
    data = {"wikidata": request.POST.get("wikidata", ""), "type": request.POST.get("type", "")}
    try:
        update_entity(access, found, data)
        messages.success(request, f"Saved the links of “{found.name}”.")
    except DomainError as exc:
        messages.error(request, f"{found.name}: {exc.message}")
    if request.POST.get("back") == "entity":
        return redirect("entity", slug, found.pk)
    return redirect("entities", slug)
