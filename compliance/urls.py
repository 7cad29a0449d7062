"""Addresses of the compliance pack (namespace "compliance")."""

from django.urls import path

from . import pnad_views

app_name = "compliance"

urlpatterns = [
    path("pnad/", pnad_views.pnad_returns, name="pnad"),
    path("pnad/export.xlsx", pnad_views.pnad_export, name="pnad_export"),
    path("pnad/bilan/", pnad_views.pnad_report_request, name="pnad_report"),
]
