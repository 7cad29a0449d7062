"""Authentication of API calls by a personal token: ``Authorization: Bearer cls_…``."""

from rest_framework import authentication, exceptions

from partners.permissions import load_memberships

from .models import ApiToken

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Bearer <jeton> » attendu.")
        try:
            secret = words[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Jeton illisible.") from exc
        token = ApiToken.objects.matching(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton inconnu ou révoqué.")
        token.touch()
        return load_memberships(token.user), token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'
