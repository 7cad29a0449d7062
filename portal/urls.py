"""The company portal's pages. Their names stay in the "placements" namespace, as before the portal
had an app of its own (templates, tests and links say ``placements:declaration_grid``):
config/urls.py joins these patterns to placements' under that namespace; no app_name here."""

from django.urls import path

from . import declaration_import_views, declaration_views, home_views, proof_views, validation_views

urlpatterns = [
    # Monthly hours declarations: the employer's portal (home_views, declaration_views, proof_views,
    # declaration_import_views)
    path("portail/", home_views.portal_home, name="portal_home"),
    path("portail/declarations/<int:year>-<int:month>/", declaration_views.declaration_grid, name="declaration_grid"),
    path("portail/declarations/<int:pk>/justificatifs/", proof_views.proof_upload, name="proof_upload"),
    path("justificatifs/<int:pk>/", proof_views.proof_download, name="proof_download"),
    path(
        "portail/declarations/<int:year>-<int:month>/import/",
        declaration_import_views.declaration_import,
        name="declaration_import",
    ),
    path(
        "portail/declarations/<int:year>-<int:month>/modele.<str:fmt>",
        declaration_import_views.declaration_import_template,
        name="declaration_import_template",
    ),
    # Validation by the facilitator (validation_views)
    path("validation/", validation_views.validation_queue, name="validation_queue"),
    path("declarations/<int:pk>/", validation_views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/examen/", validation_views.declaration_review, name="declaration_review"),
]
