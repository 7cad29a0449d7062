"""The OpenAPI schema (for a token or a logged-in page) and its documentation page (Swagger UI,
served from drf-spectacular-sidecar's local files, its init script a separate file for the CSP)."""

from django.contrib.auth.decorators import login_not_required, login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from .authentication import TokenAuthentication


class SchemaView(SpectacularAPIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """Login required as any page (the middleware); the page calls the API with a token typed in « Authorize »."""

    authentication_classes = [SessionAuthentication]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "API Clausier — documentation"


schema = login_not_required(SchemaView.as_view())
# DRF marks its views login_not_required (it authenticates them itself): this page is a page.
docs = login_required(DocsView.as_view())
