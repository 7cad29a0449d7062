from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partners import two_factor_views
from partners.forms import EmailAuthenticationForm
from placements import urls as placements_urls
from portal import urls as portal_urls

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("compte/login/", auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("compte/double-authentification/", two_factor_views.setup, name="two_factor_setup"),
    path("compte/verification/", two_factor_views.verify, name="two_factor_verify"),
    path("compte/jetons-api/", include("api.token_urls", namespace="api_tokens")),
    path("compte/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("partners.urls")),
    path("", include("clauses.urls")),
    # One "placements" namespace for both apps: the portal's pages kept their names
    # (placements:declaration_grid…) when they moved to portal/, and placements does not import portal.
    path("", include((placements_urls.urlpatterns + portal_urls.urlpatterns, placements_urls.app_name))),
    path("", include("reporting.urls")),
    path("marches-publics/", include("procurement.urls", namespace="procurement")),
    path("donnees-ouvertes/", include("opendata.urls", namespace="opendata")),
    path("accessibilite/", include("accessibility.urls", namespace="accessibility")),
    path("conformite/", include("compliance.urls", namespace="compliance")),
    path("api/v1/", include("api.urls", namespace="api")),
]
