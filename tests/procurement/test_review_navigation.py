"""« Marchés publics » in the navigation: the review for facilitators, the reconciliation for readers."""

import pytest
from django.urls import reverse

from partners.navigation import items_for
from partners.roles import Role

pytestmark = pytest.mark.django_db


def entry(user):
    return next((item for item in items_for(user) if item.label == "DECP"), None)


def test_facilitators_and_administrators_go_to_the_review(users_by_role):
    for role in (Role.FACILITATOR, Role.ADMINISTRATOR):
        assert entry(users_by_role[role]).url == reverse("procurement:review_list")


def test_department_readers_go_to_the_reconciliation(users_by_role):
    assert entry(users_by_role[Role.DEPARTMENT_READER]).url == reverse("procurement:reconciliation")


def test_employers_and_buyers_have_no_entry(users_by_role):
    assert entry(users_by_role[Role.EMPLOYER]) is None
    assert entry(users_by_role[Role.BUYER]) is None
