from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from annotator.views.health import healthz


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says."""
    return redirect(static("annotator/favicon.svg"), permanent=True)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("api/", include("annotator.api.urls")),
    path("", include("annotator.urls")),
]

# Errors under /api/ answer JSON (see annotator/views/errors.py).
handler400 = "annotator.views.errors.bad_request"
handler403 = "annotator.views.errors.permission_denied"
handler404 = "annotator.views.errors.page_not_found"
handler500 = "annotator.views.errors.server_error"
