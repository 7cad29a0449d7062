"""/api/v1/: the resources (token authentication, so every API view skips the login middleware)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import declaration_views, docs_views, indicator_views, views

app_name = "api"

router = SimpleRouter()
router.register("operations", views.OperationViewSet, basename="operation")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("lots", views.LotViewSet, basename="lot")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("placements", views.PlacementViewSet, basename="placement")


def _by_token(pattern):
    pattern.callback = login_not_required(pattern.callback)
    return pattern


urlpatterns = [
    *(_by_token(pattern) for pattern in router.urls),
    path("indicators/", login_not_required(indicator_views.IndicatorsView.as_view()), name="indicators"),
    path("declarations/", login_not_required(declaration_views.DeclarationView.as_view()), name="declarations"),
    path("schema/", docs_views.schema, name="schema"),
    path("docs/", docs_views.docs, name="docs"),
]
