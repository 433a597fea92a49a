from django.contrib.auth import views as auth_views
from django.urls import path

from annotator.views import annotate, entities, manage, profile, projects, review, workflow

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("", projects.project_list, name="project-list"),
    path("p/<slug:slug>/", projects.dashboard, name="dashboard"),
    path("p/<slug:slug>/guidelines/", projects.guidelines, name="guidelines"),
    path("p/<slug:slug>/next/", workflow.next_in_project, name="annotate-next"),
    path("p/<slug:slug>/entities/", entities.entity_search, name="entity-search"),
    path("p/<slug:slug>/import/", manage.import_page, name="import"),
    path("p/<slug:slug>/export/", manage.export_page, name="export"),
    path("p/<slug:slug>/members/", manage.members, name="members"),
    path("p/<slug:slug>/review/", review.queue, name="review-queue"),
    path("p/<slug:slug>/agreement/", review.agreement, name="agreement"),
    path("d/<int:document_id>/", annotate.annotate, name="annotate"),
    path("d/<int:document_id>/claims/new/", annotate.new_claim_form, name="claim-new"),
    path("d/<int:document_id>/claims/draft/", annotate.draft_action, name="claim-draft"),
    path("d/<int:document_id>/claims/save/", annotate.save_claim, name="claim-save"),
    path("d/<int:document_id>/submit/", workflow.submit, name="document-submit"),
    path("d/<int:document_id>/skip/", workflow.skip, name="document-skip"),
    path("d/<int:document_id>/reopen/", workflow.reopen, name="document-reopen"),
    path("d/<int:document_id>/next/", workflow.neighbour, {"step": 1}, name="document-next"),
    path("d/<int:document_id>/prev/", workflow.neighbour, {"step": -1}, name="document-prev"),
    path("d/<int:document_id>/review/", review.review_document, name="review-document"),
    path("d/<int:document_id>/review/set/", review.review_assignment, name="review-assignment"),
    path("d/<int:document_id>/gold/", review.gold_status, name="gold-status"),
    path("c/<int:claim_id>/", annotate.claim_form, name="claim-form"),
    path("c/<int:claim_id>/review/", review.review_claim, name="review-claim"),
    path("c/<int:claim_id>/gold/", review.take_gold, name="take-gold"),
    path("c/<int:claim_id>/ungold/", review.drop_gold, name="drop-gold"),
    path("c/<int:claim_id>/delete/", annotate.delete_claim_view, name="claim-delete"),
]
