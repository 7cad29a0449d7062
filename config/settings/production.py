"""Production: every secret from the environment, HTTPS only. `manage.py check --deploy` is clean."""

from .base import *  # noqa: F403
from .base import _DEFAULT_CACHE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without it
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# Keep database connections between requests (the load test measured a third more requests per
# core than with a new PostgreSQL process per request), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# The dashboards' cache must be shared by every web process and worker (reporting/figures_cache.py).
# Never in memory here: each process would keep its own figures and version.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default=_DEFAULT_CACHE if _DEFAULT_CACHE.startswith("redis") else "redis://127.0.0.1:6379/1"
    )
}
