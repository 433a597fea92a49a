from django.contrib import admin
from django.urls import include, path

from annotator.views.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("annotator.api.urls")),
    path("", include("annotator.urls")),
]
