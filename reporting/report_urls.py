"""Routes of the report pages."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("bilans/", report_views.report_list, name="report_list"),
    path("bilans/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("bilans/<int:pk>/etat/", report_views.report_status, name="report_status"),
    path("bilans/<int:pk>/relancer/", report_views.report_retry, name="report_retry"),
    path("bilans/<int:pk>/telecharger/", report_views.report_download, name="report_download"),
]
