"""Addresses of the DECP imports, included under ``marches-publics/`` (namespace "procurement")."""

from django.urls import path

from . import intake_views

urlpatterns = [
    path("imports/", intake_views.import_list, name="import_list"),
    path("imports/api/", intake_views.import_from_api, name="import_from_api"),
    path("imports/<int:pk>/", intake_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/etat/", intake_views.import_status, name="import_status"),
    path("imports/<int:pk>/relancer/", intake_views.import_retry, name="import_retry"),
]
