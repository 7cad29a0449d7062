"""A rate limit per token (``CLAUSIER["API_RATE_LIMIT"]``), counted in the configured cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        # Read on each request (not at import), so that the setting may change under a test.
        return settings.CLAUSIER["API_RATE_LIMIT"]

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # pages' session calls (the documentation) are not API traffic
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
