"""procurement.access: the DECP imports and published contracts (404 outsider, 403 read-only)."""

import pytest
from django.urls import reverse

from common.access import access_for, may_change, may_see
from procurement import access
from procurement.models import DecpImport, PublishedContract

from .factories import PublishedContractFactory

pytestmark = pytest.mark.django_db


def test_each_kind_the_views_fetch_has_its_rules():
    assert access_for(DecpImport) is access.IMPORTS
    assert access_for(PublishedContract) is access.PUBLISHED_CONTRACTS


def test_a_published_contract_is_reviewed_by_a_facilitator_read_by_a_reader_and_hidden_from_a_buyer(
    client, facilitator, department_reader, buyer
):
    published = PublishedContractFactory()
    detail = reverse("procurement:review_detail", args=[published.pk])
    accept = reverse("procurement:review_accept", args=[published.pk])
    dismiss = reverse("procurement:review_dismiss", args=[published.pk])
    assert may_change(facilitator, published) and not may_change(department_reader, published)
    assert may_see(department_reader, published) and not may_see(buyer, published)

    client.force_login(facilitator)
    assert client.get(accept).status_code == 200
    client.force_login(department_reader)
    assert client.get(detail).status_code == 200
    assert client.get(accept).status_code == 403
    assert client.post(dismiss).status_code == 403
    # A published contract that does not exist is a 404 for the reader too (no longer a 403).
    assert client.post(reverse("procurement:review_dismiss", args=[published.pk + 1000])).status_code == 404
    client.force_login(buyer)
    assert client.get(detail).status_code == 404
    assert client.post(dismiss).status_code == 404
    published.refresh_from_db()
    assert published.review_status == PublishedContract.ReviewStatus.NEW
