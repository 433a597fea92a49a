"""Manager pages: import documents, export the dataset, members and assignment."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from annotator.models import Membership, Role
from annotator.services import workflow
from annotator.services.access import project_access
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses
from annotator.services.importing import import_documents
from annotator.services.projects import remove_member, set_member
from annotator.services.records import FORMATS, guess_format, read_csv, read_jsonl, read_txt_file


@login_required
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_manager()
    context: dict = {"project": access.project, "access": access, "formats": FORMATS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = ["Choose a file to import."]
        else:
            fmt = request.POST.get("format") or guess_format(upload.name)
            try:
                result = _import_upload(access.project, upload, fmt)
            except ImportFailed as exc:
                context["errors"] = [f"{upload.name} {e}" for e in exc.errors]
                context["refused"] = upload.name
            except DomainError as exc:
                context["errors"] = [str(exc)]
            else:
                if result.empty:
                    messages.warning(
                        request, f"{upload.name} held no documents; nothing was imported."
                    )
                else:
                    messages.success(request, f"{upload.name}: {result}.")
                return redirect("import", access.project.slug)
    return render(request, "annotator/import.html", context)


def _import_upload(project, upload, fmt: str):
    if fmt not in FORMATS:
        raise DomainError(f"unknown format {fmt!r}")
    if fmt == "txt":
        # One uploaded .txt file is one document; it is small enough to go through a temp file.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                record = read_txt_file(path)
            except DomainError as exc:
                raise ImportFailed(upload.name, [exc]) from None
            return import_documents(project, [(1, record)], source=upload.name)
    upload.seek(0)
    records = read_jsonl(upload) if fmt == "jsonl" else read_csv(upload)
    return import_documents(project, records, source=upload.name)


@login_required
def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_reviewer()
    context = {
        "project": access.project,
        "access": access,
        "per_choices": PER_CHOICES,
        "statuses": STATUSES,
    }
    if "download" not in request.GET:
        return render(request, "annotator/export.html", context)
    try:
        export = JsonlExport(
            access.project,
            per=request.GET.get("per", "document"),
            statuses=parse_statuses(request.GET.getlist("status")),
            gold=request.GET.get("gold") == "1",
        )
    except DomainError as exc:
        return render(
            request, "annotator/export.html", {**context, "error": exc.message}, status=400
        )
    response = StreamingHttpResponse(export.lines(), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_manager()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "set":
                member = set_member(
                    access.project,
                    request.POST.get("username", "").strip(),
                    request.POST.get("role", ""),
                )
                messages.success(request, f"{member.user.username} is now {member.role}.")
            elif action == "remove":
                remove_member(access.project, request.POST.get("username", ""))
                messages.success(request, "Member removed.")
            elif action == "assign":
                k = int(request.POST.get("k") or access.project.parsed_scheme.overlap)
                made = workflow.assign_round_robin(access, k)
                messages.success(request, f"{made} assignments made ({k} annotators per document).")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("members", access.project.slug)
    memberships = Membership.objects.filter(project=access.project).select_related("user")
    return render(
        request,
        "annotator/members.html",
        {
            "project": access.project,
            "access": access,
            "memberships": memberships.order_by("role", "user__username"),
            "roles": Role.choices,
            "progress": sorted(workflow.progress(access).items()),
        },
    )
