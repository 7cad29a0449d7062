"""Personal API tokens: a random secret shown once, kept only as its SHA-256 digest."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_START = "cls_"
PREFIX_LENGTH = 8
# The last-used date is written at most this often per token: not one write per request.
LAST_USED_EVERY = timedelta(minutes=1)


def digest_of(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees and revokes only their own tokens."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, secret):
        """The active token of an active user with this secret, or None (one query, by its digest)."""
        if not secret.startswith(TOKEN_START):
            return None
        return self.active().filter(digest=digest_of(secret), user__is_active=True).select_related("user").first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="compte"
    )
    name = models.CharField("nom", max_length=100, help_text="Par exemple : « Logiciel de paie ».")
    prefix = models.CharField("début du jeton", max_length=20, editable=False)
    digest = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name):
        """A new token for ``user``; returns (token, secret). The secret is never stored nor shown again."""
        secret = TOKEN_START + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=secret[: len(TOKEN_START) + PREFIX_LENGTH], digest=digest_of(secret)
        )
        return token, secret

    @property
    def is_active(self):
        return self.revoked_at is None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=self.revoked_at)

    def touch(self):
        """Note the use, at most once a minute (one UPDATE, no read)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_EVERY:
            self.last_used_at = now
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
