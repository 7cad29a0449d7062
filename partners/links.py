"""Absolute links for the e-mails: the site's address (``SITE_URL``, empty for paths only) and a path."""

from django.conf import settings


def absolute(path):
    return settings.CLAUSIER.get("SITE_URL", "").rstrip("/") + path
