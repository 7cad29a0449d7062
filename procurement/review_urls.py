"""Addresses of the review and the reconciliation, included under ``marches-publics/`` (namespace
"procurement", from ``procurement/urls.py``)."""

from django.urls import path

from . import review_views

urlpatterns = [
    path("a-examiner/", review_views.review_list, name="review_list"),
    path("<int:pk>/", review_views.review_detail, name="review_detail"),
    path("<int:pk>/creer/", review_views.review_accept, name="review_accept"),
    path("<int:pk>/rattacher/", review_views.review_merge, name="review_merge"),
    path("<int:pk>/ecarter/", review_views.review_dismiss, name="review_dismiss"),
    path("<int:pk>/annuler-la-decision/", review_views.review_undo, name="review_undo"),
    path("rapprochement/", review_views.reconciliation_page, name="reconciliation"),
    path("rapprochement/acheteur/<str:siret>/", review_views.reconciliation_buyer, name="reconciliation_buyer"),
    path("rapprochement/export/<str:name>.<str:fmt>", review_views.reconciliation_export, name="reconciliation_export"),
]
