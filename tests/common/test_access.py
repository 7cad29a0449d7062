"""common.access: 404 for what a user may not see, 403 for what they may only read."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from common import access

pytestmark = pytest.mark.django_db


@pytest.fixture
def users_kind():
    """Users see themselves only; only staff may change themselves."""
    User = get_user_model()
    previous = access._KINDS.get(User)
    kind = access.register(
        User,
        visible=lambda user: User.objects.filter(pk=user.pk),
        may_change=lambda user, obj: user.is_staff,
    )
    yield kind
    if previous is None:
        access._KINDS.pop(User, None)
    else:
        access._KINDS[User] = previous


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _user(email, **extra):
    return get_user_model().objects.create_user(email=email, password="x-Clausier-2026", **extra)


def test_visible_object_is_returned_and_refined(users_kind):
    alice = _user("alice@example.org")
    fetched = users_kind.to_view(_request(alice), alice.pk, refine=lambda objects: objects.only("email"))
    assert fetched == alice


def test_outsider_gets_404_also_for_a_missing_or_malformed_pk(users_kind):
    alice, bob = _user("alice@example.org"), _user("bob@example.org")
    for pk in (bob.pk, 999_999, "abc", "-1"):
        with pytest.raises(Http404):
            users_kind.to_view(_request(alice), pk)
    with pytest.raises(Http404):
        users_kind.to_change(_request(alice), bob.pk)


def test_read_only_user_gets_403_on_change(users_kind):
    alice = _user("alice@example.org")
    with pytest.raises(PermissionDenied):
        users_kind.to_change(_request(alice), alice.pk)
    staff = _user("staff@example.org", is_staff=True)
    assert users_kind.to_change(_request(staff), staff.pk) == staff


def test_questions_answered_by_the_kind_registered_for_the_model(users_kind):
    alice, bob = _user("alice@example.org"), _user("bob@example.org")
    assert access.may_see(alice, alice) and not access.may_see(alice, bob)
    assert not access.may_change(alice, alice)
    assert access.access_for(type(alice)) is users_kind


def test_unregistered_kind_is_an_error_not_a_silent_yes():
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError):
        access.may_see(None, Group(pk=1))
