"""partners.access: one accessor per object kind the views fetch (404 outsider, 403 read-only)."""

import pytest
from django.urls import reverse

from common.access import access_for, may_change, may_see
from partners import access
from partners.models import AwarenessAction, Contact, CoverageRule, Organisation

from .action_factories import AwarenessActionFactory

pytestmark = pytest.mark.django_db


def test_each_kind_the_views_fetch_has_its_rules():
    assert access_for(Organisation) is access.ORGANISATIONS
    assert access_for(Contact) is access.CONTACTS
    assert access_for(CoverageRule) is access.COVERAGE_RULES
    assert access_for(AwarenessAction) is access.ACTIONS


def test_an_action_is_changed_by_a_facilitator_read_by_a_reader_and_hidden_from_an_employer(
    client, facilitator, department_reader, employer
):
    action = AwarenessActionFactory()
    detail = reverse("partners:action_detail", args=[action.pk])
    update = reverse("partners:action_update", args=[action.pk])
    delete = reverse("partners:action_delete", args=[action.pk])
    assert may_change(facilitator, action) and not may_change(department_reader, action)
    assert may_see(department_reader, action) and not may_see(employer, action)

    client.force_login(facilitator)
    assert client.get(update).status_code == 200
    client.force_login(department_reader)
    assert client.get(detail).status_code == 200
    assert client.get(update).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(employer)
    for url in (detail, update):
        assert client.get(url).status_code == 404, url
    assert client.post(delete).status_code == 404
    assert AwarenessAction.objects.filter(pk=action.pk).exists()
