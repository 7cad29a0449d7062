"""Routes of the dashboards (the facilitator's is also the home page of facilitators)."""

from django.urls import path

from . import dashboard_views

urlpatterns = [
    path("tableau-de-bord/", dashboard_views.facilitator_dashboard, name="facilitator_dashboard"),
    path("pilotage/", dashboard_views.department_dashboard, name="department_dashboard"),
]
