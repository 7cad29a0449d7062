"""Creating operations, contracts, lots and clauses in the pages, and refusing bad input."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from clauses.models import Clause, Contract, Lot, LotAward, Operation, Trade
from partners.identifiers import build_siren, build_siret
from partners.models import Commune, Organisation
from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory, OperationFactory
from tests.partners.factories import OrganisationFactory


def department():
    return Organisation.objects.department().get()


def test_operation_is_routed_to_the_facilitation_body(client, facilitator):
    buyer = OrganisationFactory(
        kind="contracting_authority", buyer_kind="commune", engineering_agency_member=True, name="Commune de Marlieux"
    )
    client.force_login(facilitator)
    response = client.post(
        reverse("clauses:operation_create"),
        {"buyer": buyer.pk, "title": "Groupe scolaire", "commune": Commune.objects.get(insee_code="01093").pk},
    )
    operation = Operation.objects.get(title="Groupe scolaire")
    assert response.status_code == 302
    assert operation.facilitation_body == department()


def test_operation_dates_in_order(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("clauses:operation_create"),
        {
            "buyer": department().pk,
            "title": "Route départementale",
            "commune": Commune.objects.get(insee_code="01053").pk,
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert "La date de fin doit être postérieure à la date de début." in response.content.decode()
    assert not Operation.objects.filter(title="Route départementale").exists()


def contract_data(**overrides):
    data = {
        "reference": "CD01-2026-001",
        "title": "Travaux",
        "procedure": "open",
        "notification_date": "2025-12-15",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }
    data.update(overrides)
    return data


def test_contract_creation_and_bad_dates(client, facilitator):
    operation = OperationFactory()
    client.force_login(facilitator)
    url = reverse("clauses:contract_create", args=[operation.pk])
    response = client.post(url, contract_data(end_date="2025-06-30", notification_date="2026-02-01"))
    html = response.content.decode()
    assert "La fin d&#x27;exécution doit suivre le début d&#x27;exécution." in html
    assert "La notification ne peut pas être postérieure au début d&#x27;exécution." in html
    assert not Contract.objects.exists()
    assert client.post(url, contract_data()).status_code == 302
    response = client.post(url, contract_data())
    assert "Cette opération a déjà un marché avec cette référence." in response.content.decode()
    assert Contract.objects.count() == 1


def lot_data(**overrides):
    data = {
        "number": "1",
        "title": "Gros œuvre",
        "trade": Trade.objects.get(name="Gros œuvre, maçonnerie").pk,
        "sector": "",
        "amount_excl_tax": "1000000",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "clause-legal_basis": "execution_condition",
        "clause-method": "formula",
        "clause-labour_share": "",
        "clause-insertion_rate": "5",
        "clause-hourly_cost": "30",
    }
    data.update(overrides)
    return data


def test_lot_with_formula_clause_matches_the_published_example(client, facilitator):
    contract = ContractFactory()
    client.force_login(facilitator)
    response = client.post(reverse("clauses:lot_create", args=[contract.pk]), lot_data())
    lot = Lot.objects.get()
    assert response.status_code == 302
    assert lot.sector == "building"  # from the trade
    assert lot.clause.labour_share == D("50")  # the trade's default share
    assert lot.clause.computed_hours == D("833")
    page = client.get(reverse("clauses:lot_detail", args=[lot.pk])).content.decode()
    assert "833 h" in page and "arrondi à l&#x27;heure inférieure" in page


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"amount_excl_tax": "-5"}, "Le montant ne peut pas être négatif."),
        ({"clause-insertion_rate": "120"}, "Un pourcentage ne peut pas dépasser 100 %."),
        ({"start_date": "2025-06-01"}, "Les dates du lot doivent être comprises dans celles du marché"),
        ({"end_date": "2027-06-01"}, "du 01/01/2026 au 31/12/2026"),
        ({"clause-hourly_cost": ""}, "Indiquez le coût horaire pour ce mode de calcul."),
        ({"clause-legal_basis": ""}, "Ce champ est obligatoire."),
        ({"clause-contractual_hours": "900"}, "Indiquez pourquoi les heures contractuelles diffèrent du calcul."),
        ({"clause-method": "per_euro_invoiced", "clause-euros_per_hour": "2000"}, "réservées aux accords-cadres"),
    ],
)
def test_bad_lot_input_is_refused_and_nothing_saved(client, facilitator, overrides, field_message):
    contract = ContractFactory()
    client.force_login(facilitator)
    response = client.post(reverse("clauses:lot_create", args=[contract.pk]), lot_data(**overrides))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Lot.objects.exists() and not Clause.objects.exists()


def test_lot_of_each_kind(client, facilitator):
    contract = ContractFactory(is_purchase_order_framework=True)
    client.force_login(facilitator)
    url = reverse("clauses:lot_create", args=[contract.pk])
    cleaning = Trade.objects.get(name="Nettoyage des locaux").pk
    cases = [
        (
            {
                "number": "2",
                "clause-method": "worked_hours_share",
                "clause-worked_hours_share": "7",
                "clause-estimated_worked_hours": "14000",
            },
            D("980"),
        ),
        (
            {
                "number": "3",
                "trade": cleaning,
                "amount_excl_tax": "600000",
                "clause-method": "cleaning",
                "clause-insertion_rate": "10",
                "clause-transferred_monthly_hours": "300",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
            },
            None,
        ),
        ({"number": "4", "clause-method": "per_euro_invoiced", "clause-euros_per_hour": "2000"}, D("0")),
        ({"number": "5", "clause-contractual_hours": "850", "clause-adjustment_reason": "Arrondi au CCAP"}, D("850")),
    ]
    for overrides, expected in cases:
        assert client.post(url, lot_data(**overrides)).status_code == 302, overrides
        lot = Lot.objects.with_progress_data().get(number=overrides["number"])
        if expected is not None:
            assert lot.hours_required == expected, overrides
    cleaning_lot = Lot.objects.get(number="3")
    # 12 months, S = 300 h, C = 25: P = 1 − 300 × 25 × 12 ÷ 600,000 = 0.85; 0.85 × 600,000 ÷ 25 × 10 % = 2,040 h
    assert cleaning_lot.clause.computed_hours == D("2040")


def test_invoices_make_the_obligation_grow(client, facilitator):
    clause = ClauseFactory(
        method="per_euro_invoiced", euros_per_hour=D("2000"), lot__contract__is_purchase_order_framework=True
    )
    client.force_login(facilitator)
    url = reverse("clauses:invoiced_create", args=[clause.lot_id])
    response = client.post(url, {"period_start": "2026-03-31", "period_end": "2026-01-01", "amount": "-3"})
    html = response.content.decode()
    assert "La date de fin doit être postérieure à la date de début." in html
    assert "Le montant ne peut pas être négatif." in html
    assert (
        client.post(url, {"period_start": "2026-01-01", "period_end": "2026-03-31", "amount": "150000"}).status_code
        == 302
    )
    page = client.get(reverse("clauses:lot_detail", args=[clause.lot_id]))
    assert page.context["progress"].required == D("75")


def test_awards_by_siret(client, facilitator):
    lot = LotFactory()
    company = OrganisationFactory(kind="company", with_siret=True, name="Bâtir Bresse")
    client.force_login(facilitator)
    url = reverse("clauses:award_create", args=[lot.pk])
    unknown = build_siret(build_siren("99999999"), "0001")
    response = client.post(url, {"siret": unknown, "role": "holder"})
    assert "Aucune entreprise ni structure de l&#x27;annuaire n&#x27;a ce SIRET" in response.content.decode()
    response = client.post(url, {"siret": "123", "role": "holder"})
    assert "SIRET invalide : 14 chiffres attendus" in response.content.decode()
    assert not LotAward.objects.exists()
    assert client.post(url, {"siret": company.siret, "role": "co_contractor"}).status_code == 302
    assert LotAward.objects.get().role == "co_contractor"
    response = client.post(url, {"siret": company.siret, "role": "holder"})
    assert "est déjà attributaire de ce lot" in response.content.decode()


def test_hours_calculator_shows_the_computation(client, facilitator):
    contract = ContractFactory()
    client.force_login(facilitator)
    data = lot_data(contract=contract.pk)
    response = client.post(reverse("clauses:hours_calculator"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "833 heures d'insertion" in html
    response = client.post(
        reverse("clauses:hours_calculator"), lot_data(contract=contract.pk, amount_excl_tax="100000")
    )
    assert "Moins que le minimum conseillé de 150 h" in response.content.decode()
    assert not Lot.objects.exists()


def test_lot_list_filters_and_query_count(client, facilitator, django_assert_num_queries):
    for _ in range(3):
        ClauseFactory()
    ClauseFactory(lot__start_date=date(2026, 1, 1), legal_basis="reserved_siae")
    client.force_login(facilitator)
    url = reverse("clauses:lot_list")
    response = client.get(url, {"legal_basis": "reserved_siae"})
    assert len(response.context["page"].object_list) == 1
    with django_assert_num_queries(LOT_LIST_QUERIES):
        client.get(url)
    for _ in range(10):
        ClauseFactory()
    with django_assert_num_queries(LOT_LIST_QUERIES):
        response = client.get(url)
    assert response.context["count"] == 14
    # The page's lots are read in full, the others only for their progress.
    assert {type(lot.contract).__name__ for lot, _progress in response.context["page"].object_list} == {"Contract"}


# Session, user, memberships, the filter form's choices, the lots' progress, then the page's lots.
LOT_LIST_QUERIES = 11


def test_operation_list_query_count(client, facilitator, django_assert_num_queries):
    ClauseFactory()
    client.force_login(facilitator)
    url = reverse("clauses:operation_list")
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(8):
        ClauseFactory()
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 9


def test_demo_has_operations_in_several_states(db):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Operation.objects.count() == 7
    statuses = {lot.progress().status for lot in Lot.objects.with_progress_data()}
    assert {"not_started", "behind"} <= statuses
    methods = set(Clause.objects.values_list("method", flat=True))
    assert methods == {"formula", "worked_hours_share", "per_euro_invoiced", "cleaning"}
    assert Operation.objects.filter(facilitation_body__isnull=True).exists()  # the white area of Trévoux


def test_contract_list_filters_totals_and_query_count(client, facilitator, django_assert_num_queries):
    ClauseFactory(lot__contract__reference="CD01-2026-900", legal_basis="reserved_disability")
    ClauseFactory()
    client.force_login(facilitator)
    url = reverse("clauses:contract_list")
    response = client.get(url, {"legal_basis": "reserved_disability"})
    assert [c.reference for c, _ in response.context["page"].object_list] == ["CD01-2026-900"]
    assert response.context["total"].required == D("833")
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(8):
        ClauseFactory()
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 10
