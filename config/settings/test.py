"""Test settings: `make test`. PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "private-test")
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
