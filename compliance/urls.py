"""Addresses of the compliance pack (namespace "compliance")."""

from django.urls import path

from . import ave_views, oeth_views, pnad_views

app_name = "compliance"

urlpatterns = [
    path("pnad/", pnad_views.pnad_returns, name="pnad"),
    path("pnad/export.xlsx", pnad_views.pnad_export, name="pnad_export"),
    path("pnad/bilan/", pnad_views.pnad_report_request, name="pnad_report"),
    path("oeth/", oeth_views.oeth_index, name="oeth_index"),
    path("oeth/<int:year>/", oeth_views.oeth_year, name="oeth_year"),
    path("oeth/<int:year>/export.xlsx", oeth_views.oeth_export, name="oeth_export"),
    path("oeth/<int:year>/saisie/", oeth_views.oeth_year_edit, name="oeth_year_edit"),
    path("oeth/<int:year>/achats/nouveau/", oeth_views.oeth_purchase_create, name="oeth_purchase_create"),
    path("oeth/achats/<int:pk>/", oeth_views.oeth_purchase_update, name="oeth_purchase_update"),
    path("oeth/achats/<int:pk>/attestation/", oeth_views.oeth_attestation, name="oeth_attestation"),
    path("oeth/tih/", oeth_views.tih_list, name="tih_list"),
    path("oeth/tih/<int:pk>/", oeth_views.tih_update, name="tih_update"),
    path("bilan-ave/", ave_views.ave_return_page, name="ave_return"),
    path("bilan-ave/export.xlsx", ave_views.ave_export_download, name="ave_export"),
]
