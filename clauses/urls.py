from django.urls import path

from . import contract_views, lot_views, operation_views, sheet_views, sourcing_views

app_name = "clauses"

urlpatterns = [
    path("operations/", operation_views.operation_list, name="operation_list"),
    path("operations/nouvelle/", operation_views.operation_create, name="operation_create"),
    path("operations/<int:pk>/", operation_views.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/modifier/", operation_views.operation_update, name="operation_update"),
    path("operations/<int:pk>/marches/nouveau/", contract_views.contract_create, name="contract_create"),
    path("marches/", contract_views.contract_list, name="contract_list"),
    path("marches/<int:pk>/", contract_views.contract_detail, name="contract_detail"),
    path("marches/<int:pk>/modifier/", contract_views.contract_update, name="contract_update"),
    path("marches/<int:pk>/lots/nouveau/", lot_views.lot_create, name="lot_create"),
    path("marches/<int:pk>/fiche-clause.pdf", sheet_views.contract_sheet, name="contract_sheet"),
    path("lots/", lot_views.lot_list, name="lot_list"),
    path("lots/<int:pk>/", lot_views.lot_detail, name="lot_detail"),
    path("lots/<int:pk>/modifier/", lot_views.lot_update, name="lot_update"),
    path("lots/<int:pk>/attributaires/nouveau/", lot_views.award_create, name="award_create"),
    path("attributaires/<int:pk>/retirer/", lot_views.award_delete, name="award_delete"),
    path("lots/<int:pk>/montants-factures/nouveau/", lot_views.invoiced_create, name="invoiced_create"),
    path("montants-factures/<int:pk>/supprimer/", lot_views.invoiced_delete, name="invoiced_delete"),
    path("lots/<int:pk>/fiche-clause.pdf", sheet_views.lot_sheet, name="lot_sheet"),
    path("lots/<int:pk>/structures-proches/", sourcing_views.lot_sourcing, name="lot_sourcing"),
    path("lots/<int:pk>/structures-proches/importer/", sourcing_views.lot_sourcing_import, name="lot_sourcing_import"),
    path("calcul-des-heures/", lot_views.hours_calculator, name="hours_calculator"),
]
