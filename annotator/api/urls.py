"""The REST API under /api/ (see DESIGN.md, "REST API"), its schema and its docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.annotations import ProjectAnnotations
from annotator.api.base import not_found
from annotator.api.claims import ClaimDetail, DocumentClaims
from annotator.api.documents import DocumentDetail, DocumentList, DocumentSubmit
from annotator.api.entities import EntityDetail, EntityList
from annotator.api.explorer import ProjectClaims, ProjectClaimStats
from annotator.api.exports import ProjectAgreement, ProjectExport, ProjectSuggester
from annotator.api.jobs import JobDetail, JobDownload, JobList, JobRetry, ProjectJobs
from annotator.api.members import ProjectAssign, ProjectMembers
from annotator.api.projects import ProjectDetail, ProjectList
from annotator.content_policy import inline_styles


class ApiDocs(SpectacularSwaggerSplitView):
    """The browsable docs page. Its HTML renderer has no template for OPTIONS' description
    (a 500), so that answers JSON, as on every other endpoint."""

    def options(self, request: Request, *args: object, **kwargs: object) -> Response:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        return super().options(request, *args, **kwargs)


urlpatterns = [
    path("projects/", ProjectList.as_view(), name="api-projects"),
    path("projects/<slug:slug>/", ProjectDetail.as_view(), name="api-project"),
    path("projects/<slug:slug>/documents/", DocumentList.as_view(), name="api-documents"),
    path("projects/<slug:slug>/entities/", EntityList.as_view(), name="api-entities"),
    path(
        "projects/<slug:slug>/annotations/",
        ProjectAnnotations.as_view(),
        name="api-annotations",
    ),
    path("projects/<slug:slug>/claims/", ProjectClaims.as_view(), name="api-project-claims"),
    path(
        "projects/<slug:slug>/claims/stats/",
        ProjectClaimStats.as_view(),
        name="api-project-claim-stats",
    ),
    path("projects/<slug:slug>/export.jsonl", ProjectExport.as_view(), name="api-export"),
    path("projects/<slug:slug>/agreement/", ProjectAgreement.as_view(), name="api-agreement"),
    path("projects/<slug:slug>/jobs/", ProjectJobs.as_view(), name="api-project-jobs"),
    path("projects/<slug:slug>/suggester/", ProjectSuggester.as_view(), name="api-suggester"),
    path("jobs/", JobList.as_view(), name="api-jobs"),
    path("jobs/<int:id>/", JobDetail.as_view(), name="api-job"),
    path("jobs/<int:id>/retry/", JobRetry.as_view(), name="api-job-retry"),
    path("jobs/<int:id>/download", JobDownload.as_view(), name="api-job-download"),
    path("projects/<slug:slug>/members/", ProjectMembers.as_view(), name="api-members"),
    path("projects/<slug:slug>/assign/", ProjectAssign.as_view(), name="api-assign"),
    path("documents/<int:id>/", DocumentDetail.as_view(), name="api-document"),
    path("documents/<int:id>/claims/", DocumentClaims.as_view(), name="api-claims"),
    path("documents/<int:id>/submit/", DocumentSubmit.as_view(), name="api-submit"),
    path("claims/<int:id>/", ClaimDetail.as_view(), name="api-claim"),
    path("entities/<int:id>/", EntityDetail.as_view(), name="api-entity"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline style attributes (its script is a file of ours, ?script).
    path("docs/", inline_styles(ApiDocs.as_view(url_name="api-schema")), name="api-docs"),
    re_path(r"", not_found),
]
