"""Addresses of the open data (namespace "opendata")."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("schema.json", views.schema_file, name="schema"),
    path("<int:year>.csv", views.download, name="download"),
    path("construire/", views.build_now, name="build"),
]
