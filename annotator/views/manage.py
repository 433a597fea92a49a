"""Manager pages: import documents, export the dataset, members and assignment."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotator import formats
from annotator.downloads import download
from annotator.jobs.importing import annotation_params
from annotator.models import Job, Membership, Role
from annotator.services import jobs, transfer, workflow
from annotator.services.access import project_access
from annotator.services.errors import DomainError, ImportFailed
from annotator.services.exporting import PER_CHOICES, STATUSES, JsonlExport, parse_statuses
from annotator.services.importing import import_documents
from annotator.services.projects import remove_member, set_member
from annotator.services.records import FORMATS, read_csv, read_jsonl, read_txt_file


@login_required
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_manager()
    context: dict = {
        "project": access.project,
        "access": access,
        "formats": FORMATS,
        "annotation_formats": [(f.identifier, f.verbose_name) for f in formats.FORMATS.values()],
        "inline_limit": settings.JOBS_INLINE_IMPORT_BYTES,
    }
    if request.method != "POST":
        return render(request, "annotator/import.html", context)
    upload = request.FILES.get("file")
    preview = request.POST.get("action") == "preview"
    if upload is None:
        context["errors"] = ["Choose a file to import."]
    else:
        try:
            found = transfer.identify_upload(upload.name, upload, request.POST.get("format"))
            if preview:
                context["preview"] = _preview(found, _options(request))
            elif _in_background(request, upload, found):
                # The job page shows its progress, counts or errors.
                return redirect("job", _enqueue(request, access, upload, found).pk)
            else:
                result = _import(access.project, found, request.POST, _options(request))
                if result.empty:
                    messages.warning(
                        request, f"{upload.name} held no documents; nothing was imported."
                    )
                else:
                    messages.success(request, f"{upload.name}: {_said(result)}.")
                return redirect("import", access.project.slug)
        except ImportFailed as exc:
            context["errors"] = [f"{upload.name} {e}" for e in exc.errors]
            context["refused"] = upload.name
        except DomainError as exc:
            context["errors"] = [str(exc)]
    if preview and request.htmx:
        return render(request, "annotator/import.html#preview", context)
    return render(request, "annotator/import.html", context)


def _in_background(request: HttpRequest, upload, found: transfer.Upload) -> bool:
    """Uploads over JOBS_INLINE_IMPORT_BYTES (or when asked) go to a worker, whatever
    their format."""
    return bool(request.POST.get("background")) or upload.size > settings.JOBS_INLINE_IMPORT_BYTES


def _enqueue(request: HttpRequest, access, upload, found: transfer.Upload) -> Job:
    if found.kind == transfer.DOCUMENTS:
        kind, params = "import_documents", {"format": found.format}
    else:
        kind = "import_annotations"
        params = annotation_params(
            found.format,
            create_users=request.POST.get("create_users") == "1",
            as_suggestions=request.POST.get("as_suggestions") == "1",
            options=_options(request),
        )
    upload.seek(0)
    name = Path(upload.name).name
    return jobs.enqueue(
        access.project, kind, owner=request.user, params=params, input=upload, input_name=name
    )


def _options(request: HttpRequest) -> dict:
    annotator = request.POST.get("annotator", "").strip()
    return {"annotator": annotator} if annotator else {}


def _preview(found: transfer.Upload, options: dict) -> dict:
    """What the page shows before importing: the first document and its first claims."""
    if found.kind == transfer.DOCUMENTS:
        return {"kind": found.kind, "format": found.format}
    fmt = formats.get(found.format)
    shown = transfer.preview_file(found.bundle, fmt, options)  # type: ignore[arg-type]
    return {"kind": found.kind, "format": fmt.verbose_name, "shown": shown}


def _import(project, found: transfer.Upload, post, options: dict):
    """Import the upload: documents, or annotations in a format (ImportFailed: nothing)."""
    if found.kind == transfer.DOCUMENTS:
        return _import_upload(project, found.stream, found.name, found.format)
    return transfer.import_file(
        project,
        found.bundle,  # type: ignore[arg-type]
        formats.get(found.format),
        source=found.name,
        create_users=post.get("create_users") == "1",
        as_suggestions=post.get("as_suggestions") == "1",
        options=options,
    )


def _said(result) -> str:
    """What an import did, with the first things an annotation import left out."""
    notices = getattr(result, "notices", [])
    if not notices:
        return str(result)
    more = f" and {len(notices) - 5} more" if len(notices) > 5 else ""
    return f"{result}; left out: {'; '.join(str(n) for n in notices[:5])}{more}"


def _import_upload(project, upload, name: str, fmt: str):
    if fmt not in FORMATS:
        raise DomainError(f"unknown format {fmt!r}")
    if fmt == "txt":
        # One uploaded .txt file is one document; it is small enough to go through a temp file.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            upload.seek(0)
            path.write_bytes(upload.read())
            try:
                record = read_txt_file(path)
            except DomainError as exc:
                raise ImportFailed(name, [exc]) from None
            return import_documents(project, [(1, record)], source=name)
    upload.seek(0)
    records = read_jsonl(upload) if fmt == "jsonl" else read_csv(upload)
    return import_documents(project, records, source=name)


@login_required
def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = project_access(request.user, slug)
    access.require_reviewer()
    context = {
        "project": access.project,
        "access": access,
        "per_choices": PER_CHOICES,
        "statuses": STATUSES,
        "formats": [formats.FORMATS[name] for name in formats.WRITABLE],
    }
    if "download" not in request.GET:
        return render(request, "annotator/export.html", context)
    try:
        fmt = transfer.choose_format(None, request.GET.get("format") or "claims", writing=True)
        export = JsonlExport(
            access.project,
            per=request.GET.get("per", "document") if fmt.identifier == "claims" else "document",
            statuses=parse_statuses(request.GET.getlist("status")),
            gold=request.GET.get("gold") == "1",
        )
    except DomainError as exc:
        return render(
            request, "annotator/export.html", {**context, "error": exc.message}, status=400
        )
    return download(export, fmt)


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
