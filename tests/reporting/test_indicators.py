"""Golden figures: every indicator on the dataset of ``dataset.py``, worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from reporting import indicators
from reporting.rules import Period
from reporting.scope import Scope
from tests.reporting import dataset

YEAR = Period.year(2026)


@pytest.fixture
def world(db):
    return dataset.build()


@pytest.fixture
def figures(world):
    return indicators.compute(YEAR, Scope(), on=dataset.ON)


def rows(items, attribute="validated"):
    return {row.label: getattr(row, attribute) for row in items}


def test_hours_required_expected_and_validated(figures):
    # Lot 1: 730 h all in 2026; lot 2: 365 h × 181/365 days in 2026; lot 3: 306 h all in 2026.
    assert figures.hours.required == Decimal("1217")
    # By 1 July: lot 1 730 × 182/365 = 364; lot 2 all of its 181 h of 2026; lot 3 306 × 123/306 = 123.
    assert figures.hours.expected == Decimal("668")
    # 100 (Alice) + 120 (Bruno, January) + 60 + 70 (Chantal) + 140 + 145 (Driss, corrected April).
    assert figures.hours.validated == Decimal("635")
    assert figures.hours.people == 4
    assert figures.hours.done_rate == Decimal("52.2")


def test_lots_operations_contracts_and_bases(figures, world):
    assert (figures.lots, figures.operations, figures.contracts) == (3, 2, 2)
    assert rows(figures.buyers_by_kind, "count") == {"Commune": 1, "Département": 1}
    assert rows(figures.lots_by_legal_basis, "count") == {
        "Condition d'exécution (L2112-2)": 1,
        "Marché réservé aux SIAE (L2113-13)": 1,
        "Marché réservé aux EA et ESAT (L2113-12)": 1,
    }
    # Lot 1: 300 h done (December 2025 counts for the lot) for 363 expected; lot 2: 130 for 365.
    lot1, lot2, _lot3, _lot4 = world["lots"]
    assert figures.lots_behind == [lot2.pk, lot1.pk]


def test_hours_by_month_mode_company_activity(figures):
    months = {row.key.month: row.validated for row in figures.by_month}
    assert len(figures.by_month) == 12
    assert months == {1: 180, 2: 170, 3: 140, 4: 145, **dict.fromkeys(range(5, 13), 0)}
    assert figures.by_month[0].label == "janv. 2026"
    # Required hours per month: January gets lot 1's 730 × 31/365 = 62 and lot 2's 365 × 31/365 = 31.
    assert figures.by_month[0].required == Decimal("93.00")
    assert sum(row.required for row in figures.by_month) == Decimal("1217.00")
    assert rows(figures.by_mode) == {
        "Embauche directe par l'entreprise": 385,
        "Mise à disposition (ETTI, AI, GEIQ)": 120,
        "Sous-traitance ou co-traitance (SIAE, EA, ESAT)": 130,
    }
    assert rows(figures.by_company) == {
        "TP Dombes": 285,
        "ESAT Les Ateliers": 130,
        "ETTI Intérim Ain": 120,
        "Bâti Ain": 100,
    }
    assert rows(figures.by_activity, "required") == {"Bâtiment": 730, "Travaux publics": 306, "Propreté": 181}
    assert rows(figures.by_activity) == {"Bâtiment": 220, "Travaux publics": 285, "Propreté": 130}


def test_hours_by_territory_and_buyer(figures):
    assert rows(figures.by_epci, "required") == {"CA du Bassin de Bourg-en-Bresse": 911, "CC Dombes Saône Vallée": 306}
    assert rows(figures.by_epci) == {"CA du Bassin de Bourg-en-Bresse": 350, "CC Dombes Saône Vallée": 285}
    assert rows(figures.by_sector, "required") == {"Bresse": 911, "Val de Saône Dombes": 306}
    assert rows(figures.by_sector) == {"Bresse": 350, "Val de Saône Dombes": 285}
    assert rows(figures.by_buyer) == {"Département de l'Ain": 350, "Commune de Trévoux": 285}
    assert rows(figures.by_buyer, "people") == {"Département de l'Ain": 3, "Commune de Trévoux": 1}


def test_placements(figures):
    assert (figures.placements, figures.placements_running) == (4, 2)
    assert rows(figures.placements_by_contract_type, "count") == {"CDI": 2, "CDD": 1, "Intérim": 1}
    # Alice 20 days; Bruno 149 days; Chantal and Driss up to 1 July (178 and 122 days).
    assert rows(figures.placements_by_duration, "count") == {"Moins d'un mois": 1, "3 à 6 mois": 3}
    assert rows(figures.placements_by_mode, "count") == {
        "Embauche directe par l'entreprise": 2,
        "Mise à disposition (ETTI, AI, GEIQ)": 1,
        "Sous-traitance ou co-traitance (SIAE, EA, ESAT)": 1,
    }


def test_participants_profile(figures):
    profile = figures.profile
    assert (profile.total, profile.women, profile.men) == (4, 2, 2)
    assert profile.age_bands == {"under_26": 1, "26_49": 2, "50_plus": 1}
    assert (profile.under_26, profile.from_50) == (1, 1)
    assert (profile.rsa, profile.qpv, profile.disabled) == (2, 1, 1)
    assert (profile.new, profile.continuing) == (3, 1)
    assert profile.education["CAP, BEP (niveau 3)"] == 4
    assert profile.criteria["Bénéficiaire du RSA"] == 2


def test_outcomes_and_sorties_dynamiques(figures):
    exit, six = figures.exit, figures.six_months
    assert (exit.recorded, exit.counted, exit.dynamic, exit.dynamic_rate) == (2, 2, 1, Decimal("50.0"))
    assert exit.by_group["Emploi de transition"] == 1 and exit.by_group["Autre sortie"] == 1
    # Bruno's illness is neutral: not counted. Emma's CDI counts: her outcome is due in 2026, though
    # her lot ended in 2025.
    assert (six.recorded, six.counted, six.dynamic, six.dynamic_rate) == (3, 2, 2, Decimal("100.0"))


def test_rsa_beneficiaries(figures):
    rsa = figures.rsa
    assert (rsa.people, rsa.hours, rsa.placements) == (2, Decimal("385"), 2)
    assert (rsa.exits_recorded, rsa.dynamic_exits) == (1, 1)
    # Alice and Emma (RSA at entry, lot of 2025, outcome due in 2026) left the RSA.
    assert (rsa.six_month_known, rsa.left_rsa_at_six_months, rsa.left_rsa_rate) == (2, 2, Decimal("100.0"))


def test_reserved_contracts_and_department_spending(figures):
    assert [(row.key, row.count, row.amount) for row in figures.reserved] == [
        ("siae", 1, Decimal("50000")),
        ("ea_esat", 1, Decimal("200000")),
    ]
    spending = figures.department_disability_spending
    assert (spending.count, spending.amount) == (1, Decimal("200000"))


def test_companies_structures_and_actions(figures):
    assert (figures.companies, figures.new_companies) == (2, 1)
    assert [(row.label, row.extra["kind"], row.extra["roles"]) for row in figures.structures] == [
        ("ESAT Les Ateliers", "ESAT", ["sous-traitance ou co-traitance", "titulaire"]),
        ("ETTI Intérim Ain", "ETTI", ["mise à disposition"]),
    ]
    assert (figures.actions, figures.people_reached) == (2, 35)
    assert rows(figures.actions_by_audience, "count") == {"Acheteurs publics": 1, "Entreprises": 2}
    # People reached by the actions aimed at each audience (an action counts for each of its audiences).
    assert {row.label: row.extra["people"] for row in figures.actions_by_audience} == {
        "Acheteurs publics": 25,
        "Entreprises": 35,
    }


@pytest.mark.parametrize(
    "kind, key, required, validated, people",
    [
        ("epci", lambda w: w["trevoux_commune"].epci_id, 306, 285, 1),
        ("buyer", lambda w: w["department"].pk, 911, 350, 3),
        ("facilitation_body", lambda w: w["other_body"].pk, 306, 285, 1),
        ("contract", lambda w: w["contracts"][0].pk, 911, 350, 3),
    ],
)
def test_scopes(world, kind, key, required, validated, people):
    figures = indicators.compute(YEAR, Scope.load(kind, key(world)), on=dataset.ON)
    assert (figures.hours.required, figures.hours.validated, figures.profile.total) == (required, validated, people)


def test_sector_scope_counts_actions_of_its_territory(world):
    from partners.models import Sector

    sector = Sector.objects.get(name="Bresse")
    figures = indicators.compute(YEAR, Scope.load("sector", sector.pk), on=dataset.ON)
    assert (figures.hours.required, figures.hours.validated) == (911, 350)
    assert figures.actions == 0  # the forum was in Dombes Saône Vallée, the meeting for all of Ain


def test_the_lots_a_user_sees_limit_the_figures(world):
    from clauses.models import Lot

    figures = indicators.compute(YEAR, Scope(), lots=Lot.objects.filter(pk=world["lots"][2].pk), on=dataset.ON)
    assert (figures.lots, figures.hours.validated) == (1, 285)


def test_a_bounded_number_of_queries(world, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        indicators.compute(YEAR, Scope(), on=dataset.ON)
    dataset.build()  # twice the data: the same number of queries
    with django_assert_num_queries(QUERIES):
        figures = indicators.compute(YEAR, Scope(), on=dataset.ON)
    assert figures.lots == 6


# 13, plus the invoices of the lots by hours per euro invoiced (dated in the period), the lots
# that can be behind schedule as they stood on the day they are judged, and the hours required
# in each month summed by the database.
QUERIES = 16


# Outcomes due in the period, whatever the dates of their lot -------------------------------


def test_six_month_outcomes_of_a_finished_lot_count_in_the_scope_they_belong_to(world):
    """Emma's lot ended in 2025; her 6-month outcome, due in 2026, counts for Trévoux's figures of
    2026 (and her leaving the RSA), never for another buyer's or for lots the user does not see."""
    from clauses.models import Lot

    trevoux = indicators.compute(YEAR, Scope.load("buyer", world["trevoux"].pk), on=dataset.ON)
    assert (trevoux.six_months.recorded, trevoux.six_months.dynamic) == (1, 1)
    assert (trevoux.rsa.six_month_known, trevoux.rsa.left_rsa_at_six_months) == (1, 1)
    assert trevoux.profile.total == 1  # Driss: Emma worked on no lot of 2026
    department = indicators.compute(YEAR, Scope.load("buyer", world["department"].pk), on=dataset.ON)
    assert (department.six_months.recorded, department.rsa.six_month_known) == (2, 1)
    for scope in (
        Scope.load("epci", world["trevoux_commune"].epci_id),
        Scope.load("contract", world["contracts"][2].pk),
    ):
        assert indicators.compute(YEAR, scope, on=dataset.ON).six_months.recorded == 1, scope
    other_body = indicators.compute(YEAR, Scope.load("facilitation_body", world["other_body"].pk), on=dataset.ON)
    assert other_body.six_months.recorded == 1
    seen = indicators.compute(YEAR, Scope(), lots=Lot.objects.filter(pk=world["lots"][2].pk), on=dataset.ON)
    assert (seen.six_months.recorded, seen.rsa.six_month_known) == (0, 0)
    # Due in 2026, so not in 2025's figures.
    assert indicators.compute(Period.year(2025), Scope(), on=dataset.ON).six_months.recorded == 0


def test_outcomes_of_finished_lots_also_count_when_the_lots_were_read_beforehand(world):
    from clauses.models import Lot

    loaded = list(indicators.with_places(Lot.objects.all()))
    figures = indicators.compute(YEAR, Scope(), on=dataset.ON, loaded=loaded)
    assert (figures.six_months.recorded, figures.rsa.left_rsa_at_six_months) == (3, 2)


# Hours per euro invoiced ----------------------------------------------------------------------


def per_euro_lot(world):
    """A purchase-order lot over 2026 and 2027, 1 h per 2,000 € invoiced: 80 h invoiced in 2026."""
    from clauses.models import InvoicedAmount
    from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory

    contract = ContractFactory(
        operation=world["contracts"][0].operation,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
        is_purchase_order_framework=True,
    )
    lot = LotFactory(contract=contract, sector="cleaning", amount_excl_tax=Decimal("400000"))
    ClauseFactory(
        lot=lot,
        method="per_euro_invoiced",
        euros_per_hour=Decimal("2000"),
        labour_share=None,
        insertion_rate=None,
        hourly_cost=None,
        computed_hours=Decimal("0"),
    )
    for start, end, amount in (
        (date(2026, 1, 1), date(2026, 3, 31), "100000"),
        (date(2026, 4, 1), date(2026, 9, 30), "60000"),
    ):
        InvoicedAmount.objects.create(lot=lot, period_start=start, period_end=end, amount=Decimal(amount))
    return lot


def invoiced_figures(scope, lot, on):
    from reporting import report_document

    figures = indicators.compute(YEAR, scope, on=on)
    (year,) = indicators.yearly([2026], scope, on=on)
    return {
        "hours": (figures.hours.required, figures.hours.expected),
        "by_month": [row.required for row in figures.by_month],
        "by_activity": rows(figures.by_activity, "required"),
        "by_buyer": rows(figures.by_buyer, "required"),
        "behind": figures.lots_behind,
        "year": (year.required, year.expected),
        "lot_lines": [(line.required, line.expected, line.status) for line in report_document.lot_lines(figures)],
    }


def test_hours_per_euro_invoiced_of_a_closed_year_do_not_move_with_a_later_invoice(world):
    from clauses.models import InvoicedAmount

    lot = per_euro_lot(world)
    scope = Scope.load("contract", lot.contract_id)
    on = date(2027, 3, 1)
    before = invoiced_figures(scope, lot, on)
    # The invoices of 2026 (dated on the last day of their period), not 80 h spread over two years.
    assert before["hours"] == (Decimal("80"), Decimal("80"))
    months = dict.fromkeys(range(1, 13), Decimal("0")) | {3: Decimal("50"), 9: Decimal("30")}
    assert before["by_month"] == [months[month] for month in range(1, 13)]
    assert before["year"] == (Decimal("80"), Decimal("80"))
    assert before["lot_lines"] == [(Decimal("80"), Decimal("80"), "behind")]  # on 31/12/2026
    assert before["behind"] == [lot.pk]

    InvoicedAmount.objects.create(
        lot=lot, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31), amount=Decimal("40000")
    )
    assert invoiced_figures(scope, lot, on) == before
    whole = invoiced_figures(Scope(), lot, on)
    assert whole["by_activity"]["Propreté"] == Decimal("181") + Decimal("80")
    assert whole["by_buyer"]["Département de l'Ain"] == Decimal("911") + Decimal("80")
    # 2027 gets the new invoice, expected once it is dated.
    figures = indicators.compute(Period.year(2027), scope, on=on)
    assert (figures.hours.required, figures.hours.expected) == (Decimal("20"), Decimal("20"))
    assert indicators.compute(Period.year(2027), scope, on=date(2027, 1, 30)).hours.expected == 0
    assert [row.required for row in indicators.yearly([2026, 2027], scope, on=on)] == [Decimal("80"), Decimal("20")]


# Lots behind schedule, judged on the period's end once it is over ---------------------------


def test_lots_behind_in_a_closed_year_are_judged_on_its_last_day(world):
    from tests.clauses.factories import ContractFactory
    from tests.placements.factories import PlacementFactory

    contract = ContractFactory(
        operation=world["contracts"][0].operation, start_date=date(2026, 7, 1), end_date=date(2027, 6, 30)
    )
    lot = dataset.lot_with_clause(
        contract, "1", "building", date(2026, 7, 1), date(2027, 6, 30), 365, "execution_condition"
    )
    placement = PlacementFactory(
        participant=dataset.person("Foxtrot", "M", date(1990, 1, 1)),
        lot=lot,
        employer=dataset.LotAwardFactory(lot=lot).company,
        start_date=date(2026, 7, 1),
        end_date=None,
    )
    dataset.line(placement, date(2026, 12, 1), 100)
    dataset.line(placement, date(2027, 2, 1), 200)  # after the year: the lot caught up since
    scope = Scope.load("contract", contract.pk)
    edited = date(2027, 3, 10)

    closed = indicators.compute(YEAR, scope, on=edited)
    # On 31/12/2026: 100 h done for 365 × 183/364 = 183.50 h expected.
    assert closed.behind_on == date(2026, 12, 31)
    assert closed.lots_behind == [lot.pk]
    progress = type(lot).objects.with_progress_figures(on=closed.behind_on).get(pk=lot.pk).progress(closed.behind_on)
    assert (progress.done, progress.expected, progress.status) == (Decimal("100"), Decimal("183.50"), "behind")

    current = indicators.compute(Period.year(2027), scope, on=edited)
    assert (current.behind_on, current.lots_behind) == (edited, [])  # 300 h done for 252.69 expected


# Lots with a clause ---------------------------------------------------------------------------


def test_lots_with_a_clause_are_counted_apart_from_the_lots_of_the_period(world):
    from tests.clauses.factories import ContractFactory, LotFactory

    contract = ContractFactory(operation=world["contracts"][0].operation)
    LotFactory(contract=contract, start_date=date(2026, 2, 1), end_date=date(2026, 5, 31))  # no clause
    figures = indicators.compute(YEAR, Scope(), on=dataset.ON)
    assert (figures.lots, figures.contracts, figures.operations) == (4, 3, 2)
    assert (figures.lots_with_clause, figures.contracts_with_clause, figures.operations_with_clause) == (3, 2, 2)
