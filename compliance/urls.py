"""Addresses of the compliance pack (namespace "compliance")."""

from django.urls import path

from . import ave_views

app_name = "compliance"

urlpatterns = [
    path("bilan-ave/", ave_views.ave_return_page, name="ave_return"),
    path("bilan-ave/export.xlsx", ave_views.ave_export_download, name="ave_export"),
]
