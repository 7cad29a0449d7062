"""Dashboards, exports and reports; each part keeps its routes beside its views."""

from .dashboard_urls import urlpatterns as dashboard_urls
from .export_urls import urlpatterns as export_urls
from .report_urls import urlpatterns as report_urls

app_name = "reporting"
urlpatterns = dashboard_urls + export_urls + report_urls
