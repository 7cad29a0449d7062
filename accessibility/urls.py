"""Addresses of the accessibility statement (namespace "accessibility", under /accessibilite/)."""

from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    path("", views.statement, name="statement"),
]
