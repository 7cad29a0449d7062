"""Routes of the export pages."""

from django.urls import path, re_path

from . import export_views

urlpatterns = [
    path("exports/", export_views.export_index, name="export_index"),
    re_path(
        r"^exports/(?P<name>[a-z-]+)\.(?P<fmt>csv|xlsx)$",
        export_views.export_download,
        name="export_download",
    ),
]
