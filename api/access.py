"""Who may see and change each kind of object of api (``common.access``): the API tokens. A user sees
and revokes only their own tokens (``ApiToken.objects.for_user``); another's token does not exist for
them (404)."""

from common.access import register

from .models import ApiToken


def _own_token(user, token):
    return token.user_id == user.pk


API_TOKENS = register(ApiToken, visible=ApiToken.objects.for_user, may_change=_own_token)
