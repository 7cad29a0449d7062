from django.urls import path

from . import action_views, import_views, register_views, views

app_name = "partners"

urlpatterns = [
    path("territoires/", views.territories, name="territories"),
    # Directory of partners
    path("partenaires/", views.organisation_list, name="organisation_list"),
    path("partenaires/nouveau/<slug:kind>/", views.organisation_create, name="organisation_create"),
    path("partenaires/siret/<slug:kind>/", register_views.siret_lookup, name="siret_lookup"),
    path("partenaires/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("partenaires/<int:pk>/modifier/", views.organisation_update, name="organisation_update"),
    path("partenaires/<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/modifier/", views.contact_update, name="contact_update"),
    path("contacts/<int:pk>/supprimer/", views.contact_delete, name="contact_delete"),
    # Import of companies and structures
    path("partenaires/import/", import_views.import_organisations, name="organisation_import"),
    path("partenaires/import/modele.<str:fmt>", import_views.import_template, name="organisation_import_template"),
    # Coverage of the territory by facilitators
    path("couverture/", views.coverage, name="coverage"),
    path("couverture/regles/nouvelle/", views.coverage_rule_create, name="coverage_rule_create"),
    path("couverture/regles/<int:pk>/modifier/", views.coverage_rule_update, name="coverage_rule_update"),
    path("couverture/regles/<int:pk>/supprimer/", views.coverage_rule_delete, name="coverage_rule_delete"),
    # Awareness-raising and partnership actions
    path("actions/", action_views.action_list, name="action_list"),
    path("actions/nouvelle/", action_views.action_create, name="action_create"),
    path("actions/<int:pk>/", action_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", action_views.action_update, name="action_update"),
    path("actions/<int:pk>/supprimer/", action_views.action_delete, name="action_delete"),
]
