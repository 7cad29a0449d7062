"""The reconciliation: what to follow, what to correct with the buyer, the PNAD share; its page,
its buyer page and its exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.roles import Role
from procurement import reconciliation
from procurement.models import LEGACY_NONE
from procurement.reconciliation import Filters
from tests.clauses.factories import ClauseFactory
from tests.procurement.factories import PublishedContractFactory

pytestmark = pytest.mark.django_db

MIRIBEL = "21010283500017"


@pytest.fixture
def published(world):
    """2026: the Département publishes 4 contracts, 2 with a social consideration (50 %); Miribel 1
    with one (the world's « new »). 2025: the Département 1 without."""
    lot = world["lot"]
    ClauseFactory(lot=lot)
    rows = {
        "matching": world["matching"],  # social, 250 000, new
        "new": world["new"],  # Miribel, social, 90 000, new
        "dismissed": PublishedContractFactory(amount=Decimal("100000"), review_status="dismissed"),
        "followed_none": PublishedContractFactory(
            amount=Decimal("50000"),
            without_social_consideration=True,
            review_status="merged",
            lot=lot,
            contract=lot.contract,
        ),
        "followed_legacy": PublishedContractFactory(
            amount=Decimal("600000"),
            social_considerations=LEGACY_NONE,
            has_social_consideration=False,
            review_status="accepted",
        ),
        "old": PublishedContractFactory(
            amount=Decimal("80000"), notification_date=date(2025, 5, 2), without_social_consideration=True
        ),
    }
    return rows


def test_to_follow_and_to_correct(published):
    assert set(reconciliation.to_follow()) == {published["matching"], published["new"], published["dismissed"]}
    to_correct = list(reconciliation.to_correct())
    assert set(to_correct) == {published["followed_none"], published["followed_legacy"]}
    clause = {row.pk: row.has_clause for row in to_correct}
    assert clause == {published["followed_none"].pk: True, published["followed_legacy"].pk: False}
    assert reconciliation.counts() == {"to_follow": 3, "to_correct": 2}
    assert reconciliation.counts(Filters(buyer_siret=MIRIBEL)) == {"to_follow": 1, "to_correct": 0}


def test_shares_by_buyer_and_year(published):
    rows = {(row.buyer_siret[:4], row.year): row for row in reconciliation.shares_by_buyer_and_year()}
    department = rows[("2201", 2026)]
    assert (department.count, department.amount) == (4, Decimal("1000000"))
    assert (department.social_count, department.social_amount) == (2, Decimal("350000"))
    assert department.count_share == Decimal("50.0") and department.amount_share == Decimal("35.0")
    assert department.reaches_target
    assert rows[("2201", 2025)].count_share == Decimal("0.0") and not rows[("2201", 2025)].reaches_target
    assert rows[("2101", 2026)].buyer_name == "Commune de Miribel"
    years = reconciliation.shares_by_year(Filters(year=2026))
    assert [(row.year, row.count, row.social_count) for row in years] == [(2026, 5, 3)]
    assert reconciliation.share(1, 3) == Decimal("33.3") and reconciliation.share(1, 0) is None


def test_the_reconciliation_makes_a_fixed_number_of_queries(published, django_assert_num_queries):
    with django_assert_num_queries(5):
        reconciliation.reconcile(Filters(year=2026), limit=50)
        reconciliation.counts()
    for n in range(30):
        PublishedContractFactory(buyer_siret=f"2101{n:06d}0001", buyer_name=f"Commune {n}")
    with django_assert_num_queries(5):
        reconciliation.reconcile(Filters(year=2026), limit=50)
        reconciliation.counts()


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER])
def test_staff_read_the_reconciliation(client, published, world, who):
    client.force_login(world["users"][who])
    response = client.get(reverse("procurement:reconciliation"), {"year": "2026"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Objectif du plan national pour des achats durables (PNAD) : 30 %" in content
    assert "50,0 %" in content and "35,0 %" in content
    assert "1\u00a0000\u00a0000 €" in content
    assert "À suivre : 3 marchés" in content
    assert "À corriger avec l'acheteur : 2 marchés" in content
    assert "avec clause" in content and "sans clause" in content


@pytest.mark.parametrize("who", [Role.EMPLOYER, Role.BUYER])
def test_employers_and_buyers_do_not_see_it(client, published, world, who):
    client.force_login(world["users"][who])
    for url in [
        reverse("procurement:reconciliation"),
        reverse("procurement:reconciliation_buyer", args=[MIRIBEL]),
        reverse("procurement:reconciliation_export", args=["par-acheteur", "csv"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_page_of_a_buyer(client, published, world):
    client.force_login(world["users"][Role.DEPARTMENT_READER])
    response = client.get(reverse("procurement:reconciliation_buyer", args=[MIRIBEL]))
    content = response.content.decode()
    assert "Rapprochement : Commune de Miribel" in content
    assert "Entretien des espaces verts" in content and "Trévoux" not in content
    assert "100,0 %" in content
    assert "?buyer=" + MIRIBEL in content  # the exports of this buyer
    assert client.get(reverse("procurement:reconciliation_buyer", args=["99999999999999"])).status_code == 404


def test_the_csv_export_is_french(client, published, world):
    client.force_login(world["users"][Role.DEPARTMENT_READER])
    response = client.get(reverse("procurement:reconciliation_export", args=["par-acheteur", "csv"]), {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="clausier-decp-par-acheteur-2026.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Acheteur", "SIRET de l'acheteur", "Année de notification", "Marchés notifiés"]
    department = next(row for row in rows[1:] if row[1].startswith("2201"))
    assert department[3:] == ["4", "1000000", "2", "350000", "50", "35", "30", "Oui"]


def test_the_xlsx_exports_of_the_lists(client, published, world):
    client.force_login(world["users"][Role.FACILITATOR])
    response = client.get(reverse("procurement:reconciliation_export", args=["a-suivre", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Identifiant national" and len(values) == 1 + 3
    assert sheet.cell(row=2, column=8).number_format == "#,##0.00"
    response = client.get(reverse("procurement:reconciliation_export", args=["a-corriger", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {row[-1] for row in rows[1:]} == {"Rattaché à un marché suivi", "Créé dans Clausier"}


def test_a_bad_export_or_filter(client, published, world):
    client.force_login(world["users"][Role.FACILITATOR])
    assert client.get(reverse("procurement:reconciliation_export", args=["inconnu", "csv"])).status_code == 404
    response = client.get(reverse("procurement:reconciliation_export", args=["a-suivre", "csv"]), {"year": "1900"})
    assert response.status_code == 400 and "Filtres invalides" in response.content.decode()
