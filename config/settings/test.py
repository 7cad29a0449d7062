"""Test settings: `make test`. PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set."""

from ..test_cache import run_prefix
from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, CLAUSIER, _redis_database, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "private-test")
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The suite runs on a set day (tests/clock.py), maybe years from the real one: a CSRF cookie that
# expires with the browser session is never dropped by Chromium for being dated in the past.
CSRF_COOKIE_AGE = None

# With the real services (CI), the dashboards' cache is Redis too, in its own database (3), under a
# prefix of this run's own: clearing it between tests leaves another run's keys alone
# (config/test_cache.py).
_CACHE_URL = _redis_database(CELERY_BROKER_URL, 3)
if _CACHE_URL:
    CACHES = {
        "default": env.cache("CACHE_URL", default=_CACHE_URL)
        | {"BACKEND": "config.test_cache.RunScopedRedisCache", "KEY_PREFIX": run_prefix()}
    }

# No test reaches the real outside services (les emplois, Sirene, geo.api): a closed local port unless a test points
# the client at its stand-in server (pytest-httpserver).
CLAUSIER = {
    **CLAUSIER,
    "EMPLOIS_API_URL": "http://127.0.0.1:9/api/v1",
    "SIRENE_API_URL": "http://127.0.0.1:9",
    "GEO_API_URL": "http://127.0.0.1:9",
}
