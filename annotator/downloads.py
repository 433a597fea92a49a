"""An export as an HTTP download, for the export page and the API alike."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, StreamingHttpResponse

from annotator.formats import Format
from annotator.services.exporting import JsonlExport
from annotator.services.transfer import write_export

SPOOL_IN_MEMORY = 8 * 1024 * 1024  # larger downloads are written to a temporary file


def download(export: JsonlExport, fmt: Format) -> StreamingHttpResponse | FileResponse:
    """claims/1 streamed line by line; other formats written to a temporary file first (a
    zip's directory is written at its end, after every member)."""
    if fmt.identifier == "claims":
        response: StreamingHttpResponse | FileResponse = StreamingHttpResponse(
            export.lines(), content_type=export.content_type
        )
        filename = export.filename
    else:
        spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        write_export(export, fmt, spooled)  # type: ignore[arg-type]
        spooled.seek(0)
        # FileResponse closes the file once it is sent.
        response = FileResponse(spooled, content_type=fmt.content_type)
        gold = "-gold" if export.gold else ""
        filename = f"{export.project.slug}{gold}{fmt.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
