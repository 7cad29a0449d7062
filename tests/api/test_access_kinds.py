"""api.access: a user sees and revokes only their own tokens."""

import pytest
from django.urls import reverse

from api import access
from api.models import ApiToken
from common.access import access_for, may_change, may_see

pytestmark = pytest.mark.django_db


def test_a_token_is_its_owners_only(client, facilitator, administrator):
    assert access_for(ApiToken) is access.API_TOKENS
    token, _secret = ApiToken.issue(facilitator, "SI")
    assert may_see(facilitator, token) and may_change(facilitator, token)
    assert not may_see(administrator, token)
    client.force_login(facilitator)
    assert client.get(reverse("api_tokens:token_revoke", args=[token.pk])).status_code == 200
    client.force_login(administrator)
    assert client.post(reverse("api_tokens:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
