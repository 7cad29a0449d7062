"""The ESS reservation (legal basis ``reserved_ess``, art. L2113-15) lasts 3 years at most: the
pure rule on its boundary, then the lot page and the admin that refuse a longer lot."""

from datetime import date

import pytest
from django.urls import reverse

from clauses import legal_bases
from clauses.models import Clause, Lot
from tests.clauses.factories import ClauseFactory, ContractFactory
from tests.clauses.test_forms_and_pages import lot_data

ESS = "reserved_ess"
MESSAGE = "Un marché réservé aux entreprises de l'ESS (art. L2113-15) dure 3 ans au plus : "


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "latest_end"),
    [
        (date(2027, 1, 1), date(2029, 12, 31)),
        (date(2027, 3, 10), date(2030, 3, 9)),
        (date(2027, 3, 1), date(2030, 2, 28)),
        (date(2029, 3, 1), date(2032, 2, 29)),  # 2032 is a leap year
        (date(2028, 2, 29), date(2031, 2, 28)),  # from a 29 February: up to the end of February
        (date(2028, 12, 31), date(2031, 12, 30)),
    ],
)
def test_exactly_three_years_is_accepted_one_day_more_is_refused(start, latest_end):
    assert legal_bases.ess_latest_end(start) == latest_end
    assert legal_bases.duration_problem(ESS, start, latest_end) is None
    problem = legal_bases.duration_problem(ESS, start, date.fromordinal(latest_end.toordinal() + 1))
    assert problem.startswith(MESSAGE)
    assert f"{latest_end:%d/%m/%Y} au plus tard" in problem


def test_the_message_says_the_dates_and_what_to_do():
    problem = legal_bases.duration_problem(ESS, date(2027, 1, 1), date(2030, 1, 1))
    assert problem == (
        MESSAGE + "ce lot va du 01/01/2027 au 01/01/2030, il doit finir le 31/12/2029 au plus tard. "
        "Raccourcissez le lot ou choisissez un autre fondement juridique."
    )


@pytest.mark.parametrize("basis", [basis for basis in Clause.LegalBasis.values if basis != ESS])
def test_other_legal_bases_have_no_such_limit(basis):
    assert legal_bases.duration_problem(basis, date(2027, 1, 1), date(2035, 12, 31)) is None


@pytest.mark.parametrize(("start", "end"), [(None, date(2030, 1, 1)), (date(2027, 1, 1), None), (None, None)])
def test_missing_dates_are_left_to_their_own_checks(start, end):
    assert legal_bases.duration_problem(ESS, start, end) is None


def test_a_reversed_period_is_left_to_the_dates_check():
    assert legal_bases.duration_problem(ESS, date(2031, 1, 1), date(2027, 1, 1)) is None


# The lot page --------------------------------------------------------------------------------


@pytest.fixture
def four_year_contract(db):
    return ContractFactory(start_date=date(2027, 1, 1), end_date=date(2030, 12, 31))


def ess_lot(**overrides):
    return lot_data(**{"clause-legal_basis": ESS, "start_date": "2027-01-01", "end_date": "2029-12-31", **overrides})


def test_an_ess_lot_of_three_years_is_saved(client, facilitator, four_year_contract):
    client.force_login(facilitator)
    response = client.post(reverse("clauses:lot_create", args=[four_year_contract.pk]), ess_lot())
    assert response.status_code == 302
    assert Lot.objects.get().clause.legal_basis == ESS


def test_an_ess_lot_longer_than_three_years_is_refused_next_to_the_legal_basis(client, facilitator, four_year_contract):
    client.force_login(facilitator)
    url = reverse("clauses:lot_create", args=[four_year_contract.pk])
    response = client.post(url, ess_lot(end_date="2030-01-01"))
    assert response.status_code == 200
    [error] = response.context["clause_form"].errors["legal_basis"]
    assert error.startswith(MESSAGE) and "31/12/2029 au plus tard" in error
    page = response.content.decode().replace("&#x27;", "'")
    field = page[page.index('id="div_id_clause-legal_basis"') : page.index('id="div_id_clause-method"')]
    assert MESSAGE in field  # next to the field
    assert "Rien n'est enregistré" in page
    assert not Lot.objects.exists() and not Clause.objects.exists()


def test_lengthening_an_ess_lot_beyond_three_years_is_refused(client, facilitator, four_year_contract):
    clause = ClauseFactory(
        lot__contract=four_year_contract,
        lot__start_date=date(2027, 1, 1),
        lot__end_date=date(2029, 12, 31),
        legal_basis=ESS,
    )
    client.force_login(facilitator)
    url = reverse("clauses:lot_update", args=[clause.lot.pk])
    response = client.post(url, ess_lot(number=clause.lot.number, end_date="2030-06-30"))
    assert MESSAGE in response.context["clause_form"].errors["legal_basis"][0]
    clause.lot.refresh_from_db()
    assert clause.lot.end_date == date(2029, 12, 31)


def test_choosing_the_ess_reservation_for_a_long_lot_is_refused_and_another_basis_accepted(
    client, facilitator, four_year_contract
):
    clause = ClauseFactory(
        lot__contract=four_year_contract,
        lot__start_date=date(2027, 1, 1),
        lot__end_date=date(2030, 12, 31),
    )
    client.force_login(facilitator)
    url = reverse("clauses:lot_update", args=[clause.lot.pk])
    data = ess_lot(number=clause.lot.number, end_date="2030-12-31")
    response = client.post(url, data)
    assert MESSAGE in response.context["clause_form"].errors["legal_basis"][0]
    clause.refresh_from_db()
    assert clause.legal_basis == "execution_condition"
    # Changing the basis back away from ESS while keeping the dates is accepted.
    assert client.post(url, {**data, "clause-legal_basis": "reserved_siae"}).status_code == 302


# The admin -----------------------------------------------------------------------------------


def test_the_admin_refuses_an_ess_clause_on_a_long_lot(client, administrator, four_year_contract):
    clause = ClauseFactory(lot__contract=four_year_contract, lot__end_date=date(2030, 12, 31))
    client.force_login(administrator)
    url = reverse("admin:clauses_clause_change", args=[clause.pk])
    data = {
        "lot": clause.lot.pk,
        "legal_basis": ESS,
        "method": "formula",
        "labour_share": "50",
        "insertion_rate": "5",
        "hourly_cost": "30",
        "computed_hours": "833",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode().replace("&#x27;", "'")
    clause.refresh_from_db()
    assert clause.legal_basis == "execution_condition"


def test_the_admin_refuses_lengthening_an_ess_lot(client, administrator, four_year_contract):
    clause = ClauseFactory(
        lot__contract=four_year_contract,
        lot__start_date=date(2027, 1, 1),
        lot__end_date=date(2029, 12, 31),
        legal_basis=ESS,
    )
    lot = clause.lot
    client.force_login(administrator)
    url = reverse("admin:clauses_lot_change", args=[lot.pk])
    data = {
        "contract": four_year_contract.pk,
        "number": lot.number,
        "title": lot.title,
        "sector": lot.sector,
        "amount_excl_tax": "1000000",
        "start_date": "2027-01-01",
        "end_date": "2030-01-01",
        "awards-TOTAL_FORMS": "0",
        "awards-INITIAL_FORMS": "0",
        "awards-MIN_NUM_FORMS": "0",
        "awards-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode().replace("&#x27;", "'")
    lot.refresh_from_db()
    assert lot.end_date == date(2029, 12, 31)
    assert client.post(url, {**data, "end_date": "2029-12-31"}).status_code == 302
