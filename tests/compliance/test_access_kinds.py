"""compliance.access: the OETH purchases and TIH suppliers (404 outsider, 403 read-only)."""

import pytest
from django.urls import reverse

from common.access import access_for, may_change, may_see
from common.dates import today
from compliance import access
from compliance.models import OethPurchase, TihSupplier

from .oeth_factories import oeth_year, purchase, tih

pytestmark = pytest.mark.django_db


def test_each_kind_the_views_fetch_has_its_rules():
    assert access_for(OethPurchase) is access.OETH_PURCHASES
    assert access_for(TihSupplier) is access.TIH_SUPPLIERS


def test_a_tih_supplier_is_changed_by_the_administrator_read_by_a_reader_and_hidden_from_a_facilitator(
    client, administrator, department_reader, facilitator
):
    supplier = tih()
    url = reverse("compliance:tih_update", args=[supplier.pk])
    assert may_change(administrator, supplier) and not may_change(department_reader, supplier)
    assert may_see(department_reader, supplier) and not may_see(facilitator, supplier)
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    client.force_login(department_reader)
    assert client.get(url).status_code == 403
    client.force_login(facilitator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Y"}).status_code == 404


def test_a_purchase_outside_the_database_is_a_404_even_for_a_reader(client, department_reader):
    row = purchase(oeth_year(today().year - 1), "1000", "50")
    client.force_login(department_reader)
    missing = reverse("compliance:oeth_purchase_update", args=[row.pk + 1000])
    assert client.get(missing).status_code == 404
    assert client.get(reverse("compliance:oeth_purchase_update", args=[row.pk])).status_code == 403
